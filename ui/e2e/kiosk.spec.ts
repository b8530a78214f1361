import { expect, test, type Page } from '@playwright/test';
import { KIOSK, OFFICE, axeProblems, token } from './helpers';

async function expectAccessible(page: Page, screen: string): Promise<void> {
  for (const mode of ['normal', '200% text', 'high contrast'] as const) {
    if (mode === '200% text') {
      await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
    }
    if (mode === 'high contrast') {
      await page.evaluate(() => {
        document.documentElement.style.fontSize = '100%';
        document.documentElement.classList.add('high-contrast');
      });
    }
    expect(await axeProblems(page), `${screen}, ${mode}`).toEqual([]);
  }
  await page.evaluate(() => document.documentElement.classList.remove('high-contrast'));
}

test('a visitor browses by tile, opens a record, and every kiosk screen passes axe', async ({ page }) => {
  await page.goto(`${KIOSK}/`);
  await expect(page.getByRole('heading', { name: /Selamat datang/ })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Login' })).toHaveCount(0);
  await expectAccessible(page, 'home');

  const tile = page.getByRole('heading', { name: 'Menurut pemilu' }).locator('..').getByRole('link').first();
  await tile.click();
  await expect(page.getByTestId('kiosk-total')).toContainText('arsip');
  await expectAccessible(page, 'browse results');

  await page.getByRole('list').getByRole('link').first().click();
  await expect(page.getByTestId('record-title')).toBeVisible();
  await expect(page.getByText('Memuat halaman…')).toHaveCount(0);
  await expectAccessible(page, 'record');

  await page.goto(`${KIOSK}/#/search`);
  await expect(page.getByRole('group', { name: 'Papan ketik' })).toBeVisible();
  await expectAccessible(page, 'search keyboard');
});

test('a visitor narrows a region tile down to a district', async ({ page }) => {
  await page.goto(`${KIOSK}/`);
  await page.getByRole('heading', { name: 'Menurut wilayah' }).locator('..').getByRole('link').first().click();
  const below = page.getByRole('region', { name: 'Pilih wilayah yang lebih kecil' });
  const province = Number((await page.getByTestId('kiosk-total').textContent())?.match(/(\d+) arsip/)?.[1]);
  await below.getByRole('link').first().click();
  await expect(page.getByTestId('kiosk-total')).toContainText('arsip');
  const city = Number((await page.getByTestId('kiosk-total').textContent())?.match(/(\d+) arsip/)?.[1]);
  expect(city).toBeGreaterThan(0);
  expect(city).toBeLessThanOrEqual(province);
  await expectAccessible(page, 'sub-region tiles');
  // "Kembali" goes up one level, not home.
  await page.getByRole('link', { name: /Kembali/ }).click();
  await expect(page.getByRole('region', { name: 'Pilih wilayah yang lebih kecil' })).toBeVisible();
  expect(Number((await page.getByTestId('kiosk-total').textContent())?.match(/(\d+) arsip/)?.[1])).toBe(province);
});

test('a visitor searches with the on-screen keyboard and changes text size and contrast', async ({ page }) => {
  await page.goto(`${KIOSK}/#/search`);
  const keyboard = page.getByRole('group', { name: 'Papan ketik' });
  for (const key of 'pemilu') await keyboard.getByRole('button', { name: key, exact: true }).click();
  await expect(page.getByLabel('Kata pencarian')).toHaveValue('pemilu');
  await page.getByRole('search').getByRole('button', { name: 'Cari' }).click();
  await expect(page.getByTestId('kiosk-total')).toContainText('Hasil untuk: pemilu');
  expect(await page.getByRole('list').getByRole('link').count()).toBeGreaterThan(0);

  await page.getByTestId('text-size').click();
  await expect(page.getByTestId('text-size')).toHaveText('Ukuran huruf: 150%');
  await page.getByTestId('text-size').click();
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('32px');
  await page.getByTestId('contrast').click();
  await expect(page.locator('html')).toHaveClass(/high-contrast/);
  await expectAccessible(page, 'results at 200% in high contrast');
});

test('a visitor types a document number on the kiosk keyboard and finds its record', async ({ page, request }) => {
  // A public record with a number like 50/PL.01.7-BA/3271/2019, from what the kiosk itself serves.
  const found = await request.get(`${KIOSK}/api/search?q=&limit=100`);
  const hits = ((await found.json()) as { hits: { id: string; number: string | null }[] }).hits;
  const numbered = hits.find((h) => h.number && /^[0-9a-z./-]+$/i.test(h.number) && h.number.includes('/'));
  expect(numbered, 'the demo archive holds a public record with a document number').toBeTruthy();
  const number = numbered?.number ?? '';

  // At 200% text on a portrait screen (1080×1920) every key row stays one
  // row, and the search button sits above the keyboard.
  await page.setViewportSize({ width: 1080, height: 1920 });
  await page.goto(`${KIOSK}/#/search`);
  await page.getByTestId('text-size').click();
  await page.getByTestId('text-size').click();
  const keyboard = page.getByRole('group', { name: 'Papan ketik' });
  for (const row of await keyboard.locator('.row').all()) {
    const tops = await row.getByRole('button').evaluateAll((keys) => keys.map((k) => Math.round(k.getBoundingClientRect().top)));
    expect(new Set(tops).size, `one line: ${tops.join(',')}`).toBe(1);
  }
  const names: Record<string, string> = { '/': 'garis miring', '-': 'tanda hubung', '.': 'titik' };
  for (const key of number.toLowerCase()) {
    await keyboard.getByRole('button', { name: names[key] ?? key, exact: true }).click();
  }
  await expect(page.getByLabel('Kata pencarian')).toHaveValue(number.toLowerCase());
  await page.getByRole('search').getByRole('button', { name: 'Cari' }).click();
  const card = page.getByRole('list').getByRole('link').filter({ hasText: number });
  await expect(card.first()).toBeVisible();
  // The card says what tells it apart: its type, its day in words, its number.
  await expect(card.first().getByTestId('card-facts')).toContainText(/Berita Acara|SK|Surat|Laporan|Undangan/);
  await expect(card.first().getByTestId('card-facts')).toContainText(/\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) \d{4}/);
  await expectAccessible(page, 'results for a document number at 200% in portrait');
  // Its page names the TPS and the region with the regions above it.
  await card.first().click();
  await expect(page.getByTestId('record-title')).toBeVisible();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await expect(page.getByRole('definition').filter({ hasText: '›' })).toBeVisible();
  await expect(page.getByRole('term').filter({ hasText: /^TPS$/ })).toBeVisible();

  // In landscape at 200% the search button is on screen without scrolling.
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${KIOSK}/#/search`);
  await page.getByTestId('text-size').click();
  await page.getByTestId('text-size').click();
  const go = await page.getByRole('search').getByRole('button', { name: 'Cari' }).boundingBox();
  expect((go?.y ?? 9999) + (go?.height ?? 0)).toBeLessThanOrEqual(1080);
  // The answer, below the keyboard, is brought into view and focused.
  for (const key of 'pemilu') await keyboard.getByRole('button', { name: key, exact: true }).click();
  await page.getByRole('search').getByRole('button', { name: 'Cari' }).click();
  await expect(page.getByTestId('kiosk-total')).toBeInViewport();
  await expect(page.getByTestId('kiosk-total')).toBeFocused();
});

