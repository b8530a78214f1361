import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { KIOSK, OFFICE, PASSWORD, axeProblems, formScan, loginUi, scanOf, token } from './helpers';

test('an archivist imports a scan, catalogues it, finds it and sees the words marked on the page', async ({ page }) => {
  await loginUi(page, 'arsip1');
  await page.getByRole('link', { name: 'Impor' }).click();
  const scan = await scanOf(page, [
    'KEPUTUSAN KOMISI PEMILIHAN UMUM KOTA BOGOR',
    'NOMOR 77/PL.01.1-Kpt/3271/2024',
    'TENTANG',
    'PENETAPAN LOKASI KAMPANYE TERBUKA',
    'PEMILIHAN UMUM TAHUN 2024',
    '',
    'Menimbang bahwa lokasi kampanye perlu ditetapkan',
    'Bogor, 14 Februari 2024',
  ]);
  await page.getByTestId('pick-files').setInputFiles([
    { name: 'sk-lokasi-kampanye.png', mimeType: 'image/png', buffer: scan },
    { name: 'rusak.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 rusak') },
  ]);
  const items = page.getByTestId('import-item');
  await expect(items.nth(0)).toContainText('ditambahkan', { timeout: 60_000 });
  await expect(items.nth(1)).toContainText('gagal');
  await expect(page.getByTestId('import-progress')).toContainText('2 dari 2 dokumen selesai');

  await items.nth(0).getByRole('link', { name: 'Buka untuk diperiksa' }).click();
  await page.getByRole('button', { name: 'Ubah keterangan' }).click();
  // The number and date OCR read from the scan are offered, and one press fills them in.
  await page.getByRole('button', { name: 'Isi yang kosong dengan saran dari isi dokumen' }).click();
  await expect(page.getByLabel('Nomor naskah')).toHaveValue(/77/);
  await expect(page.getByLabel('Tanggal dokumen')).toHaveValue('2024-02-14');
  await page.getByLabel('Judul').fill('SK Penetapan Lokasi Kampanye Terbuka 2024');
  await page.getByLabel('Jenis dokumen').selectOption({ label: 'Surat Keputusan (SK)' });
  await page.getByLabel('Boks').fill('B-24');
  // Making it public lowers its class: the form asks why, and only the admin may.
  await page.getByLabel('Klasifikasi akses').selectOption('terbuka');
  await expect(page.getByTestId('declassify-note')).toContainText('Hanya admin yang boleh menurunkan klasifikasi');
  await expect(page.getByLabel(/Alasan menurunkan klasifikasi/)).toHaveCount(0);
  await page.getByLabel('Klasifikasi akses').selectOption('terbatas');
  await expect(page.getByLabel(/Alasan menurunkan klasifikasi/)).toHaveCount(0);
  await page.getByRole('button', { name: 'Simpan' }).click();
  await expect(page.getByTestId('record-title')).toHaveText('SK Penetapan Lokasi Kampanye Terbuka 2024');
  await expect(page.getByText('B-24')).toBeVisible();
  const recordUrl = page.url();

  // The admin publishes it, with the reason the audit trail keeps.
  await loginUi(page, 'admin1');
  await page.goto(recordUrl);
  await page.getByRole('button', { name: 'Ubah keterangan' }).click();
  await page.getByLabel('Klasifikasi akses').selectOption('terbuka');
  await page.getByRole('button', { name: 'Simpan' }).click();
  await expect(page.getByRole('status')).toContainText('memerlukan alasan');
  await page.getByLabel(/Alasan menurunkan klasifikasi/).fill('informasi publik');
  await page.getByRole('button', { name: 'Simpan' }).click();
  await expect(page.getByTestId('record-title')).toHaveText('SK Penetapan Lokasi Kampanye Terbuka 2024');

  await page.goto(`${OFFICE}/#/search`);
  await page.getByLabel('Kata pencarian').fill('lokasi kampanye');
  await page.getByRole('button', { name: 'Cari', exact: true }).last().click();
  await page.getByRole('link', { name: 'SK Penetapan Lokasi Kampanye Terbuka 2024' }).click();
  await expect(page.getByTestId('page-image')).toBeVisible();
  await expect(page.getByTestId('highlights')).toHaveText(/^[1-9]\d* kata yang dicari ditandai$/);
});

test('pressing Cari again with the same words shows records that arrived since', async ({ page }) => {
  await loginUi(page, 'arsip1');
  await page.goto(`${OFFICE}/#/search`);
  await page.getByLabel('Kata pencarian').fill('susulan');
  await page.getByRole('button', { name: 'Cari', exact: true }).last().click();
  await expect(page.getByText('Tidak ada arsip yang cocok')).toBeVisible();
  // A record arrives meanwhile (another desk imports it), read by OCR.
  const scan = await scanOf(page, ['BERITA ACARA', 'PENGIRIMAN LOGISTIK SUSULAN', 'PEMILIHAN UMUM TAHUN 2024']);
  const t = await token(page.request, 'arsip1');
  const sent = await page.request.post(`${OFFICE}/api/uploads?name=logistik-susulan.png`, {
    headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/octet-stream' },
    data: scan,
  });
  expect(sent.ok()).toBeTruthy();
  // The same words, Cari again: the list is asked for again, not kept.
  await page.getByRole('button', { name: 'Cari', exact: true }).last().click();
  await expect(page.getByTestId('total')).toHaveText('1 arsip ditemukan');
});

