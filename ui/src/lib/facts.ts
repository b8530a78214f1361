// The facts that tell search results with the same title apart (type, day,
// number, region, TPS), for the kiosk's cards and the office's results.
import { longDate } from './dates';
import type { Lang } from './strings';

/** What tells search results with the same title apart, each in words. */
export function hitFacts(
  hit: { doc_type: string | null; doc_date: string | null; number: string | null; region: string | null; tps: string | null },
  lang: Lang,
  label: (param: 'type' | 'region', code: string) => string,
): string[] {
  const out: string[] = [];
  if (hit.doc_type) out.push(label('type', hit.doc_type));
  if (hit.doc_date) out.push(longDate(hit.doc_date, lang));
  if (hit.number) out.push(hit.number);
  if (hit.region) out.push(label('region', hit.region));
  if (hit.tps) out.push(`TPS ${hit.tps}`);
  return out;
}
