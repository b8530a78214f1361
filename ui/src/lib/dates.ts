// Days as people read them: "20 Februari 2024" (or "20 February 2024"),
// from the archive's YYYY-MM-DD, with the month names here rather than the
// browser's locale data (a kiosk's browser may lack Indonesian).
import type { Lang } from './strings';

const MONTHS: Record<Lang, string[]> = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** `day` (YYYY-MM-DD, or a year and month only) in words; anything else as it is. */
export function longDate(day: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(day.trim());
  const month = m ? MONTHS[lang][Number(m[2]) - 1] : undefined;
  if (!m || !month) return day;
  return m[3] ? `${Number(m[3])} ${month} ${m[1]}` : `${month} ${m[1]}`;
}