test('files given while a batch is still being sent are sent too', async ({ page }) => {
  await loginUi(page, 'arsip1');
  await page.getByRole('link', { name: 'Impor' }).click();
  // The first batch's upload is held until the second batch has been given.
  let release = (): void => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/api\/uploads\?.*name=pertama/, async (route) => {
    await held;
    await route.continue();
  });
  const bad = (name: string) => ({ name, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 rusak') });
  await page.getByTestId('pick-files').setInputFiles([bad('pertama.pdf')]);
  await page.getByTestId('pick-files').setInputFiles([bad('kedua.pdf'), bad('ketiga.pdf')]);
  release();
  const items = page.getByTestId('import-item');
  await expect(items).toHaveCount(3);
  await expect(page.getByTestId('import-progress')).toContainText('3 dari 3 dokumen selesai');
  for (const [i, name] of ['pertama.pdf', 'kedua.pdf', 'ketiga.pdf'].entries()) {
    await expect(items.nth(i)).toContainText(name);
    await expect(items.nth(i)).toContainText('gagal');
  }
});

test("a scanner's page files are confirmed as one record, and a page split off again", async ({ page }) => {
  await loginUi(page, 'arsip1');
  await page.getByRole('link', { name: 'Impor' }).click();
  const first = await scanOf(page, ['BERITA ACARA REKAPITULASI', 'TPS 014 KELURAHAN PABATON', 'PERGUDANGAN LOGISTIK', 'Halaman pertama']);
  const second = await scanOf(page, ['LAMPIRAN BERITA ACARA', 'Perolehan suara sah partai', 'Halaman kedua']);
  const alone = await scanOf(page, ['UNDANGAN RAPAT PLENO TERBUKA', 'Bogor, 3 Maret 2024']);
  const png = (name: string, buffer: Buffer) => ({ name, mimeType: 'image/png', buffer });
  // Given out of order, as a file manager may list them.
  await page.getByTestId('pick-files').setInputFiles([
    png('BA_TPS014_p2.png', second),
    png('BA_TPS014_p1.png', first),
    png('undangan-pleno.png', alone),
  ]);
  const proposal = page.getByTestId('proposal');
  const docs = proposal.getByTestId('proposed-document');
  await expect(docs).toHaveCount(2);
  await expect(docs.nth(0)).toContainText(/hal\. 1\s*BA_TPS014_p1\.png\s*hal\. 2\s*BA_TPS014_p2\.png/);
  await expect(docs.nth(1)).toContainText('undangan-pleno.png');
  // Nothing is sent before the archivist confirms.
  await expect(page.getByTestId('import-item')).toHaveCount(0);
  await proposal.getByRole('button', { name: 'Impor sebagai 2 arsip' }).click();
  await expect(proposal).toHaveCount(0);
  const items = page.getByTestId('import-item');
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toContainText('+ 1 file halaman');
  await expect(items.nth(0)).toContainText('ditambahkan', { timeout: 90_000 });
  await expect(items.nth(1)).toContainText('ditambahkan', { timeout: 90_000 });

  await items.nth(0).getByRole('link', { name: 'Buka untuk diperiksa' }).click();
  await expect(page.getByTestId('page-label')).toHaveText('Halaman 1 dari 2');
  await expect(page.getByText('BA_TPS014_p2.png')).toBeVisible();
  const whole = page.url();
  await page.getByRole('button', { name: 'Halaman berikutnya' }).click();
  await expect(page.locator('pre.text')).toContainText(/kedua/i);

  // The second page was another document after all: split it off.
  const move = page.getByTestId('move-pages');
  await move.getByLabel('Halaman (mis. 2 atau 2-3)').fill('2');
  await move.getByRole('button', { name: 'Pindahkan' }).click();
  await expect(page).not.toHaveURL(whole);
  await expect(page.getByRole('status').filter({ hasText: 'Halaman dipindahkan ke arsip ini' })).toBeVisible();
  await expect(page.getByTestId('page-label')).toHaveText('Halaman 1 dari 1');
  await expect(page.locator('pre.text')).toContainText(/kedua/i);
  await page.getByRole('link', { name: 'Kembali ke arsip asal' }).click();
  await expect(page.getByTestId('page-label')).toHaveText('Halaman 1 dari 1');
  await expect(page.locator('pre.text')).toContainText(/pertama/i);
  const originalId = (await page.getByTestId('record-id').textContent()) ?? '';

  // It was the same document after all: merged back, after a warning.
  await page.goBack();
  await expect(page.locator('pre.text')).toContainText(/kedua/i);
  const again = page.getByTestId('move-pages');
  await again.getByLabel('Halaman (mis. 2 atau 2-3)').fill('1');
  // The target is found by a word in it, not by its ID.
  await again.getByLabel('Cari arsip tujuan (judul, nomor atau kata di dalamnya)').fill('pergudangan');
  await again.getByRole('button', { name: 'Cari', exact: true }).click();
  await again.getByTestId('move-found').getByRole('button').first().click();
  await expect(again.getByLabel('Ke arsip (ID; kosongkan untuk arsip baru)')).toHaveValue(originalId);
  await expect(again.getByTestId('move-chosen')).toContainText('Tujuan:');
  await again.getByRole('button', { name: 'Pindahkan' }).click();
  await expect(again.getByTestId('merge-warning')).toContainText('digabungkan');
  await again.getByRole('button', { name: 'Ya, gabungkan' }).click();
  await expect(page.getByTestId('record-id')).toHaveText(originalId);
  await expect(page.getByTestId('page-label')).toHaveText('Halaman 1 dari 2');
  // A page number the record lacks is refused in words.
  await page.getByTestId('move-pages').getByLabel('Halaman (mis. 2 atau 2-3)').fill('5');
  await page.getByTestId('move-pages').getByRole('button', { name: 'Pindahkan' }).click();
  await expect(page.getByTestId('move-pages').getByRole('alert')).toHaveText('Nomor halaman itu tidak ada di arsip ini');
});

test('separator sheets are printed, and a stack scanned behind them becomes one record per document', async ({ page, browser }) => {
  await loginUi(page, 'arsip1');
  await page.getByRole('link', { name: 'Impor' }).click();
  const sheets = page.getByTestId('separators');
  await sheets.getByText('Lembar pemisah untuk tumpukan pindaian').click();
  await sheets.getByTestId('sep-type').selectOption({ label: 'Berita Acara' });
  await sheets.getByTestId('sep-tps').fill('1-2');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    sheets.getByRole('button', { name: 'Unduh lembar pemisah untuk dicetak (PDF)' }).click(),
  ]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lembar-'));
  const printed = path.join(dir, 'lembar-pemisah.pdf');
  await download.saveAs(printed);
  // The documents behind the sheets, as a scanner that writes a text layer
  // gives them: Chromium prints them, qpdf puts the stack together.
  const other = await browser.newPage();
  const doc = async (file: string, words: string) => {
    await other.setContent(`<p style="font-size:20pt">${words}</p>`);
    await other.pdf({ path: path.join(dir, file), format: 'A4' });
  };
  await doc('tps1.pdf', 'Berita acara pemungutan suara TPS satu kelurahan Empang');
  await doc('tps2.pdf', 'Berita acara pemungutan suara TPS dua kelurahan Batutulis');
  await other.close();
  const stack = path.join(dir, 'tumpukan.pdf');
  execFileSync('qpdf', ['--empty', '--pages', printed, '1', path.join(dir, 'tps1.pdf'), printed, '2', path.join(dir, 'tps2.pdf'), '--', stack]);
  await page.getByTestId('pick-files').setInputFiles(stack);
  const item = page.getByTestId('import-item');
  await expect(item).toContainText('ditambahkan', { timeout: 90_000 });
  await expect(item).toContainText('dipotong menjadi 2 arsip');
  const parts = item.getByTestId('split-part');
  await expect(parts).toHaveCount(2);
  // Each part says its pages and its title, which names its TPS.
  await expect(parts.nth(0)).toContainText(/hal\. 2\b.*TPS 001.*ditambahkan/);
  await expect(parts.nth(1)).toContainText(/hal\. 4\b.*TPS 002/);
  await expect(page.getByTestId('import-progress')).toContainText('2 ditambahkan');
  await parts.nth(1).getByRole('link').click();
  await expect(page.locator('pre.text')).toContainText('Batutulis');
  await expect(page.getByText('Berita Acara', { exact: true })).toBeVisible();
  await expect(page.getByText('002', { exact: true })).toBeVisible();
  await expect(page.getByTestId('page-label')).toHaveText('Halaman 1 dari 1');
});

test('a result form is read into a table, and the archivist checks a flagged number against its crop and confirms it', async ({ page }) => {
  await loginUi(page, 'arsip1');
  await page.getByRole('link', { name: 'Impor' }).click();
  // The PKB count is smudged past reading (drawn here as "1x4"): no
  // reading can take it as a number.
  const scan = await formScan(
    page,
    ['FORMULIR MODEL C.HASIL', 'CATATAN HASIL PENGHITUNGAN PEROLEHAN SUARA', 'TPS 005 KELURAHAN EMPANG'],
    [
      ['No', 'Partai Politik', 'Jumlah Suara'],
      ['1', 'Partai Kebangkitan Bangsa', '1x4'],
      ['2', 'Partai Gerakan Indonesia Raya', '230'],
      ['3', 'Partai Demokrat', '58'],
      ['', 'Jumlah suara sah', '392'],
      ['', 'Jumlah suara tidak sah', '8'],
      ['', 'Jumlah seluruh suara sah dan tidak sah', '400'],
    ],
  );
  await page.getByTestId('pick-files').setInputFiles([{ name: 'c-hasil-tps005.png', mimeType: 'image/png', buffer: scan }]);
  const item = page.getByTestId('import-item');
  await expect(item).toContainText('ditambahkan', { timeout: 90_000 });

  // The table waits in its queue.
  await page.getByRole('link', { name: 'Rekap hasil' }).click();
  const waiting = page.getByTestId('recap-item').filter({ hasText: /hal perlu diperiksa/ });
  await expect(waiting).toHaveCount(1);
  await waiting.getByRole('link').click();
  await expect(page.getByTestId('recap-status')).toContainText('Menunggu diperiksa');
  const rows = page.getByTestId('recap-row');
  await expect(rows).toHaveCount(6);
  // Every row shows the paper it was read from.
  const crops = page.getByTestId('recap-crop');
  await expect(crops).toHaveCount(6);
  await expect
    .poll(() => crops.evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 100)))
    .toBe(true);
  // The smudged number is flagged, beside its crop, and the sums say so.
  const flagged = rows.filter({ has: page.getByAltText('Potongan formulir: Partai Kebangkitan Bangsa') });
  await expect(flagged).toContainText('Periksa angka ini');
  await page.screenshot({ path: path.join(os.tmpdir(), 'recap-review.png'), fullPage: true });
  await expect(page.getByTestId('recap-problems')).not.toHaveText('Semua jumlah cocok.');
  // The archivist reads 104 off the crop: the sums agree as it is typed.
  await flagged.getByTestId('recap-votes').fill('104');
  await expect(page.getByTestId('recap-problems')).toHaveText('Semua jumlah cocok.');
  await page.getByTestId('recap-confirm').click();
  await expect(page.getByTestId('recap-status')).toContainText('Dikonfirmasi oleh arsip1');
  await expect(page.getByRole('link', { name: 'Rekap hasil' })).toBeVisible();

  // The record says its table is confirmed; the queue no longer holds it.
  await page.getByRole('link', { name: 'Buka arsip' }).click();
  await expect(page.getByTestId('record-recap')).toContainText('Diperiksa petugas pada');
  const id = decodeURIComponent(new URL(page.url()).hash.replace('#/record/', ''));
  await page.getByRole('link', { name: 'Rekap hasil' }).click();
  await expect(page.getByTestId('recap-item').filter({ hasText: /hal perlu diperiksa/ })).toHaveCount(0);

  // The confirmed numbers leave as a spreadsheet, the corrected one in it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('recap-export').click()]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv).toContain(`${id},`);
  expect(csv).toMatch(/,1,votes,Partai Kebangkitan Bangsa,104,arsip1,/);

  // Once the form is public, a visitor at the kiosk sees its numbers,
  // each beside the piece of the form it was written on.
  const admin = await token(page.request, 'admin1');
  const opened = await page.request.patch(`${OFFICE}/api/records/${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${admin}` },
    data: { access: 'terbuka', reason: 'Formulir hasil untuk umum' },
  });
  expect(opened.ok(), await opened.text()).toBeTruthy();
  await page.goto(`${KIOSK}/#/record/${encodeURIComponent(id)}`);
  const shown = page.getByTestId('kiosk-recap');
  await expect(shown).toContainText('Hasil penghitungan suara');
  await expect(shown).toContainText('Diperiksa petugas pada');
  await expect(shown).not.toContainText('arsip1');
  await expect(shown.getByTestId('kiosk-recap-votes')).toHaveText(['104', '230', '58', '392', '8', '400']);
  const pieces = shown.getByRole('img');
  await expect(pieces).toHaveCount(6);
  await expect
    .poll(() => pieces.evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 100)))
    .toBe(true);
  await page.screenshot({ path: path.join(os.tmpdir(), 'recap-kiosk.png'), fullPage: true });
  expect(await axeProblems(page)).toEqual([]);
});

