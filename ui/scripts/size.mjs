// The kiosk's first screen as sent: the JS and CSS of the built UI, gzipped
// (everything the home screen loads; the build has one bundle).
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const dir = new URL('../dist/assets/', import.meta.url).pathname;
let raw = 0;
let gz = 0;
for (const name of readdirSync(dir)) {
  if (!/\.(js|css)$/.test(name)) continue;
  const bytes = readFileSync(join(dir, name));
  raw += bytes.length;
  gz += gzipSync(bytes, { level: 9 }).length;
  console.log(`${name}\t${bytes.length} B\t${gzipSync(bytes, { level: 9 }).length} B gzip`);
}
const html = gzipSync(readFileSync(new URL('../dist/index.html', import.meta.url))).length;
console.log(`first screen (index.html + JS + CSS): ${((gz + html) / 1024).toFixed(1)} KB gzipped (${(raw / 1024).toFixed(1)} KB raw); target <= 250 KB`);
