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