test('scans saved into the watched folder are read into records by themselves', async ({ page }) => {
  await loginUi(page, 'arsip1');
  await page.getByRole('link', { name: 'Impor' }).click();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'pindaian-'));
  const form = page.getByTestId('watch');
  await form.getByLabel('Folder pindaian di komputer arsip').fill(folder);
  await form.getByRole('button', { name: 'Pantau folder ini' }).click();
  await expect(page.getByTestId('watch-state')).toContainText('Dipantau:');
  // The scanner saves two pages of one berita acara, finished a minute ago.
  const pages = [
    await scanOf(page, ['BERITA ACARA PENGHITUNGAN SUARA', 'TPS 021 KELURAHAN TANAH SAREAL', 'Halaman pertama']),
    await scanOf(page, ['CATATAN KEJADIAN KHUSUS', 'Tidak ada keberatan saksi', 'Halaman kedua']),
  ];
  const past = new Date(Date.now() - 60_000);
  pages.forEach((png, i) => {
    const file = path.join(folder, `BA_TPS021_p${i + 1}.png`);
    fs.writeFileSync(file, png);
    fs.utimesSync(file, past, past);
  });
  const files = page.getByTestId('watched-file');
  await expect(files).toHaveCount(2, { timeout: 120_000 });
  await expect(files.nth(0)).toContainText('ditambahkan');
  await expect(files.nth(1)).toContainText('ditambahkan');
  await files.nth(0).getByRole('link', { name: 'Buka untuk diperiksa' }).click();
  await expect(page.getByTestId('page-label')).toHaveText('Halaman 1 dari 2');
  await page.getByRole('link', { name: 'Impor' }).click();
  await page.getByTestId('watch').getByRole('button', { name: 'Berhenti memantau' }).click();
  await expect(page.getByTestId('watch-state')).toContainText('Belum ada folder yang dipantau');
  fs.rmSync(folder, { recursive: true, force: true });
});

test('new records wait in the review queue, and their suggestions are accepted in one press', async ({ page }) => {
  await loginUi(page, 'arsip1');
  await page.getByRole('link', { name: 'Impor' }).click();
  const scan = await scanOf(page, [
    'BERITA ACARA',
    'NOMOR 88/PL.02-BA/3271/2024',
    'TENTANG',
    'PENETAPAN LOKASI TPS KHUSUS',
    '',
    'Pada hari ini telah dilaksanakan rapat pleno terbuka',
    'Bogor, 21 Maret 2024',
  ]);
  await page.getByTestId('pick-files').setInputFiles([{ name: 'ba-tps-khusus.png', mimeType: 'image/png', buffer: scan }]);
  const item = page.getByTestId('import-item');
  await expect(item).toContainText('ditambahkan', { timeout: 60_000 });
  const href = (await item.getByRole('link', { name: 'Buka untuk diperiksa' }).getAttribute('href')) ?? '';

  await page.getByRole('link', { name: 'Perlu diperiksa' }).click();
  const waiting = page.getByTestId('review-item').filter({ has: page.locator(`a[href="${href}"]`) });
  await expect(waiting).toContainText('Nomor naskah');
  await expect(waiting).toContainText('88/PL.02-BA/3271/2024');
  await expect(waiting).toContainText('2024-03-21');
  // The number carries its classification code: offered too.
  await expect(waiting).toContainText('Kode klasifikasi');
  await expect(waiting).toContainText('PL.02');
  await waiting.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Terima saran arsip terpilih' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'arsip sudah diperiksa' })).toContainText('1 arsip');
  await expect(waiting).toHaveCount(0);
  await page.goto(`${OFFICE}/${href}`);
  await expect(page.locator('dd').filter({ hasText: '88/PL.02-BA/3271/2024' })).toBeVisible();
  await expect(page.locator('dd').filter({ hasText: '2024-03-21' })).toBeVisible();
  await expect(page.locator('dd').filter({ hasText: /^PL\.02$/ })).toBeVisible();
  await expect(page.getByTestId('record-title')).toContainText('88/PL.02-BA/3271/2024');
});

test('staff edit many records at once, and a slow earlier search does not undo their choice', async ({ page }) => {
  await loginUi(page, 'arsip1');
  // The first search (everything) is held back until after the archivist has
  // searched again and ticked two results: its late answer must change nothing.
  const earlier = /\/api\/search\?(?!.*q=pemilu)/;
  let release = (): void => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route(earlier, async (route) => {
    await held;
    await route.continue();
  });
  // The first search must have been asked before the second: on a busy
  // machine the app could still be starting when the address changed, and
  // never ask it (the test then waited for an answer that never came).
  const asked = page.waitForRequest(earlier);
  await page.goto(`${OFFICE}/#/search?q=arsip`);
  await asked;
  await page.goto(`${OFFICE}/#/search?q=pemilu`);
  // Tick the boxes of this search's answer, not of the one shown before it
  // (the first screen's, answered before the route above held searches):
  // a new search rightly clears what was ticked. The earlier one is held,
  // so the list is no longer busy only once this one is answered.
  await expect(page.locator('section.results')).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByTestId('total')).toBeVisible();
  const boxes = page.getByRole('checkbox');
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  const late = page.waitForResponse(earlier);
  release();
  await late;
  await page.unroute(earlier);
  await expect(page).toHaveURL(/q=pemilu/);
  const batch = page.getByRole('region', { name: 'Ubah 2 arsip sekaligus' });
  await batch.getByLabel('Rak').fill('R-9');
  await batch.getByRole('button', { name: 'Terapkan ke yang dipilih' }).click();
  await expect(batch.getByRole('status')).toHaveText('2 arsip diubah.');
});

test('the secretariat filters by facet, exports, and checks the audit trail', async ({ page }) => {
  await loginUi(page, 'sekre1');
  await page.goto(`${OFFICE}/#/search?q=pemilu`);
  const total = page.getByTestId('total');
  await expect(total).toContainText('arsip ditemukan');
  const before = Number((await total.textContent())?.match(/\d+/)?.[0]);
  // Each result says what tells it apart from others with the same title.
  await expect(page.getByTestId('hit-facts').first()).toContainText(/\d{1,2} [A-Z][a-z]+ \d{4}/);
  await page.getByRole('group', { name: 'Tahun' }).getByRole('button').first().click();
  await expect(total).not.toHaveText(`${before} arsip ditemukan`);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Ekspor hasil (CSV)' }).click();
  const csv = await (await download).path();
  expect(csv).toBeTruthy();
  await page.getByRole('link', { name: 'Jejak audit' }).click();
  // Said in words and local time, not codes and UTC.
  await expect(page.getByRole('cell', { name: 'Mengekspor hasil pencarian' }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: 'search.export' })).toHaveCount(0);
  await expect(page.locator('td time').first()).not.toContainText('T');
  await page.getByRole('button', { name: 'Periksa keutuhan rantai' }).click();
  await expect(page.getByRole('status')).toContainText('Rantai utuh');

  // Filtered by person, action in words and today's local date (on the
  // server, so every row matches), and downloaded as the same CSV.
  const filters = page.getByRole('form', { name: 'Saring jejak audit' });
  const now = new Date();
  const today = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, '0')).join('-');
  await filters.getByLabel('Pelaku').fill('sekre1');
  await filters.getByLabel('Tindakan').selectOption({ label: 'Mengekspor hasil pencarian' });
  await filters.getByLabel('Dari tanggal').fill(today);
  await filters.getByLabel('Sampai tanggal').fill(today);
  await filters.getByRole('button', { name: 'Tampilkan' }).click();
  await expect(page.locator('tbody td[title]:not([title="search.export"])')).toHaveCount(0);
  await expect(page.locator('tbody td[title="search.export"]').first()).toBeVisible();
  const trail = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Unduh jejak audit (CSV)' }).click();
  const trailCsv = fs.readFileSync(await (await trail).path(), 'utf8');
  const [header, ...rows] = trailCsv.replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(header).toBe('no,waktu_lokal,pengguna,tindakan,kode_tindakan,sasaran,judul_arsip,rincian');
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row).toContain(',sekre1,Mengekspor hasil pencarian,search.export,');
  // The download is itself in the trail.
  await filters.getByLabel('Tindakan').selectOption({ label: 'Mengunduh jejak audit (CSV)' });
  await filters.getByRole('button', { name: 'Tampilkan' }).click();
  await expect(page.getByRole('cell', { name: 'Mengunduh jejak audit (CSV)' }).first()).toBeVisible();
});

test('a wrong password is refused in Indonesian, and in English when asked', async ({ page }) => {
  await page.goto(`${OFFICE}/#/login`);
  await page.getByLabel('Nama pengguna').fill('sekre1');
  await page.getByLabel('Kata sandi').fill(`${PASSWORD}-salah`);
  await page.getByRole('button', { name: 'Masuk' }).last().click();
  await expect(page.getByRole('alert')).toHaveText(/kata sandi/i);
  await page.getByRole('button', { name: 'Ganti bahasa ke English' }).click();
  await page.getByLabel('Password').fill(`${PASSWORD}-salah`);
  await page.getByRole('button', { name: 'Log in' }).last().click();
  await expect(page.getByRole('alert')).toHaveText(/password/i);
});

