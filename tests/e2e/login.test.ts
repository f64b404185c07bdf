import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  assertBrowserPrerequisites,
  collectPageErrors,
  launchBrowser,
  newContext,
  screenshot as saveScreenshot,
} from '../helpers/browser';
import { DEMO, DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';

let app: TestApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  assertBrowserPrerequisites();
  [app, browser] = await Promise.all([startTestApp(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

beforeEach(async () => {
  // A fresh context per test: no shared localStorage, so no test inherits another's session or language.
  context = await newContext(browser);
  page = await context.newPage();
  pageErrors = collectPageErrors(page);
});

afterEach(async () => {
  await context?.close();
  // An uncaught exception in the client is a bug even when the screen looks right.
  expect(pageErrors).toEqual([]);
});

const screenshot = (name: string) => saveScreenshot(page, name);

async function signIn(email: string, password = DEMO_PASSWORD) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const pathname = () => new URL(page.url()).pathname;

describe('signing in through the web client', () => {
  it('signs the demo customer in, shows their home and connects the live socket with the token', async () => {
    // The home page is protected: an anonymous visit lands on the sign-in page first.
    await page.goto(`${app.url}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(pathname()).toBe('/login');
    // The first field has focus, so the user can type straight away.
    expect(await page.getByLabel('Email').evaluate((el) => el === document.activeElement)).toBe(true);

    await signIn(DEMO.customer);

    await page.getByRole('heading', { name: 'Welcome, Casey Customer', level: 1 }).waitFor();
    expect(pathname()).toBe('/');
    await page.getByRole('heading', { name: 'My tickets' }).waitFor();
    await page.getByText('You have no tickets yet.').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    // "Connected" appears only after the socket.io handshake accepted `auth.token` and
    // `session:whoami` answered with this very user.
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    await screenshot('customer-home');
  });

  it('shows the server’s error for a wrong password and stays on the sign-in page', async () => {
    await page.goto(`${app.url}/login`);
    await signIn(DEMO.customer, 'not-the-password');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The e-mail address or password is not correct.');
    expect(pathname()).toBe('/login');
    expect(await page.evaluate(() => localStorage.getItem('livedesk.session'))).toBeNull();
    await screenshot('login-error');
  });

  it('signs the L1 agent in to the agent console, then signs out back to the sign-in page', async () => {
    await page.goto(`${app.url}/login`);
    await signIn(DEMO.agentL1);

    await page.getByRole('heading', { name: 'Welcome, Lee L1' }).waitFor();
    await page.getByRole('heading', { name: 'Agent console' }).waitFor();
    await page.getByText('Tier L1').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(pathname()).toBe('/login');
    expect(await page.evaluate(() => localStorage.getItem('livedesk.session'))).toBeNull();

    // Signed out for real: the home page sends the visitor back to sign in.
    await page.goto(`${app.url}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(pathname()).toBe('/login');
  });

  it('switches the sign-in page to Chinese and remembers the choice', async () => {
    await page.goto(`${app.url}/login`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();

    await page.getByLabel('Language').selectOption({ label: '中文' });

    await page.getByRole('button', { name: '登录' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.getByLabel('电子邮箱').waitFor();

    await page.reload();
    await page.getByRole('button', { name: '登录' }).waitFor();
    expect(await page.getByLabel('语言').inputValue()).toBe('zh-CN');
  });

  it('keeps the language chosen while signed in on the account: another device opens in it', async () => {
    await page.goto(`${app.url}/login`);
    await signIn(DEMO.supervisor);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const stored = page.waitForResponse(
      (res) => res.url().endsWith('/api/me/locale') && res.request().method() === 'PUT',
    );
    await page.getByLabel('Language').selectOption({ label: '中文' });
    expect((await stored).status()).toBe(200);
    await page.getByRole('button', { name: '退出登录' }).waitFor();

    // Another device (its own storage, an English browser) signs in and opens in Chinese.
    const other = await newContext(browser);
    try {
      const second = await other.newPage();
      pageErrors.push(...collectPageErrors(second));
      await second.goto(`${app.url}/login`);
      await second.getByLabel('Email').fill(DEMO.supervisor);
      await second.getByLabel('Password').fill(DEMO_PASSWORD);
      await second.getByRole('button', { name: 'Sign in' }).click();
      await second.getByRole('button', { name: '退出登录' }).waitFor();
      expect(await second.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
      // Back to English there: the account follows, so a reload of the first device's session does too.
      await second.getByLabel('语言').selectOption({ label: 'English' });
      await second.getByRole('button', { name: 'Sign out' }).waitFor();
    } finally {
      await other.close();
    }
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByRole('button', { name: /Sign out|退出登录/ }).waitFor();
        return page.evaluate(() => document.documentElement.lang);
      })
      .toBe('en');
  });
});
