// The kiosk returns to its home screen when no one has touched it for a
// while, so the next visitor never finds the last one's search.

const EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/** Seconds of no touch before the reset: `?idle=N` in the page URL, else 3 minutes. */
export function idleSeconds(): number {
  const n = Number(new URLSearchParams(location.search).get('idle'));
  return Number.isFinite(n) && n > 0 ? n : 180;
}

export function watchIdle(seconds: number, onIdle: () => void): () => void {
  let timer = setTimeout(onIdle, seconds * 1000);
  const touch = (): void => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, seconds * 1000);
  };
  for (const e of EVENTS) addEventListener(e, touch, { passive: true });
  return () => {
    clearTimeout(timer);
    for (const e of EVENTS) removeEventListener(e, touch);
  };
}
