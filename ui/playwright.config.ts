import { defineConfig } from '@playwright/test';

// Real Chromium from Debian (a test tool's own browser download fails here),
// against real `arsip serve` processes on a generated archive.
export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    baseURL: 'http://127.0.0.1:18181',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    viewport: { width: 1280, height: 900 },
  },
  webServer: {
    command: 'bash e2e/serve.sh',
    url: 'http://127.0.0.1:18181/api/me',
    timeout: 300_000,
    reuseExistingServer: false,
  },
});
