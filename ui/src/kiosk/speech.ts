// Read-aloud with the browser's own speech (espeak-ng on Linux kiosks).

export function speak(text: string, lang: 'id' | 'en', onend: () => void): boolean {
  if (!('speechSynthesis' in window)) return false;
  speechSynthesis.cancel();
  const u = new SpeechSynthesisUtterance(text);
  u.lang = lang === 'en' ? 'en-US' : 'id-ID';
  u.rate = 0.95;
  u.onend = onend;
  u.onerror = onend;
  speechSynthesis.speak(u);
  return true;
}

export function stopSpeaking(): void {
  if ('speechSynthesis' in window) speechSynthesis.cancel();
}

/**
 * What read-aloud says of a screen: its words, without the controls (the
 * keyboard's keys, a page's tools: a visitor hears "q, w, e…" otherwise)
 * or anything hidden from assistive technology.
 */
export function spokenText(root: HTMLElement): string {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement?.closest('button, [aria-hidden="true"], script, style')
        ? NodeFilter.FILTER_REJECT
        : NodeFilter.FILTER_ACCEPT,
  });
  const parts: string[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent?.trim();
    if (text) parts.push(text);
  }
  return parts.join(' ');
}
