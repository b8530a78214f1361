import { expect, type APIRequestContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const OFFICE = 'http://127.0.0.1:18181';
export const KIOSK = 'http://127.0.0.1:18182';
export const PASSWORD = 'kata-sandi-uji';

export async function loginUi(page: Page, name: string): Promise<void> {
  await page.goto(`${OFFICE}/#/login`);
  await page.getByLabel('Nama pengguna').fill(name);
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).last().click();
  await expect(page.getByTestId('user')).toContainText(name);
}

/** A session token for API calls made by the test itself. */
export async function token(request: APIRequestContext, name: string): Promise<string> {
  const res = await request.post(`${OFFICE}/api/login`, { data: { name, password: PASSWORD } });
  expect(res.ok()).toBeTruthy();
  return ((await res.json()) as { token: string }).token;
}

/**
 * A scanned page made in the browser: black text on white at print size,
 * which the server then OCRs for real.
 */
export async function scanOf(page: Page, lines: string[]): Promise<Buffer> {
  const dataUrl = await page.evaluate((text) => {
    const c = document.createElement('canvas');
    c.width = 1700;
    c.height = 2200;
    const g = c.getContext('2d');
    if (!g) throw new Error('no canvas');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, c.width, c.height);
    g.fillStyle = '#000';
    g.font = '44px "DejaVu Sans", sans-serif';
    text.forEach((line, i) => g.fillText(line, 140, 200 + i * 80));
    return c.toDataURL('image/png');
  }, lines);
  return Buffer.from(dataUrl.split(',')[1] ?? '', 'base64');
}

/**
 * A scanned result form made in the browser: heading lines, then a ruled
 * table of rows (number, name, count) as a KPPS fills it in.
 */
export async function formScan(page: Page, heading: string[], rows: [string, string, string][]): Promise<Buffer> {
  const dataUrl = await page.evaluate(
    ({ heading, rows }) => {
      const c = document.createElement('canvas');
      c.width = 1700;
      c.height = 2200;
      const g = c.getContext('2d');
      if (!g) throw new Error('no canvas');
      g.fillStyle = '#fff';
      g.fillRect(0, 0, c.width, c.height);
      g.fillStyle = '#000';
      g.strokeStyle = '#000';
      g.lineWidth = 3;
      g.font = '42px "DejaVu Serif", serif';
      heading.forEach((line, i) => g.fillText(line, 140, 180 + i * 70));
      const top = 220 + heading.length * 70;
      const cols = [140, 260, 1180, 1560];
      const h = 80;
      rows.forEach((row, r) => {
        const y = top + r * h;
        for (let k = 0; k < 3; k++) g.strokeRect(cols[k] ?? 0, y, (cols[k + 1] ?? 0) - (cols[k] ?? 0), h);
        row.forEach((cell, k) => g.fillText(cell, (cols[k] ?? 0) + 20, y + 55));
      });
      return c.toDataURL('image/png');
    },
    { heading, rows },
  );
  return Buffer.from(dataUrl.split(',')[1] ?? '', 'base64');
}

/** Serious and critical accessibility problems on the page as it is now. */
export async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