test('read-aloud says the answer, not the keys, and stops when the screen changes; Kosongkan starts afresh', async ({ page }) => {
  // The browser's speech, caught: what the kiosk asks it to say.
  await page.addInitScript(() => {
    const said: string[] = [];
    (window as unknown as { said: string[] }).said = said;
    Object.defineProperty(window, 'speechSynthesis', {
      value: { speak: (u: SpeechSynthesisUtterance) => said.push(u.text), cancel: () => said.push('<berhenti>') },
    });
  });
  const said = async (): Promise<string[]> => page.evaluate(() => (window as unknown as { said: string[] }).said);
  await page.goto(`${KIOSK}/#/search`);
  const keyboard = page.getByRole('group', { name: 'Papan ketik' });
  for (const key of 'pemilu') await keyboard.getByRole('button', { name: key, exact: true }).click();
  await page.getByRole('search').getByRole('button', { name: 'Cari' }).click();
  await expect(page.getByTestId('kiosk-total')).toContainText('Hasil untuk: pemilu');
  await page.getByRole('button', { name: 'Bacakan' }).click();
  const text = (await said()).filter((s) => s !== '<berhenti>').pop() ?? '';
  expect(text).toContain('Hasil untuk: pemilu');
  expect(text).not.toContain('q w e r t y');
  expect(text).not.toContain('Hapus huruf');
  const before = (await said()).length;
  await page.getByRole('link', { name: /Kembali/ }).click();
  await expect(page.getByRole('heading', { name: /Selamat datang/ })).toBeVisible();
  expect((await said()).slice(before)).toContain('<berhenti>');
  await expect(page.getByRole('button', { name: 'Bacakan' })).toBeVisible();

  // Nothing found: a tip on how numbers are found. Kosongkan clears the answer too.
  await page.goto(`${KIOSK}/#/search?q=${encodeURIComponent('zzqx')}`);
  await expect(page.getByTestId('kiosk-tip')).toContainText('3271/2019');
  await keyboard.getByRole('button', { name: 'Kosongkan' }).click();
  await expect(page.getByLabel('Kata pencarian')).toHaveValue('');
  await expect(page.getByTestId('kiosk-total')).toHaveCount(0);
});

