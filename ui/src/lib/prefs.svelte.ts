// What a person chose for reading: language, text size, contrast. Kept in
// localStorage on staff PCs; a kiosk resets them for the next visitor.

import { text, type Key, type Lang } from './strings';

export const TEXT_SCALES = [100, 150, 200] as const;
export type TextScale = (typeof TEXT_SCALES)[number];

function stored<T>(name: string, fallback: T, valid: (v: unknown) => v is T): T {
  try {
    const raw = localStorage.getItem(`arsip.${name}`);
    if (raw === null) return fallback;
    const v: unknown = JSON.parse(raw);
    return valid(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

const isLang = (v: unknown): v is Lang => v === 'id' || v === 'en';
const isScale = (v: unknown): v is TextScale => TEXT_SCALES.includes(v as TextScale);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';

class Prefs {
  lang = $state<Lang>(stored('lang', 'id', isLang));
  scale = $state<TextScale>(stored('scale', 100, isScale));
  contrast = $state<boolean>(stored('contrast', false, isBool));
  persist = true;

  t = (key: Key, vars?: Record<string, string | number>): string => text(this.lang, key, vars);

  /** A moment (ISO 8601) as a person reads it: "2 Des 2026, 18.30". */
  when = (iso: string): string =>
    new Date(iso).toLocaleString(this.lang === 'en' ? 'en-GB' : 'id-ID', { dateStyle: 'medium', timeStyle: 'short' });

  /** Applies the choices to the page and remembers them. */
  apply(): void {
    const root = document.documentElement;
    root.lang = this.lang;
    root.style.fontSize = `${this.scale}%`;
    root.classList.toggle('high-contrast', this.contrast);
    if (!this.persist) return;
    try {
      localStorage.setItem('arsip.lang', JSON.stringify(this.lang));
      localStorage.setItem('arsip.scale', JSON.stringify(this.scale));
      localStorage.setItem('arsip.contrast', JSON.stringify(this.contrast));
    } catch {
      // Private windows refuse storage; the choices still hold for this visit.
    }
  }

  nextScale(): void {
    const i = TEXT_SCALES.indexOf(this.scale);
    this.scale = TEXT_SCALES[(i + 1) % TEXT_SCALES.length] ?? 100;
  }

  reset(): void {
    this.lang = 'id';
    this.scale = 100;
    this.contrast = false;
  }
}

export const prefs = new Prefs();
