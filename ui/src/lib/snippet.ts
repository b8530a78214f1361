// Search snippets come with byte ranges (the server counts UTF-8 bytes); this
// cuts the text into plain and marked parts for display.

export interface Part {
  text: string;
  mark: boolean;
}

export function parts(text: string, ranges: [number, number][]): Part[] {
  const bytes = new TextEncoder().encode(text);
  const decode = (a: number, b: number): string => new TextDecoder().decode(bytes.slice(a, b));
  const out: Part[] = [];
  let at = 0;
  for (const [start, end] of [...ranges].sort((x, y) => x[0] - y[0])) {
    if (start < at || end > bytes.length || start >= end) continue;
    if (start > at) out.push({ text: decode(at, start), mark: false });
    out.push({ text: decode(start, end), mark: true });
    at = end;
  }
  if (at < bytes.length) out.push({ text: decode(at, bytes.length), mark: false });
  return out;
}
