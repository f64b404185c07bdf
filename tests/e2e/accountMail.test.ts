import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '../helpers/axe';
import { screenshot } from '../helpers/browser';
import { e2eSuite } from '../helpers/e2e';
import { linkIn, startSmtpServer } from '../helpers/smtp';
import { DEMO, startTestApp } from '../helpers/testApp';

// A customer who forgot their password, in Chromium, with the mail read from a real SMTP server:
// the sign-in page's link, the request, the mail, the link's page, the new password, signing in.
// Then a visitor creating an account from the sign-in page. Screenshots (E2E_SCREENSHOT_DIR) at
// 1440 and 390 px, in English and Chinese.
const e2e = e2eSuite({ app: false });
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
const NEW_PASSWORD = 'harbour-violet-compass-5173';

beforeAll(async () => {
  smtp = await startSmtpServer();
  e2e.app = await startTestApp({ env: { SMTP_URL: smtp.url } });
  e2e.url = e2e.app.url;
});
afterAll(async () => {
  await smtp?.close();
});

async function page(width = 1440, locale = 'en-US'): Promise<Page> {
  // bypassCSP: axe-core is injected into the pages as an extension would be.
  const context = await e2e.context({ viewport: { width, height: 900 }, locale, bypassCSP: true });
  return e2e.watch(await context.newPage());
}

describe('forgotten password, by mail', () => {
  it('asks for a link, opens it from the mail, sets a new password and signs in with it', async () => {
    const p = await page();
    await p.goto(`${e2e.url}/login`);
    await p.getByRole('link', { name: 'Forgot your password?' }).click();
    await p.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await screenshot(p, 'forgot-1440-en');
    await p.getByLabel('Email').fill(DEMO.customer);
    await p.getByRole('button', { name: 'Send the link' }).click();
    await p.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    expect(await p.getByRole('status').first().textContent()).toContain(DEMO.customer);

    const mail = await smtp.next();
    expect(mail.to).toEqual([DEMO.customer]);
    const link = linkIn(mail, '/reset-password');
    expect(link.origin).toBe(e2e.url);

    await p.goto(link.href);
    await p.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    expect(await p.getByLabel('Email').inputValue()).toBe(DEMO.customer);
    await screenshot(p, 'reset-1440-en');
    await expectAccessible(p, 'the set-password page');
    // Typed differently twice: said before anything is sent.
    await p.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await p.getByLabel('Repeat the new password').fill(`${NEW_PASSWORD}!`);
    await p.getByRole('button', { name: 'Save and sign in' }).click();
    await p.getByText('The two passwords are not the same.').waitFor();
    await p.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
    await p.getByRole('button', { name: 'Save and sign in' }).click();
    await p.waitForURL(`${e2e.url}/`);
    // Signed in: the session the page now holds answers as the customer.
    const me = await p.evaluate(() =>
      fetch('/api/auth/session/refresh', { method: 'POST' }).then((r) => r.json()),
    );
    expect(me.user.email).toBe(DEMO.customer);

    // Signing in on another browser with the new password works; the link does not work twice.
    const other = await page();
    await other.goto(`${e2e.url}/login`);
    await other.getByLabel('Email').fill(DEMO.customer);
    await other.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.waitForURL(`${e2e.url}/`);

    const again = await page();
    await again.goto(link.href);
    await again.getByText('This link was already used, or a newer one was sent since.').waitFor();
    await again.getByRole('link', { name: 'Ask for a new link' }).waitFor();
    await screenshot(again, 'reset-used-1440-en');
  });

  it('reads well at 390 px and in Chinese, with no serious accessibility violation (axe-core)', async () => {
    for (const [width, locale, tag] of [
      [390, 'en-US', '390-en'],
      [390, 'zh-CN', '390-zh'],
      [1440, 'zh-CN', '1440-zh'],
    ] as const) {
      const p = await page(width, locale);
      await p.goto(`${e2e.url}/login`);
      await p
        .getByRole('link', { name: locale === 'zh-CN' ? '忘记密码？' : 'Forgot your password?' })
        .waitFor();
      await p.getByRole('link', { name: locale === 'zh-CN' ? '创建账户' : 'Create an account' }).waitFor();
      await screenshot(p, `login-${tag}`);
      await expectAccessible(p, `login ${tag}`);
      await p.goto(`${e2e.url}/forgot-password`);
      await p
        .getByRole('heading', { name: locale === 'zh-CN' ? '重置密码' : 'Reset your password' })
        .waitFor();
      await screenshot(p, `forgot-${tag}`);
      await expectAccessible(p, `forgot ${tag}`);
      await p.goto(`${e2e.url}/signup`);
      await p
        .getByRole('heading', { name: locale === 'zh-CN' ? '创建你的账户' : 'Create your account' })
        .waitFor();
      await screenshot(p, `signup-${tag}`);
      await expectAccessible(p, `signup ${tag}`);
      await p.goto(`${e2e.url}/reset-password?token=not-a-real-token`);
      await p
        .getByRole('link', { name: locale === 'zh-CN' ? '重新申请链接' : 'Ask for a new link' })
        .waitFor();
      await screenshot(p, `reset-invalid-${tag}`);
      await expectAccessible(p, `reset-invalid ${tag}`);
      // No horizontal scrolling at any width.
      expect(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    }
  });
});

describe('customer sign-up', () => {
  it('creates an account from the sign-in page and lands signed in', async () => {
    const p = await page(390);
    await p.goto(`${e2e.url}/login`);
    await p.getByRole('link', { name: 'Create an account' }).click();
    await p.getByLabel('Your name').fill('Hana Ito');
    await p.getByLabel('Email').fill('hana.ito@example.com');
    await p.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await p.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
    await screenshot(p, 'signup-filled-390-en');
    await p.getByRole('button', { name: 'Create account' }).click();
    await p.waitForURL(`${e2e.url}/`);
    const customers = await e2e.app!.app.users.list({ role: 'customer', limit: 50, offset: 0 });
    expect(customers.map((u) => u.email)).toContain('hana.ito@example.com');

    // Turned off by an admin with the switch on their home page: the sign-in page no longer offers it.
    const { page: admin } = await e2e.signedIn(DEMO.admin, '/', { viewport: { width: 390, height: 900 } });
    const toggle = admin.getByRole('switch', { name: 'Customers may create their own account' });
    await toggle.waitFor();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await toggle.click();
    await expect.poll(() => toggle.isChecked()).toBe(false);
    await toggle.scrollIntoViewIfNeeded();
    await screenshot(admin, 'signup-setting-390-en');
    await expect
      .poll(async () => (await fetch(`${e2e.url}/api/auth/signup`).then((r) => r.json())).enabled)
      .toBe(false);
    const q = await page();
    await q.goto(`${e2e.url}/login`);
    await q.getByRole('button', { name: 'Sign in' }).waitFor();
    await q.waitForLoadState('networkidle');
    expect(await q.getByRole('link', { name: 'Create an account' }).count()).toBe(0);
  });
});