test('"Kembali" from a record goes back to the list it was opened from', async ({ page }) => {
  await page.goto(`${KIOSK}/`);
  await page.getByRole('heading', { name: 'Menurut jenis dokumen' }).locator('..').getByRole('link').first().click();
  await expect(page.getByTestId('kiosk-total')).toContainText('arsip');
  const list = page.url();
  await page.getByRole('list').getByRole('link').first().click();
  await expect(page.getByTestId('record-title')).toBeVisible();
  await page.getByRole('link', { name: /Kembali/ }).click();
  await expect(page.getByTestId('kiosk-total')).toContainText('arsip');
  expect(page.url()).toBe(list);
});

test('the kiosk cannot reach a restricted record by any URL', async ({ page, request }) => {
  const staff = await token(request, 'sekre1');
  const headers = { authorization: `Bearer ${staff}` };
  const found = await request.get(`${OFFICE}/api/search?q=&limit=100`, { headers });
  const hits = ((await found.json()) as { hits: { id: string; files: { sha256: string }[] }[] }).hits;
  const restricted = [];
  for (const h of hits) {
    const r = await request.get(`${OFFICE}/api/records/${h.id}`, { headers });
    const rec = (await r.json()) as { access: string };
    if (rec.access !== 'terbuka') restricted.push(h);
  }
  expect(restricted.length).toBeGreaterThan(0);
  for (const h of restricted) {
    for (const path of [
      `/api/records/${h.id}`,
      `/api/records/${h.id}/pages/1/image`,
      `/api/records/${h.id}/pages/1/thumbnail`,
      `/api/files/${h.files[0]?.sha256 ?? ''}`,
    ]) {
      const r = await request.get(`${KIOSK}${path}`, { headers });
      expect(r.status(), path).toBe(404);
    }
  }
  await page.goto(`${KIOSK}/#/record/${restricted[0]?.id ?? ''}`);
  await expect(page.getByTestId('kiosk-error')).toHaveText(/^Tidak ditemukan/);
});

test('a visitor opens a scanned PDF at the kiosk and sees its page, the searched word marked', async ({
  page,
  request,
}) => {
  const staff = await token(request, 'sekre1');
  const headers = { authorization: `Bearer ${staff}` };
  const found = await request.get(`${OFFICE}/api/search?q=&limit=100`, { headers });
  const hits = ((await found.json()) as { hits: { id: string }[] }).hits;
  type Rec = {
    access: string;
    personal_data: boolean;
    files: { media_type: string }[];
    pages: { source: string; text: string }[];
  };
  let scanned: { id: string; rec: Rec } | null = null;
  for (const h of hits) {
    const rec = (await (await request.get(`${OFFICE}/api/records/${h.id}`, { headers })).json()) as Rec;
    const open = rec.access === 'terbuka' && !rec.personal_data;
    if (open && rec.files[0]?.media_type === 'application/pdf' && rec.pages[0]?.source === 'ocr') {
      scanned = { id: h.id, rec };
      break;
    }
  }
  expect(scanned, 'the demo archive holds an open scanned PDF').not.toBeNull();
  const word = (scanned?.rec.pages[0]?.text ?? '')
    .split(/\s+/)
    .filter((w) => /^[A-Za-z]{7,}$/.test(w))
    .sort((a, b) => b.length - a.length)[0] ?? '';
  expect(word).not.toBe('');
  await page.goto(`${KIOSK}/#/record/${scanned?.id ?? ''}?q=${encodeURIComponent(word)}`);
  const image = page.getByTestId('page-image');
  await expect(image).toBeVisible();
  expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(1000);
  await expect(page.getByTestId('highlights')).toHaveText(/^[1-9]\d* kata yang dicari ditandai/);
});

test('an idle kiosk returns home and resets for the next visitor', async ({ page }) => {
  await page.goto(`${KIOSK}/?idle=2#/search`);
  const keyboard = page.getByRole('group', { name: 'Papan ketik' });
  await keyboard.getByRole('button', { name: 'd', exact: true }).click();
  await page.getByTestId('text-size').click();
  await expect(page.getByTestId('text-size')).toHaveText('Ukuran huruf: 150%');
  await expect(page.getByRole('status')).toHaveText('Layar kembali ke beranda karena tidak ada sentuhan.', {
    timeout: 10_000,
  });
  await expect(page.getByRole('heading', { name: /Selamat datang/ })).toBeVisible();
  await expect(page.getByTestId('text-size')).toHaveText('Ukuran huruf: 100%');
});