// Before the flash drive test below: once anything was sealed for sync, a
// destruction is refused (copies may be at the province, which this
// version cannot reach to destroy them).
test('an archivist proposes a destruction list, the admin approves and carries it out, and the berita acara is downloaded', async ({ page, request }) => {
  const auth = { Authorization: `Bearer ${await token(request, 'arsip1')}` };
  await loginUi(page, 'arsip1');
  // A record of 2019 in a berkas whose schedule says destroy after 2+3 years.
  const scan = await scanOf(page, ['UNDANGAN', 'RAPAT PERSIAPAN LOGISTIK ZAITUNMUSNAH', 'Bogor, 3 Maret 2019']);
  const up = await request.post(`${OFFICE}/api/uploads?name=undangan-musnah.png`, {
    headers: { ...auth, 'Content-Type': 'application/octet-stream' },
    data: scan,
  });
  expect(up.ok()).toBeTruthy();
  const id = ((await up.json()) as { id: string }).id;
  const made = await request.post(`${OFFICE}/api/berkas`, {
    headers: auth,
    data: { number: 'UM/2019/E2E-MUSNAH', title: 'Undangan rapat logistik 2019', classification: 'UM', year_to: 2019 },
  });
  expect(made.ok()).toBeTruthy();
  const berkas = ((await made.json()) as { id: string }).id;
  expect((await request.patch(`${OFFICE}/api/records/${id}`, { headers: auth, data: { berkas } })).ok()).toBeTruthy();
  const before = await request.get(`${OFFICE}/api/search?q=ZAITUNMUSNAH`, { headers: auth });
  expect(((await before.json()) as { total: number }).total).toBe(1);

  await page.getByRole('link', { name: 'Berkas & Retensi' }).click();
  const due = page.getByTestId('retention-due');
  const mine = due.getByTestId('due-item').filter({ hasText: 'UM/2019/E2E-MUSNAH' });
  await mine.getByRole('button', { name: 'Konfirmasi JRA UM' }).click();
  await expect(due.getByRole('heading', { name: /Usulkan musnah/ })).toBeVisible();
  await mine.getByRole('checkbox', { name: 'UM/2019/E2E-MUSNAH' }).check();
  await due.getByRole('button', { name: 'Usulkan musnah (1 berkas)' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Daftar usul musnah dibuat' })).toBeVisible();

  const lists = page.getByTestId('disposals');
  await lists.getByTestId('disposal-item').filter({ hasText: 'Diusulkan' }).getByRole('button').first().click();
  const download = async (name: string): Promise<string> => {
    const file = page.waitForEvent('download');
    await lists.getByRole('link', { name }).click();
    const saved = await (await file).path();
    return execFileSync('pdftotext', ['-layout', saved, '-']).toString();
  };
  const proposed = await download('Daftar (PDF)');
  expect(proposed).toContain('DAFTAR ARSIP USUL MUSNAH');
  expect(proposed).toContain('Undangan rapat logistik');
  expect(proposed).toContain('UM/2019/E2E-M');
  expect(proposed).toContain('Jumlah: 1 berkas, 1 arsip');
  await lists.getByLabel('Hasil penilaian tim').fill('Tim menilai: tidak bernilai guna lagi');
  await lists.getByRole('button', { name: 'Simpan hasil penilaian' }).click();
  await expect(lists.getByRole('status')).toContainText('Sudah dinilai');
  // Approving and carrying out are not the archivist's.
  await expect(lists.getByRole('button', { name: 'Catat persetujuan' })).toHaveCount(0);

  await loginUi(page, 'admin1');
  await page.getByRole('link', { name: 'Berkas & Retensi' }).click();
  await lists.getByTestId('disposal-item').filter({ hasText: 'Sudah dinilai' }).getByRole('button').first().click();
  await expect(lists).toContainText('Cukup persetujuan pimpinan');
  await lists.getByLabel('Nomor dan tanggal surat persetujuan').fill('Surat Sekretaris KPU Kota Bogor Nomor 5/UM/2026');
  await lists.getByRole('button', { name: 'Catat persetujuan' }).click();
  await expect(lists.getByRole('status')).toContainText('Disetujui');
  await lists.getByLabel('Nomor berita acara').fill('3/UM.01-BA/3271/2026');
  await lists.getByLabel(/Saksi/).fill('Siti Aminah\nBudi Santoso');
  // Who carries it out and who acknowledges, with NIP, as the BA prints them.
  await lists.getByLabel(/^Yang melaksanakan pemusnahan.*: Nama$/).fill('Dewi Lestari');
  await lists.getByLabel(/^Yang melaksanakan pemusnahan.*: NIP$/).fill('198705122010012003');
  await lists.getByLabel(/^Mengetahui.*: Nama$/).fill('Dr. Ahmad Fauzi');
  await lists.getByLabel(/^Mengetahui.*: Jabatan$/).fill('Sekretaris KPU Kota Bogor');
  const carryOut = lists.getByRole('button', { name: 'Laksanakan pemusnahan' });
  await expect(carryOut).toBeDisabled();
  await lists.getByLabel(/Saya mengerti/).check();
  await carryOut.click();
  await expect(lists.getByRole('status')).toContainText('Sudah dimusnahkan');
  const ba = await download('Berita acara (PDF)');
  for (const expected of ['BERITA ACARA PEMUSNAHAN ARSIP', '3/UM.01-BA/3271/2026', '1 berkas, 1 arsip', 'Siti Aminah', 'Budi Santoso', 'Nomor 5/UM/2026',
    'Dewi Lestari', 'NIP. 198705122010012003', 'Mengetahui,', 'Sekretaris KPU Kota Bogor,', 'Dr. Ahmad Fauzi']) {
    expect(ba).toContain(expected);
  }
  await page.screenshot({ path: path.join(os.tmpdir(), 'pemusnahan.png'), fullPage: true });
  expect(await axeProblems(page)).toEqual([]);

  // The record's content is gone: not found, and not found by its words.
  const admin = { Authorization: `Bearer ${await token(request, 'admin1')}` };
  expect((await request.get(`${OFFICE}/api/records/${id}`, { headers: admin })).status()).toBe(404);
  const found = await request.get(`${OFFICE}/api/search?q=ZAITUNMUSNAH`, { headers: admin });
  expect(((await found.json()) as { total: number }).total).toBe(0);
});

test('an archivist proposes moving a berkas to the records centre, the admin approves and carries it out, and the berita acara names both signers', async ({ page }) => {
  await loginUi(page, 'arsip1');
  await page.getByRole('link', { name: 'Berkas & Retensi' }).click();
  const form = page.getByRole('region', { name: 'Berkas baru' });
  await form.getByLabel('Nomor berkas').fill('PL.02/2019/E2E-PINDAH');
  await form.getByLabel('Uraian berkas').fill('Daftar pemilih tetap 2019');
  await form.getByLabel('Kode klasifikasi').fill('PL.02');
  await form.getByLabel('Tahun penutupan').fill('2019');
  await form.getByRole('button', { name: 'Buat berkas' }).click();
  await expect(form.getByRole('status')).toHaveText('Berkas PL.02/2019/E2E-PINDAH dibuat.');
  const due = page.getByTestId('retention-due');
  const mine = due.getByTestId('due-item').filter({ hasText: 'PL.02/2019/E2E-PINDAH' });
  await mine.getByRole('button', { name: 'Konfirmasi JRA PL.02' }).click();
  await mine.getByRole('checkbox', { name: 'PL.02/2019/E2E-PINDAH' }).check();
  await due.getByRole('button', { name: 'Usulkan pindah (1 berkas)' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Daftar usul pindah dibuat' })).toBeVisible();

  await loginUi(page, 'admin1');
  await page.getByRole('link', { name: 'Berkas & Retensi' }).click();
  const lists = page.getByTestId('disposals');
  await lists.getByTestId('disposal-item').filter({ hasText: 'Pemindahan · Diusulkan' }).getByRole('button').first().click();
  await expect(lists).toContainText('disetujui pimpinan');
  await lists.getByLabel('Nomor dan tanggal surat persetujuan').fill('Persetujuan Sekretaris Nomor 9/2026');
  await lists.getByRole('button', { name: 'Catat persetujuan' }).click();
  await expect(lists.getByRole('status')).toContainText('Disetujui');
  await lists.getByLabel('Nomor berita acara').fill('2/PK.01-BA/3271/2026');
  await lists.getByLabel(/Yang menyerahkan/).fill('Rina Subbagian Teknis\nDodi Arsiparis');
  await lists.getByRole('button', { name: 'Laksanakan pemindahan' }).click();
  await expect(lists.getByRole('status')).toContainText('Sudah dipindahkan');
  const file = page.waitForEvent('download');
  await lists.getByRole('link', { name: 'Berita acara (PDF)' }).click();
  const ba = execFileSync('pdftotext', ['-layout', await (await file).path(), '-']).toString();
  for (const expected of ['BERITA ACARA PEMINDAHAN ARSIP INAKTIF', '2/PK.01-BA/3271/2026', 'Rina Subbagian Teknis', 'Dodi Arsiparis', 'Nomor 9/2026']) {
    expect(ba).toContain(expected);
  }
  const row = page.getByTestId('berkas-table').getByRole('row').filter({ hasText: 'PL.02/2019/E2E-PINDAH' });
  await expect(row).toContainText('Inaktif');
  expect(await axeProblems(page)).toEqual([]);
});

test('an archivist proposes handing a permanent berkas to the regional archive, it is verified and approved, the admin downloads its BagIt package and carries it out', async ({ page }) => {
  await loginUi(page, 'arsip1');
  await page.getByRole('link', { name: 'Berkas & Retensi' }).click();
  const form = page.getByRole('region', { name: 'Berkas baru' });
  await form.getByLabel('Nomor berkas').fill('PL.02/2000/E2E-SERAH');
  await form.getByLabel('Uraian berkas').fill('Daftar pemilih tetap Pemilu 1999');
  await form.getByLabel('Kode klasifikasi').fill('PL.02');
  await form.getByLabel('Tahun penutupan').fill('2000');
  await form.getByRole('button', { name: 'Buat berkas' }).click();
  await expect(form.getByRole('status')).toHaveText('Berkas PL.02/2000/E2E-SERAH dibuat.');
  const due = page.getByTestId('retention-due');
  const mine = due.getByTestId('due-item').filter({ hasText: 'PL.02/2000/E2E-SERAH' });
  await mine.getByRole('button', { name: 'Konfirmasi JRA PL.02' }).click();
  await mine.getByRole('checkbox', { name: 'PL.02/2000/E2E-SERAH' }).check();
  await due.getByRole('button', { name: 'Usulkan serah (1 berkas)' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Daftar arsip statis usul serah dibuat' })).toBeVisible();
  const lists = page.getByTestId('disposals');
  await lists.getByTestId('disposal-item').filter({ hasText: 'Penyerahan arsip statis · Diusulkan' }).getByRole('button').first().click();
  await lists.getByLabel(/Hasil verifikasi/).fill('Diverifikasi DISPUSIP Kota Bogor: lengkap dan terolah');
  await lists.getByRole('button', { name: 'Catat verifikasi' }).click();
  await expect(lists.getByRole('status')).toContainText('Sudah diverifikasi');
  await expect(lists.getByTestId('bag-download')).toHaveCount(0);

  await loginUi(page, 'admin1');
  await page.getByRole('link', { name: 'Berkas & Retensi' }).click();
  await lists.getByTestId('disposal-item').filter({ hasText: 'Penyerahan arsip statis · Sudah diverifikasi' }).getByRole('button').first().click();
  await lists.getByLabel('Nomor dan tanggal surat persetujuan').fill('Persetujuan Kepala DISPUSIP Nomor 45/2026');
  await lists.getByRole('button', { name: 'Catat persetujuan' }).click();
  await expect(lists.getByRole('status')).toContainText('Disetujui');
  const bag = page.waitForEvent('download');
  await lists.getByRole('link', { name: 'Paket BagIt (.zip)' }).click();
  const names = execFileSync('python3', ['-m', 'zipfile', '-l', await (await bag).path()]).toString();
  for (const expected of ['bagit.txt', 'manifest-sha256.txt', 'data/daftar-arsip-statis.csv', 'data/atom.csv']) {
    expect(names).toContain(expected);
  }
  await lists.getByLabel('Nomor berita acara').fill('3/PK.01-BA/3271/2026');
  await lists.getByLabel(/Yang menyerahkan/).fill('Ketua KPU Kota Bogor\nKepala DISPUSIP Kota Bogor');
  await lists.getByRole('button', { name: 'Laksanakan penyerahan' }).click();
  await expect(lists.getByRole('status')).toContainText('Sudah diserahkan');
  const file = page.waitForEvent('download');
  await lists.getByRole('link', { name: 'Berita acara (PDF)' }).click();
  const ba = execFileSync('pdftotext', ['-layout', await (await file).path(), '-']).toString();
  for (const expected of ['BERITA ACARA PENYERAHAN ARSIP STATIS', '3/PK.01-BA/3271/2026', 'Kepala DISPUSIP Kota Bogor', 'Nomor 45/2026', 'BagIt']) {
    expect(ba).toContain(expected);
  }
  const row = page.getByTestId('berkas-table').getByRole('row').filter({ hasText: 'PL.02/2000/E2E-SERAH' });
  await expect(row).toContainText('Statis');
  expect(await axeProblems(page)).toEqual([]);
});

test('an archivist deletes a record into the trash, it is found no more, and the admin restores it', async ({ page, request }) => {
  const auth = { Authorization: `Bearer ${await token(request, 'arsip1')}` };
  const scan = await scanOf(page, ['PENGUMUMAN', 'HASIL SELEKSI PANTARLIH SAMPAHUJI', 'Bogor, 3 Maret 2024']);
  const up = await request.post(`${OFFICE}/api/uploads?name=pengumuman-sampah.png`, {
    headers: { ...auth, 'Content-Type': 'application/octet-stream' },
    data: scan,
  });
  expect(up.ok()).toBeTruthy();
  const id = ((await up.json()) as { id: string }).id;
  const total = async (): Promise<number> =>
    ((await (await request.get(`${OFFICE}/api/search?q=SAMPAHUJI`, { headers: auth })).json()) as { total: number }).total;
  expect(await total()).toBe(1);

  await loginUi(page, 'arsip1');
  await page.goto(`${OFFICE}/#/record/${id}`);
  await page.getByText('Hapus arsip…').click();
  await page.getByRole('button', { name: 'Hapus ke tempat sampah' }).click();
  await expect(page).toHaveURL(/#\/search/);
  expect(await total()).toBe(0);
  await expect(page.getByRole('link', { name: 'Tempat Sampah' })).toHaveCount(0);

  await loginUi(page, 'admin1');
  await page.getByRole('link', { name: 'Tempat Sampah' }).click();
  const row = page.getByTestId('trash').getByRole('row').filter({ hasText: 'arsip1' }).first();
  await expect(row).toBeVisible();
  expect(await axeProblems(page)).toEqual([]);
  await row.getByRole('button', { name: /^Pulihkan/ }).click();
  await expect(page.getByRole('status')).toContainText('dipulihkan');
  expect(await total()).toBe(1);
  // The record's page tells what happened to it.
  await page.goto(`${OFFICE}/#/record/${id}`);
  const history = page.getByTestId('record-history');
  await history.getByText('Riwayat perubahan').click();
  await expect(history.getByRole('listitem').first()).toContainText('Memulihkan arsip dari tempat sampah');
  await expect(history.getByRole('listitem').nth(1)).toContainText('Menghapus arsip');
});

test('an archivist sends the archive to a flash drive the admin approved, in words, and sees nothing left waiting', async ({ page }) => {
  const drive = fs.mkdtempSync(path.join(os.tmpdir(), 'rpp-usb-'));
  const target = `file://${drive}/rpp`;
  // A new place to send to is an address, for the admin: under "Advanced",
  // which is closed until opened.
  const sendToAddress = async (): Promise<void> => {
    await page.getByRole('link', { name: 'Sinkronisasi' }).click();
    const advanced = page.getByTestId('sync-advanced');
    await expect(advanced.locator('summary')).toHaveText('Lanjutan');
    await expect(page.getByLabel('Kirim ke tujuan baru')).toBeHidden();
    await expect(page.getByTestId('office-key')).toBeHidden();
    await advanced.locator('summary').click();
    await page.getByLabel('Kirim ke tujuan baru').fill(target);
    await advanced.locator('form').getByRole('button', { name: 'Kirim sekarang' }).click();
  };
  // A drive the admin has not approved takes no copy of the archive.
  await loginUi(page, 'arsip1');
  await sendToAddress();
  await expect(page.getByRole('alert')).toContainText('belum disetujui admin');
  expect(fs.existsSync(path.join(drive, 'rpp'))).toBe(false);
  // The admin's first send approves it, and says what went in words.
  await loginUi(page, 'admin1');
  await sendToAddress();
  await expect(page.getByRole('status')).toContainText(/Selesai: \d+ arsip dan \d+ file .* tersalin ke flash disk/, {
    timeout: 60_000,
  });
  // From then on the archivist sends with one button named for the place,
  // which says when it last got the archive and what waits for it; no
  // address, key or change number on the way.
  await loginUi(page, 'arsip1');
  await page.getByRole('link', { name: 'Sinkronisasi' }).click();
  const place = page.getByTestId('destination').filter({ hasText: 'Flash disk' });
  await expect(place).toContainText('Terakhir dikirim:');
  await expect(page.getByText(target)).toBeHidden();
  await expect(page.getByTestId('office-key')).toBeHidden();
  await expect(page.getByTestId('office-key')).toHaveText(/^[0-9a-f]{64}$/);
  await place.getByRole('button', { name: 'Kirim ke flash disk' }).click();
  await expect(page.getByRole('status')).toContainText('Selesai', { timeout: 60_000 });
  await expect(place.getByTestId('destination-waiting')).toHaveText('Semua sudah terkirim.');
  await expect(page.locator('main')).not.toContainText('os error');
  // The numbers are still there for whoever opens "Advanced".
  await page.getByTestId('sync-advanced').locator('summary').click();
  const row = page.getByTestId('target').filter({ hasText: drive });
  await expect(row.getByTestId('waiting')).toHaveText('0');
  // The drive holds this office's signed log and its HEAD.
  const offices = fs.readdirSync(path.join(drive, 'rpp', 'offices'));
  expect(offices).toHaveLength(1);
  expect(fs.existsSync(path.join(drive, 'rpp', 'offices', offices[0] ?? '', 'HEAD'))).toBe(true);
  // A target that is not a URL the archive knows: one clear message.
  await page.getByLabel('Kirim ke tujuan baru').fill('ftp://kpu/arsip');
  await page.getByRole('button', { name: 'Kirim sekarang' }).last().click();
  await expect(page.getByRole('alert')).toContainText('Alamat tujuan tidak dikenal');
});

test('the admin adds a user who logs in, disables them and they are logged out; an archivist sees no user screen', async ({ page, browser }) => {
  await loginUi(page, 'admin1');
  await page.getByRole('link', { name: 'Pengguna' }).click();
  await expect(page.getByRole('heading', { name: 'Pengguna', exact: true })).toBeVisible();
  await page.getByLabel('Nama pengguna baru').fill('tamu-e2e');
  await page.getByLabel('Peran', { exact: true }).selectOption({ label: 'Sekretariat' });
  await page.getByLabel('Kata sandi', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Ulangi kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Tambah pengguna' }).click();
  await expect(page.getByRole('status')).toHaveText('Pengguna tamu-e2e ditambahkan.');
  const row = page.getByTestId('user-row').filter({ hasText: 'tamu-e2e' });
  await expect(row.getByLabel('Peran tamu-e2e')).toHaveValue('sekretariat');
  await expect(row).toContainText('Aktif');

  // The new user logs in, in a browser of their own.
  const theirs = await browser.newContext();
  const tamu = await theirs.newPage();
  await loginUi(tamu, 'tamu-e2e');
  await expect(tamu.getByRole('link', { name: 'Pengguna' })).toHaveCount(0);

  // The last active admin cannot disable herself: the server says why.
  await page.getByRole('button', { name: 'Nonaktifkan admin1' }).click();
  await expect(page.getByRole('alert')).toContainText('admin aktif terakhir');

  await row.getByRole('button', { name: 'Nonaktifkan tamu-e2e' }).click();
  await expect(page.getByRole('status')).toHaveText('tamu-e2e dinonaktifkan dan sesinya berakhir.');
  await expect(row).toContainText('Nonaktif');

  // Their next step finds the session over, and they cannot log in again.
  await tamu.goto(`${OFFICE}/#/search?q=pemilu`);
  await expect(tamu.getByRole('alert')).toContainText('Silakan masuk terlebih dahulu');
  await tamu.reload();
  await expect(tamu.getByRole('link', { name: 'Masuk' })).toBeVisible();
  await expect(tamu.getByTestId('user')).toHaveCount(0);
  await tamu.goto(`${OFFICE}/#/login`);
  await tamu.getByLabel('Nama pengguna').fill('tamu-e2e');
  await tamu.getByLabel('Kata sandi').fill(PASSWORD);
  await tamu.getByRole('button', { name: 'Masuk' }).last().click();
  await expect(tamu.getByRole('alert')).toContainText('Nama pengguna atau kata sandi salah');
  await theirs.close();

  // An archivist has no user screen, by link or by address.
  await loginUi(page, 'arsip1');
  await expect(page.getByRole('link', { name: 'Impor' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Pengguna' })).toHaveCount(0);
  await page.goto(`${OFFICE}/#/users`);
  await expect(page.getByLabel('Nama pengguna baru')).toHaveCount(0);
});

test('the admin plans daily backups to a second disk, backs up now, and sees how it ended', async ({ page }) => {
  const disk = fs.mkdtempSync(path.join(os.tmpdir(), 'rpp-cadangan-'));
  const folder = path.join(disk, 'arsip');
  await loginUi(page, 'arsip1');
  await expect(page.getByRole('link', { name: 'Cadangan' })).toHaveCount(0);
  await loginUi(page, 'admin1');
  await page.getByRole('link', { name: 'Cadangan' }).click();
  await page.getByLabel('Folder cadangan di komputer arsip').fill(folder);
  await page.getByLabel('Seberapa sering').selectOption({ label: 'Setiap hari' });
  await page.getByRole('button', { name: 'Simpan jadwal' }).click();
  await expect(page.getByRole('status')).toHaveText('Jadwal cadangan disimpan.');
  await page.getByRole('button', { name: 'Cadangkan sekarang' }).click();
  await expect(page.getByRole('status')).toContainText(`Cadangan selesai di ${folder}:`, { timeout: 60_000 });
  await expect(page.getByTestId('backup-last')).toContainText('arsip');
  expect(fs.existsSync(path.join(folder, 'BACKUP.json'))).toBe(true);
  // "Back up now" goes to the folder on screen, even before it is saved.
  const second = path.join(disk, 'kedua');
  await page.getByLabel('Folder cadangan di komputer arsip').fill(second);
  await page.getByRole('button', { name: 'Cadangkan sekarang' }).click();
  await expect(page.getByRole('status')).toContainText(`Cadangan selesai di ${second}:`, { timeout: 60_000 });
  expect(fs.existsSync(path.join(second, 'BACKUP.json'))).toBe(true);
  // A drive not plugged in: nothing lands on this disk instead.
  await page.getByLabel('Folder cadangan di komputer arsip').fill(path.join(disk, 'usb-tidak-ada', 'arsip'));
  await page.getByRole('button', { name: 'Simpan jadwal' }).click();
  await expect(page.getByRole('alert')).toContainText('sudah terpasang');
  expect(fs.existsSync(path.join(disk, 'usb-tidak-ada'))).toBe(false);
  // A folder inside the archive itself is refused, in words.
  await page.getByLabel('Folder cadangan di komputer arsip').fill('cadangan');
  await page.getByRole('button', { name: 'Simpan jadwal' }).click();
  await expect(page.getByRole('alert')).toContainText('folder');
});

test('an archivist receives a box onto a shelf, puts a berkas in it, prints its label, the label photographed opens the box, and the box is lent and comes back', async ({ page }) => {
  await loginUi(page, 'arsip1');
  await page.getByRole('link', { name: 'Boks & Lokasi' }).click();
  const addPlace = async (kind: string, name: string, inside: string | null): Promise<void> => {
    await page.getByLabel('Jenis').selectOption({ label: kind });
    await page.getByLabel('Nama').fill(name);
    if (inside) await page.getByLabel('Berada di').selectOption({ label: inside });
    await page.getByRole('button', { name: 'Tambah tempat' }).click();
  };
  await addPlace('Gedung', 'Gedung E2E', null);
  await expect(page.getByRole('status')).toHaveText('Tempat Gedung E2E ditambahkan.');
  await addPlace('Rak', 'Rak E2E', 'Gedung E2E');
  await expect(page.getByRole('status')).toHaveText('Tempat Gedung E2E › Rak E2E ditambahkan.');
  const receive = page.locator('form').filter({ has: page.getByRole('button', { name: 'Simpan boks' }) });
  await receive.getByLabel('Boks', { exact: true }).fill('B-E2E');
  await receive.getByLabel('Tempat').selectOption({ label: 'Gedung E2E › Rak E2E' });
  await receive.getByLabel('Diterima dari').fill('PPK Bogor Timur');
  await receive.getByLabel('Nomor BA serah terima').fill('BA/07/PPK-BT/2024');
  await receive.getByLabel('Kondisi').selectOption({ label: 'Rusak ringan' });
  await receive.getByRole('button', { name: 'Simpan boks' }).click();
  await expect(receive.locator('xpath=following-sibling::p[@role="status"]')).toHaveText('Boks B-E2E diterima.');

  // A berkas put in the box, in map 2.
  await page.getByRole('link', { name: 'Berkas & Retensi' }).click();
  const form = page.getByRole('region', { name: 'Berkas baru' });
  await form.getByLabel('Nomor berkas').fill('PL.07/2024/E2E-BOKS');
  await form.getByLabel('Uraian berkas').fill('Berita acara rekapitulasi Kecamatan Bogor Timur');
  await form.getByLabel('Boks').selectOption({ label: 'B-E2E · Gedung E2E › Rak E2E' });
  await form.getByLabel('Map').fill('2');
  await form.getByRole('button', { name: 'Buat berkas' }).click();
  await expect(form.getByRole('status')).toHaveText('Berkas PL.07/2024/E2E-BOKS dibuat.');

  await page.getByRole('link', { name: 'Boks & Lokasi' }).click();
  await expect(page.getByTestId('places').getByRole('row').filter({ hasText: 'Gedung E2E › Rak E2E' })).toContainText('Rak');
  await page.getByTestId('boxes').getByRole('link', { name: 'B-E2E' }).click();
  const box = page.getByTestId('box-open');
  await expect(box.getByRole('heading', { name: 'Boks B-E2E' })).toBeVisible();
  await expect(box).toContainText('PPK Bogor Timur, BA/07/PPK-BT/2024');
  await expect(box.getByTestId('box-contents')).toContainText('PL.07/2024/E2E-BOKS');
  const boxUrl = page.url();

  // The label, printed: its words, and its code read back from the page.
  const file = page.waitForEvent('download');
  await box.getByTestId('label-a4').click();
  const saved = await (await file).path();
  const words = execFileSync('pdftotext', ['-layout', saved, '-']).toString();
  for (const expected of ['BOKS B-E2E', 'Gedung E2E › Rak E2E', 'PPK Bogor Timur', 'Rusak ringan', 'PL.07/2024/E2E-BOKS']) {
    expect(words).toContain(expected);
  }
  const photo = path.join(os.tmpdir(), 'label-boks-e2e');
  execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', saved, photo]);
  await page.screenshot({ path: path.join(os.tmpdir(), 'boks.png'), fullPage: true });
  expect(await axeProblems(page)).toEqual([]);

  // The storage report names the box on its shelf.
  const reportFile = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Laporan tempat simpan (PDF)' }).click();
  const report = execFileSync('pdftotext', ['-layout', await (await reportFile).path(), '-']).toString();
  expect(report).toContain('LAPORAN TEMPAT SIMPAN ARSIP');
  expect(report).toContain('Gedung E2E › Rak E2E');
  expect(report).toContain('B-E2E');

  // From the list of all boxes, the photo of the label opens the box...
  await page.getByRole('link', { name: 'Semua boks' }).click();
  await expect(page.getByTestId('box-open')).toHaveCount(0);
  await page.getByTestId('label-photo').setInputFiles(`${photo}.png`);
  await expect(page.getByTestId('box-open').getByRole('heading', { name: 'Boks B-E2E' })).toBeVisible();
  expect(page.url()).toBe(boxUrl);
  // ...and so does its text, as a USB scanner types it.
  await page.getByRole('link', { name: 'Semua boks' }).click();
  const boxId = boxUrl.split('/').pop() ?? '';
  await page.getByTestId('label-text').fill(`RPPARSIP:BOKS:${boxId.toUpperCase()}`);
  await page.getByTestId('label-text').press('Enter');
  await expect(page.getByTestId('box-open').getByRole('heading', { name: 'Boks B-E2E' })).toBeVisible();
  // A text that is no label of ours says so.
  await page.getByTestId('label-text').fill('bukan label');
  await page.getByTestId('label-text').press('Enter');
  await expect(page.getByRole('alert')).toHaveText('Label tidak dikenali, atau isinya di luar izin akses Anda.');

  // The box lent for the exhibition: it shows who has it, the slip names
  // them, and it comes back.
  const loans = page.getByTestId('loans');
  await loans.getByLabel('Yang dipinjam').selectOption({ label: 'Boks B-E2E' });
  await loans.getByLabel('Peminjam').fill('Siti Aminah');
  await loans.getByLabel('Unit kerja').fill('Subbagian Teknis dan Hupmas');
  await loans.getByLabel('Keperluan').fill('Pameran RPP');
  const due = new Date(Date.now() + 7 * 86400000).toLocaleDateString('sv-SE');
  await loans.getByLabel('Wajib kembali').fill(due);
  await loans.getByRole('button', { name: 'Catat peminjaman' }).click();
  await expect(loans.getByRole('status')).toHaveText('B-E2E dipinjamkan kepada Siti Aminah.');
  await expect(page.getByTestId('box-on-loan')).toContainText('Siti Aminah (Subbagian Teknis dan Hupmas)');
  const row = loans.getByTestId('loan').filter({ hasText: 'Boks B-E2E' });
  const slipFile = page.waitForEvent('download');
  await row.getByRole('link', { name: 'Bukti peminjaman (PDF)' }).click();
  const slip = execFileSync('pdftotext', ['-layout', await (await slipFile).path(), '-']).toString();
  for (const expected of ['BUKTI PEMINJAMAN ARSIP', 'Siti Aminah', 'Pameran RPP', 'PL.07/2024/E2E-BOKS']) {
    expect(slip).toContain(expected);
  }
  expect(await axeProblems(page)).toEqual([]);
  await row.getByLabel('Kondisi').selectOption({ label: 'Baik' });
  await row.getByRole('button', { name: 'Terima kembali' }).click();
  await expect(loans.getByRole('status')).toHaveText('B-E2E sudah kembali.');
  await expect(page.getByTestId('box-on-loan')).toHaveCount(0);
});

test('an archivist makes a berkas, confirms its JRA row, files a record in it, and sees when it falls due', async ({ page }) => {
  await loginUi(page, 'arsip1');
  await page.getByRole('link', { name: 'Berkas & Retensi' }).click();
  const form = page.getByRole('region', { name: 'Berkas baru' });
  await form.getByLabel('Nomor berkas').fill('PL.06/2019/E2E');
  await form.getByLabel('Uraian berkas').fill('Hasil penghitungan suara Pemilu 2019');
  await form.getByLabel('Kode klasifikasi').fill('PL.06');
  await form.getByLabel('Tahun penutupan').fill('2019');
  // Into a box the demo received, in map 4.
  const boxChoice = form.getByLabel('Boks');
  const boxNumber = ((await boxChoice.locator('option').nth(1).textContent()) ?? '').split(' · ')[0];
  expect(boxNumber).toMatch(/^B-\d+$/);
  await boxChoice.selectOption({ index: 1 });
  await form.getByLabel('Map').fill('4');
  await form.getByRole('button', { name: 'Buat berkas' }).click();
  await expect(form.getByRole('status')).toHaveText('Berkas PL.06/2019/E2E dibuat.');
  // The same number twice is refused in words.
  await form.getByLabel('Nomor berkas').fill('PL.06/2019/E2E');
  await form.getByLabel('Uraian berkas').fill('Lagi');
  await form.getByRole('button', { name: 'Buat berkas' }).click();
  await expect(form.getByRole('alert')).toContainText('sudah dipakai berkas lain');

  // Nothing is computed until a person confirms the row its code suggests.
  const due = page.getByTestId('retention-due');
  await due.getByLabel('Per tanggal').fill('2030-01-01');
  const mine = due.getByTestId('due-item').filter({ hasText: 'PL.06/2019/E2E' });
  await expect(mine).toContainText('PL.06 (saran, belum dikonfirmasi)');
  await mine.getByRole('button', { name: 'Konfirmasi JRA PL.06' }).click();
  // Permanent, 2 years active and 10 inactive from the end of 2019.
  await expect(mine).toContainText('pindah 2022-01-01 · akhir retensi 2032-01-01');
  await expect(due.getByRole('heading', { name: /Pindahkan ke arsip inaktif/ })).toBeVisible();
  await due.getByLabel('Per tanggal').fill('2032-01-01');
  await expect(due.getByRole('heading', { name: /Serahkan sebagai arsip statis/ })).toBeVisible();
  await expect(mine).toBeVisible();
  const table = page.getByTestId('berkas-table').getByRole('row').filter({ hasText: 'PL.06/2019/E2E' });
  await expect(table).toContainText('Permanen');
  await expect(table).toContainText(`${boxNumber} · Map 4`);
  await page.screenshot({ path: path.join(os.tmpdir(), 'berkas-retensi.png'), fullPage: true });
  expect(await axeProblems(page)).toEqual([]);

  // A field put right later: its title made clearer, another map; only
  // what changed is saved.
  await table.getByRole('button', { name: 'Ubah berkas PL.06/2019/E2E' }).click();
  const edit = page.getByRole('region', { name: 'Ubah berkas PL.06/2019/E2E' });
  await expect(edit.getByLabel('Uraian berkas')).toHaveValue('Hasil penghitungan suara Pemilu 2019');
  await expect(edit.getByLabel('Map')).toHaveValue('4');
  await edit.getByLabel('Uraian berkas').fill('Hasil penghitungan suara Pemilu 2019 Kota Bogor');
  await edit.getByLabel('Map').fill('5');
  await edit.getByRole('button', { name: 'Simpan perubahan' }).click();
  await expect(form.getByRole('status')).toHaveText('Berkas PL.06/2019/E2E diubah.');
  await expect(table).toContainText('Hasil penghitungan suara Pemilu 2019 Kota Bogor');
  await expect(table).toContainText(`${boxNumber} · Map 5`);
  await expect(table).toContainText('Permanen');

  // A record filed in it names it on its page.
  await page.goto(`${OFFICE}/#/search?q=pemilu`);
  await expect(page.getByTestId('retention-notice')).toContainText('berkas jatuh tempo retensi hari ini');
  await page.getByTestId('total').waitFor();
  await page.locator('a[href^="#/record/"]').first().click();
  await page.locator('summary', { hasText: 'Pindahkan ke berkas lain' }).click();
  await page.getByLabel('Masukkan ke berkas').selectOption({ label: 'PL.06/2019/E2E · Hasil penghitungan suara Pemilu 2019 Kota Bogor' });
  await page.getByRole('button', { name: 'Simpan ke berkas' }).click();
  await expect(page.getByTestId('record-berkas')).toContainText('PL.06/2019/E2E');
  await page.reload();
  await expect(page.getByTestId('record-berkas')).toContainText('PL.06/2019/E2E');

  // Search counts the results by berkas, and narrows to one.
  await page.goto(`${OFFICE}/#/search?q=`);
  await page.getByTestId('total').waitFor();
  const facets = page.getByRole('complementary', { name: 'Saring hasil' });
  await facets.getByRole('button', { name: /PL\.06\/2019\/E2E\s*1/ }).click();
  await expect(page.getByTestId('total')).toHaveText('1 arsip ditemukan');
  await expect(page).toHaveURL(/berkas=/);
});

test('an archivist re-scans a record, reads the earlier version and brings it back', async ({ page, request }) => {
  const auth = { Authorization: `Bearer ${await token(request, 'arsip1')}` };
  const first = await scanOf(page, ['PENGUMUMAN', 'HASIL SELEKSI PANTARLIH', 'Bogor, 4 Maret 2024', 'Catatan pemeriksaan VERSILAMAUJI']);
  const up = await request.post(`${OFFICE}/api/uploads?name=pengumuman-versi.png`, {
    headers: { ...auth, 'Content-Type': 'application/octet-stream' },
    data: first,
  });
  expect(up.ok()).toBeTruthy();
  const id = ((await up.json()) as { id: string }).id;
  const found = async (word: string): Promise<number> =>
    ((await (await request.get(`${OFFICE}/api/search?q=${word}`, { headers: auth })).json()) as { total: number }).total;
  expect(await found('VERSILAMAUJI')).toBe(1);

  await loginUi(page, 'arsip1');
  await page.goto(`${OFFICE}/#/record/${id}`);
  const versions = page.getByTestId('record-versions');
  await versions.getByText('Versi isi arsip').click();
  await expect(versions).toContainText('Belum ada versi lama');
  const second = await scanOf(page, ['PENGUMUMAN', 'HASIL SELEKSI PANTARLIH', 'Bogor, 4 Maret 2024', 'Catatan pemeriksaan VERSIBARUUJI']);
  await versions.getByLabel('Pindaian baru').setInputFiles({ name: 'pengumuman-pindai-ulang.png', mimeType: 'image/png', buffer: second });
  await versions.getByRole('button', { name: 'Ganti dengan pindaian baru' }).click();
  await expect(versions.getByRole('status')).toContainText('disimpan sebagai versi', { timeout: 60_000 });
  // The page shows the new scan's text; the search finds it, not the old
  // one (the record keeps its title and fields, read from the first scan).
  await expect(page.locator('pre.text').first()).toContainText('VERSIBARUUJI');
  expect(await found('VERSIBARUUJI')).toBe(1);
  expect(await found('VERSILAMAUJI')).toBe(0);
  const kept = versions.getByTestId('version');
  await expect(kept).toHaveCount(1);
  await expect(kept).toContainText('Sebelum dipindai ulang');
  await expect(kept).toContainText('pengumuman-versi.png');
  await kept.getByRole('button', { name: 'Lihat teksnya' }).click();
  await expect(kept.getByTestId('version-text')).toContainText('VERSILAMAUJI');
  expect(await axeProblems(page)).toEqual([]);

  // Brought back after a yes: found by its old words again.
  await kept.getByRole('button', { name: 'Pulihkan versi ini' }).click();
  await kept.getByRole('button', { name: 'Ya, lanjutkan' }).click();
  await expect(versions.getByRole('status')).toContainText('disimpan sebagai versi');
  await expect(versions.getByTestId('version')).toHaveCount(2);
  expect(await found('VERSILAMAUJI')).toBe(1);
  expect(await found('VERSIBARUUJI')).toBe(0);
  const history = page.getByTestId('record-history');
  await history.getByText('Riwayat perubahan').click();
  await expect(history.getByRole('listitem').first()).toContainText('Memulihkan versi lama isi arsip');
  await expect(history.getByRole('listitem').nth(1)).toContainText('Mengganti pindaian arsip');

  // The secretariat reads the versions but changes nothing.
  await loginUi(page, 'sekre1');
  await page.goto(`${OFFICE}/#/record/${id}`);
  await page.getByTestId('record-versions').getByText('Versi isi arsip').click();
  await expect(page.getByTestId('version')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Pulihkan versi ini' })).toHaveCount(0);
  await expect(page.getByLabel('Pindaian baru')).toHaveCount(0);
});

test('an archivist records the digitisation of a berkas: the berita acara and the list name every digital copy by a hash the original matches', async ({ page, request }) => {
  await loginUi(page, 'arsip1');
  await page.getByRole('link', { name: 'Berkas & Retensi' }).click();
  const panel = page.getByTestId('digitisation');
  // A demo berkas that still holds records (other tests make, destroy and
  // hand over berkas of their own).
  const items = panel.getByRole('listitem').filter({ has: page.locator('input[type=checkbox]:not([disabled])') });
  // The berkas load after the panel shows: waited for, not read at once.
  const demoNumber = /^[A-Z]+(\.\d+)?\/\d{4}\/\d{3}$/;
  await expect(items.locator('strong').filter({ hasText: demoNumber }).first()).toBeVisible();
  const numbers = (await items.locator('strong').allTextContents()).map((t) => t.trim());
  const number = numbers.find((n) => /^[A-Z]+(\.\d+)?\/\d{4}\/\d{3}$/.test(n)) ?? '';
  expect(number).toMatch(/^[A-Z]+(\.\d+)?\/\d{4}\/\d{3}$/);
  // Found among many by a part of its number.
  await panel.getByLabel('Saring berkas').fill(number.slice(0, -1));
  await expect(panel.locator('li strong').filter({ hasText: number })).toHaveCount(1);
  const berkas = panel.getByRole('listitem').filter({ hasText: number }).getByRole('checkbox');
  // Nothing to download before a berkas is chosen.
  await expect(panel.getByRole('button', { name: 'Unduh berita acara (PDF)' })).toBeDisabled();
  await berkas.check();
  await panel.getByLabel('Nomor berita acara').fill('7/BA-AM/XII/2026');
  await panel.getByLabel('Alat pemindai (merek dan tipe)').fill('Fujitsu fi-7160');
  await panel.getByLabel('Mode warna').selectOption({ label: 'Skala keabuan' });
  await panel.getByLabel('Pelaksana alih media: Nama').fill('Siti Aminah');
  await panel.getByLabel('Pelaksana alih media: NIP').fill('198701012010012001');
  // Who witnessed and who acknowledges are asked for by name, in Indonesian.
  await panel.getByRole('button', { name: 'Unduh berita acara (PDF)' }).click();
  await expect(panel.getByRole('alert')).toHaveText('Lengkapi dulu: Saksi, Mengetahui (pimpinan).');
  await panel.getByLabel('Saksi: Nama').fill('Budi Santoso');
  await panel.getByLabel('Mengetahui (pimpinan): Nama').fill('Dr. Ahmad Fauzi');
  await panel.getByLabel('Mengetahui (pimpinan): Jabatan').fill('Sekretaris KPU Kota Bogor');

  const ba = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Unduh berita acara (PDF)' }).click();
  const baDownload = await ba;
  // Named after its number, so the next batch's does not overwrite it.
  expect(baDownload.suggestedFilename()).toBe('alih-media-7-BA-AM-XII-2026-ba.pdf');
  const baFile = await baDownload.path();
  execFileSync('qpdf', ['--check', baFile]);
  const baText = execFileSync('pdftotext', [baFile, '-']).toString().replace(/\s+/g, ' ');
  expect(baText).toContain('BERITA ACARA ALIH MEDIA ARSIP');
  expect(baText).toContain('Nomor: 7/BA-AM/XII/2026');
  expect(baText).toContain('Fujitsu fi-7160');
  expect(baText).toContain('skala keabuan');
  expect(baText).toContain(number);
  expect(baText).toContain('NIP. 198701012010012001');
  expect(baText).toContain('Sekretaris KPU Kota Bogor,');
  await expect(panel.getByRole('status')).toContainText('Dokumen alih media untuk 1 berkas diunduh.');

  // The list's hashes are those of the originals the archive serves.
  const csv = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Unduh daftar (CSV)' }).click();
  const [header, ...rows] = fs.readFileSync(await (await csv).path(), 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(header).toBe(
    'no,nomor_berita_acara,kode_klasifikasi,nomor_berkas,nomor_arsip,uraian_arsip,tanggal,halaman,lokasi_asli,nama_file,format,ukuran_byte,sha256,keterangan',
  );
  expect(rows.length).toBeGreaterThan(0);
  const auth = { Authorization: `Bearer ${await token(request, 'arsip1')}` };
  const hashes: string[] = [];
  for (const row of rows) {
    const [, size, sha] = /,(\d+),([0-9a-f]{64}),/.exec(row) ?? [];
    expect(sha, row).toBeTruthy();
    hashes.push(sha ?? '');
    const original = await request.get(`${OFFICE}/api/files/${sha}`, { headers: auth });
    expect(original.ok()).toBeTruthy();
    const body = await original.body();
    expect(createHash('sha256').update(body).digest('hex')).toBe(sha);
    expect(String(body.length)).toBe(size);
  }
  const list = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Unduh daftar (PDF)' }).click();
  const listText = execFileSync('pdftotext', [await (await list).path(), '-']).toString();
  expect(listText).toContain('DAFTAR ARSIP ALIH MEDIA');
  expect(listText).toContain((hashes[0] ?? '-').slice(0, 16));
  // And as a spreadsheet an office opens in Excel.
  const sheet = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Unduh daftar (Excel)' }).click();
  const sheetDownload = await sheet;
  expect(sheetDownload.suggestedFilename()).toBe('alih-media-7-BA-AM-XII-2026-list.xlsx');
  const parts = execFileSync('python3', ['-m', 'zipfile', '-l', await sheetDownload.path()]).toString();
  expect(parts).toContain('xl/worksheets/sheet1.xml');
  await page.screenshot({ path: path.join(os.tmpdir(), 'alih-media.png'), fullPage: true });
  expect(await axeProblems(page)).toEqual([]);

  // The secretariat reads berkas but makes no berita acara.
  await loginUi(page, 'sekre1');
  await page.getByRole('link', { name: 'Berkas & Retensi' }).click();
  await expect(page.getByTestId('berkas-table')).toBeVisible();
  await expect(page.getByTestId('digitisation')).toHaveCount(0);
});
