import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Browser, chromium, LaunchOptions } from 'playwright-core';
import { startTestApp, TestApp } from './test-app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for headless Chromium on a closed network, as root, with no background traffic. */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--metrics-recording-only',
  '--no-default-browser-check',
];

export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

/**
 * `describe` for browser suites. Without Chromium a local run says so and skips the suite; in CI
 * (CI=true) the suite runs and fails, because a browser test that never runs proves nothing.
 */
export const describeBrowser: jest.Describe = (() => {
  if (chromiumAvailable() || process.env.CI === 'true') return describe;
  process.stderr.write(
    `\n[browser tests] ${CHROMIUM} not found: skipping browser suites (install Debian's chromium to run them)\n`,
  );
  return describe.skip;
})();

export async function launchBrowser(
  extraArgs: string[] = [],
  options: LaunchOptions = {},
): Promise<Browser> {
  if (!chromiumAvailable())
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    ...options,
  });
}

/** Makes the test app listen on a free loopback port and returns its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export interface BrowserApp {
  t: TestApp;
  browser: Browser;
  base: string;
}

/**
 * The usual browser suite: registers beforeAll/afterAll that start the app on a free loopback
 * port and one Chromium, and hands them to `ready` (assign them to the suite's variables).
 */
export function useBrowserApp(
  ready: (app: BrowserApp) => void,
  options: { overrides?: Record<string, unknown>; args?: string[] } = {},
): void {
  let app: Partial<BrowserApp> = {};
  beforeAll(async () => {
    const t = await startTestApp(options.overrides);
    app = { t, base: await listen(t), browser: await launchBrowser(options.args) };
    ready(app as BrowserApp);
  });
  afterAll(async () => {
    await app.browser?.close();
    await app.t?.close();
  });
}
