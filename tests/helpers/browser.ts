import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { CLIENT_DIST } from '../../server/app';
import { DEMO_PASSWORD } from './testApp';

// Debian's Chromium (apt-get install -y chromium); never a downloaded browser.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Flags that work headless as root, with a fake camera, microphone and screen (docs/DESIGN). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  // Three fake cameras besides the three fake microphones, for device switching. fake_device_1
  // delivers Y16 (depth) frames that no encoder takes; fake_device_0 (I420) and _2 (MJPEG) send.
  '--use-fake-device-for-media-stream=device-count=3',
  '--use-fake-ui-for-media-stream',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
/** Set to a directory to keep a screenshot of each checked screen (for looking at the UI). */
export const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR;

/** Fails early, with the fix in the message, when the client is not built or Chromium is missing. */
export function assertBrowserPrerequisites(): void {
  if (!fs.existsSync(path.join(CLIENT_DIST, 'index.html'))) {
    throw new Error(
      `The web client is not built (${path.join(CLIENT_DIST, 'index.html')} is missing). ` +
        'Run `npm run build` first; `npm test` and `npm run test:e2e` do it for you.',
    );
  }
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium was not found at ${CHROMIUM_PATH}. Install it with \`apt-get install -y chromium\` ` +
        'or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * A fresh context (no shared localStorage, so no session or language leaks between users or
 * tests) with an English locale, a desktop viewport and a 15 s default timeout.
 */
export async function newContext(
  browser: Browser,
  options: {
    locale?: string;
    timezoneId?: string;
    viewport?: { width: number; height: number };
    /** What `window.screen` reports (defaults to the viewport). */
    screen?: { width: number; height: number };
    /** Lets a test inject a script of its own (axe-core) past the app's Content-Security-Policy. */
    bypassCSP?: boolean;
    /** What the page's `prefers-reduced-motion` says (the browser's default: no preference). */
    reducedMotion?: 'reduce' | 'no-preference';
  } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    viewport: options.viewport ?? { width: 1280, height: 800 },
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
    ...(options.screen ? { screen: options.screen } : {}),
    ...(options.bypassCSP ? { bypassCSP: true } : {}),
    ...(options.reducedMotion ? { reducedMotion: options.reducedMotion } : {}),
  });
  context.setDefaultTimeout(15_000);
  return context;
}

/** Collects uncaught exceptions of a page: a test should end with none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOT_DIR) return;
  // A full-page capture draws the fixed header where the viewport is scrolled to: over the middle
  // of the page after a click scrolled it. From the top, the picture is the page as laid out.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** What `POST /api/auth/login` answers, which is also what the client keeps as its session. */
export interface ApiLogin {
  token: string;
  expiresAt: string;
  user: { id: string; name: string };
}

/** Signs in over the real REST API (faster than through the form, for tests about other screens). */
export async function apiLogin(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<ApiLogin> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as ApiLogin;
}

/**
 * A page in `context` signed in as `login` (the session goes straight into localStorage, as the
 * sign-in page puts it), opened at `url` and waited on until its socket is connected. `onPage` runs
 * before navigation, to attach listeners (page errors, console) that must see the first load.
 */
export async function openSignedIn(
  context: BrowserContext,
  login: ApiLogin,
  url: string,
  onPage: (page: Page) => void = () => {},
): Promise<Page> {
  await context.addInitScript((session) => {
    if (!localStorage.getItem('livedesk.session')) localStorage.setItem('livedesk.session', session);
  }, JSON.stringify(login));
  const page = await context.newPage();
  onPage(page);
  await page.goto(url);
  await page.getByRole('status').filter({ hasText: 'Connected' }).first().waitFor();
  return page;
}
