import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { mailOutbox } from '../../server/db/mailSchema';
import { apiLogin, screenshot } from '../helpers/browser';
import { e2eSuite } from '../helpers/e2e';
import { DEMO } from '../helpers/testApp';

const e2e = e2eSuite();

describe('administration in the browser', () => {
  it('an admin invites an L2 agent from /admin/users, who signs in through the link in the captured mail', async () => {
    const { page } = await e2e.signedIn(DEMO.admin, '/admin');
    // /admin opens its first section.
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/users');
    await screenshot(page, 'admin-users-1440');

    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /^E-mail/ }).fill('wang.fang@example.com');
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('王芳');
    await dialog.getByLabel('Tier', { exact: true }).click();
    await page.getByRole('option', { name: 'L2' }).click();
    await dialog.getByLabel('Skills', { exact: true }).fill('video');
    await dialog.getByLabel('Skills', { exact: true }).press('Enter');
    await dialog.getByRole('button', { name: 'Create and invite' }).click();
    await dialog
      .getByText('wang.fang@example.com was created; the invitation e-mail is on its way.')
      .waitFor();
    await dialog.getByRole('button', { name: 'Dismiss' }).click();

    await page.getByRole('searchbox', { name: 'Search' }).fill('wang');
    const row = page.getByRole('row').filter({ hasText: 'wang.fang@example.com' });
    await row.waitFor();
    expect(await row.textContent()).toContain('L2');

    const rows = await e2e.testApp.app.db.db.execute(
      sql`select kind, text_body from mail_outbox where recipient = 'wang.fang@example.com'`,
    );
    const mails = ((rows as any).rows ?? rows) as Array<{ kind: string; text_body: string }>;
    expect(mails.map((m) => m.kind)).toEqual(['invitation']);
    const link = /(\S*\/accept-invitation\?token=[\w-]+)/.exec(mails[0]!.text_body)![1]!;

    // The new agent opens the link from the mail, chooses a password and is signed in as an L2 agent.
    const invitee = e2e.watch(await (await e2e.context()).newPage());
    await invitee.goto(`${e2e.url}${new URL(link).pathname}${new URL(link).search}`);
    await invitee.getByRole('heading', { name: 'Welcome to Livedesk' }).waitFor();
    await invitee.getByLabel('New password', { exact: true }).fill('amber-kettle-orbit-9');
    await invitee.getByLabel('Repeat the new password').fill('amber-kettle-orbit-9');
    await invitee.getByRole('button', { name: 'Set password and sign in' }).click();
    await invitee.waitForURL(`${e2e.url}/`);
    const me = await invitee.evaluate(() =>
      fetch('/api/auth/session/refresh', { method: 'POST' }).then((r) => r.json()),
    );
    expect(me.user).toMatchObject({ email: 'wang.fang@example.com', role: 'agent', tier: 'L2' });

    // The change is in the audit log, newest first, with its before and after.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('cell', { name: 'user.invited' }).first().waitFor();
    await page.getByRole('button', { name: 'Show before and after' }).first().click();
    await page.getByText('"tier": "L2"').waitFor();
    await screenshot(page, 'admin-audit-1440');
  });

  it("a disabled user's open page is signed out within seconds after the admin clicks Disable", async () => {
    const agent = await e2e.signedIn(DEMO.agentL1, '/');
    const { page } = await e2e.signedIn(DEMO.admin, '/admin/users');
    await page.getByRole('searchbox', { name: 'Search' }).fill(DEMO.agentL1);
    await page.getByRole('button', { name: 'Edit Lee L1' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disable account' }).click();
    await page.getByRole('row').filter({ hasText: DEMO.agentL1 }).getByText('Disabled').waitFor();

    // No reload, no click on the agent's side: the server ends the connection and the page follows.
    await agent.page.getByText('Your session has ended').waitFor({ timeout: 10_000 });
    expect(new URL(agent.page.url()).pathname).toBe('/login');
  });

  it('shows the outgoing mail, where the embedded default writes it, and retries a failed one', async () => {
    // A mail the provider refused on every attempt (as a long SMTP outage leaves it).
    const db = e2e.testApp.app.db.db;
    const failedAt = new Date();
    await db.insert(mailOutbox).values({
      kind: 'reply',
      recipient: 'outage.customer@example.com',
      subject: '[Livedesk #7] New reply: Video stops',
      textBody: 'A reply.',
      htmlBody: '<p>A reply.</p>',
      createdAt: failedAt,
      attempts: 6,
      nextAttemptAt: failedAt,
      failedAt,
      lastError: 'connect ECONNREFUSED 127.0.0.1:25',
    });
    const { page } = await e2e.signedIn(DEMO.admin, '/admin/mail');
    await page.getByRole('heading', { name: 'Outgoing mail' }).waitFor();
    // No SMTP configured: the admin is told where the files are.
    await page.getByText('No SMTP server is configured').waitFor();
    await page.getByText(path.join(e2e.testApp.app.config.dataDir, 'mail')).waitFor();

    await page.getByRole('combobox', { name: 'State' }).click();
    await page.getByRole('option', { name: 'Failed' }).click();
    const row = page.getByRole('row').filter({ hasText: 'outage.customer@example.com' });
    await row.getByText('Last error: connect ECONNREFUSED 127.0.0.1:25').waitFor();
    await screenshot(page, 'admin-mail-1440');
    await row.getByRole('button', { name: 'Retry the mail to outage.customer@example.com' }).click();
    // Written to the folder at once: it leaves the failed list and shows as sent.
    await row.waitFor({ state: 'detached' });
    await page.getByRole('combobox', { name: 'State' }).click();
    await page.getByRole('option', { name: 'Sent' }).click();
    await page
      .getByRole('row')
      .filter({ hasText: 'outage.customer@example.com' })
      .getByText('Sent', { exact: true })
      .waitFor();
    expect(
      fs.readdirSync(path.join(e2e.testApp.app.config.dataDir, 'mail')).some((f) => f.endsWith('.eml')),
    ).toBe(true);
  });

  it('works at 390 px and in Chinese: the sections are a select, the pages are translated', async () => {
    const admin = await apiLogin(e2e.url, DEMO.admin);
    const { page } = await e2e.signedIn(admin, '/admin/sla', { viewport: { width: 390, height: 844 } });
    // The language a person chose is kept in the browser; switched here, as the menu would.
    await page.evaluate(() => localStorage.setItem('livedesk.language', 'zh-CN'));
    await page.reload();
    await page.getByRole('heading', { name: 'SLA 策略' }).waitFor();
    await screenshot(page, 'admin-sla-390-zh');
    await page.getByRole('combobox', { name: '栏目' }).selectOption('routing');
    await page.getByRole('heading', { name: '分配规则' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/routing');
    // The page fits the phone: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'admin-routing-390-zh');
    await page.getByRole('combobox', { name: '栏目' }).selectOption('mail');
    await page.getByRole('heading', { name: '外发邮件' }).waitFor();
    await page.getByText('未配置 SMTP 服务器').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'admin-mail-390-zh');
  });

  it('a supervisor gets only the sections for supervisors; QA is told administration is not theirs', async () => {
    // Supervisors keep the shared macros, so /admin opens for them, on that section alone.
    const { page } = await e2e.signedIn(DEMO.supervisor, '/admin/users');
    await page.waitForURL((url) => url.pathname === '/admin/macros');
    const sections = page.getByRole('navigation', { name: 'Administration sections' });
    await sections.getByRole('link', { name: 'Macros' }).waitFor();
    expect(await sections.getByRole('link').count()).toBe(1);
    const qa = await e2e.signedIn(DEMO.qa, '/admin');
    await qa.page.getByText('Administration is for administrators.').waitFor();
    expect(await qa.page.getByRole('link', { name: 'Administration' }).count()).toBe(0);
  });
});
