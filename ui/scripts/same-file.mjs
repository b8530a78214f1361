// Fails when two files differ: the committed generated types must match the
// OpenAPI document they are generated from.
import { readFileSync, rmSync } from 'node:fs';

const [committed, fresh] = process.argv.slice(2);
const same = readFileSync(committed, 'utf8') === readFileSync(fresh, 'utf8');
rmSync(fresh);
if (!same) {
  console.error(`${committed} is stale: run \`npm run types\` in ui/ and commit it.`);
  process.exit(1);
}
