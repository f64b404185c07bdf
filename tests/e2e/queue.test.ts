import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { expectAccessible } from '../helpers/axe';
import { apiLogin, screenshot } from '../helpers/browser';
import { e2eSuite } from '../helpers/e2e';
import { DEMO } from '../helpers/testApp';

// The searchable queue as an agent uses it: "/" to the search box, a Chinese word finds the
// ticket whose subject holds it inside a longer phrase, the address keeps the search (the back
// button undoes it), and the ticket's page shows the customer's other tickets beside the
// conversation. A supervisor on a phone selects a ticket and changes its priority in bulk.
const e2e = e2eSuite();

describe('queue: search, filters in the address, customer context, bulk', () => {
  it('finds a ticket by a Chinese word and shows its customer beside the conversation', async () => {
    const customer = await apiLogin(e2e.url, DEMO.customer);
    const video = await e2e.newTicket(customer.token, '课程视频无法播放', '打开课程页面后一直加载');
    const refund = await e2e.newTicket(customer.token, 'Refund for a course I never started');

    const { page } = await e2e.signedIn(DEMO.agentL1, '/', { bypassCSP: true });
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Queue' })
      .click();
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    const results = page.getByRole('table', { name: 'Tickets' });
    await results.getByRole('link', { name: refund.subject }).waitFor();
    // A ticket opened while the queue is on screen appears without a reload (the live updates).
    const late = await e2e.newTicket(customer.token, 'Arrived while the queue was open');
    await results.getByRole('link', { name: late.subject }).waitFor();

    await page.keyboard.press('/');
    const search = page.getByRole('searchbox', { name: 'Search' });
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('视频');
    await results.getByRole('link', { name: refund.subject }).waitFor({ state: 'detached' });
    await results.getByRole('link', { name: video.subject }).waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('视频');
    await screenshot(page, 'queue-search-chinese');
    await expectAccessible(page, 'the queue with a search');

    // The address is the state: a reload keeps the search, the back button undoes it.
    await page.reload();
    await results.getByRole('link', { name: video.subject }).waitFor();
    expect(await search.inputValue()).toBe('视频');
    await page.goBack();
    await results.getByRole('link', { name: refund.subject }).waitFor();
    expect(await search.inputValue()).toBe('');

    await results.getByRole('link', { name: refund.subject }).click();
    const context = page.getByRole('region', { name: 'Customer' });
    await context.getByText(DEMO.customer).waitFor();
    await context.getByRole('link', { name: `#${video.number} ${video.subject}` }).waitFor();
    await context.getByText('No calls yet.').waitFor();
  });

  it('lets a supervisor on a phone change the priority of selected tickets', async () => {
    const customer = await apiLogin(e2e.url, DEMO.customer);
    const ticket = await e2e.newTicket(customer.token, 'Whiteboard 无法保存 after the call');
    const { page, login } = await e2e.signedIn(
      DEMO.supervisor,
      `/queue?q=${encodeURIComponent('无法保存')}`,
      {
        bypassCSP: true,
        viewport: { width: 390, height: 844 },
      },
    );
    const card = page.getByRole('listitem').filter({ hasText: ticket.subject });
    await card.getByRole('checkbox', { name: `Select ticket #${ticket.number}` }).check();
    const bar = page.getByRole('region', { name: 'Change the selected tickets' });
    await bar.getByText('1 selected').waitFor();
    await bar.getByPlaceholder('Set priority…').click();
    await page.getByRole('option', { name: /^P2/ }).click();
    await page.getByText('1 changed, 0 refused').waitFor();
    await screenshot(page, 'queue-bulk-phone');
    const after = await e2e.apiOk<{ priority: string }>(login.token, `/api/tickets/${ticket.id}`);
    expect(after.priority).toBe('P2');
    // No sideways scrolling on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it("shows the home page's queue tabs with /queue's ticket list, at 1440 and 390 px, in English and Chinese", async () => {
    const customer = await apiLogin(e2e.url, DEMO.customer);
    const ticket = await e2e.newTicket(customer.token, 'Home tab: the certificate has the wrong name');
    const { page } = await e2e.signedIn(DEMO.supervisor, '/?queue=all', { bypassCSP: true });
    // The same list as /queue: a table named after the tab, each ticket a row with its subject link.
    const table = page.getByRole('table', { name: 'All' });
    await table.getByRole('link', { name: ticket.subject }).waitFor();
    expect(await table.locator(`[data-ticket-id="${ticket.id}"]`).count()).toBe(1);
    expect(await table.getByRole('columnheader', { name: 'Last update' }).count()).toBe(1);
    await screenshot(page, 'home-queue-tabs-1440-en');

    await page.setViewportSize({ width: 390, height: 844 });
    const cards = page.getByRole('list', { name: 'All' });
    await cards.getByRole('link', { name: ticket.subject }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'home-queue-tabs-390-en');

    await page.evaluate(() => localStorage.setItem('livedesk.language', 'zh-CN'));
    await page.reload();
    await page.getByRole('list', { name: '全部' }).getByRole('link', { name: ticket.subject }).waitFor();
    await screenshot(page, 'home-queue-tabs-390-zh');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole('table', { name: '全部' }).getByRole('link', { name: ticket.subject }).waitFor();
    await screenshot(page, 'home-queue-tabs-1440-zh');
  });

  it('says "1,000+" when a search matches more tickets than it counts, in both languages', async () => {
    const app = e2e.app!.app;
    const customer = await apiLogin(e2e.url, DEMO.customer);
    const supervisor = await apiLogin(e2e.url, DEMO.supervisor);
    await app.db.db.execute(sql`
      INSERT INTO tickets (subject, description, category, requester_id, priority, status, channel, tier)
      SELECT 'Pomegranate course ' || g, 'Bulk', 'course', ${customer.user.id}, 'P3', 'open', 'portal', 'L1'
      FROM generate_series(1, 1001) g`);
    // As an upgrade would: the documents of tickets that have none.
    expect(await app.searchDocuments.backfill()).toBe(1001);
    for (const [locale, viewport, text] of [
      ['en', { width: 1440, height: 900 }, '1,000+ tickets'],
      ['zh-CN', { width: 390, height: 844 }, '1,000+ 个工单'],
    ] as const) {
      // Signed in through the stored session (openSignedIn waits for the English "Connected").
      const context = await e2e.context({ locale, viewport, bypassCSP: true });
      await context.addInitScript((session) => {
        if (!localStorage.getItem('livedesk.session')) localStorage.setItem('livedesk.session', session);
      }, JSON.stringify(supervisor));
      const page = e2e.watch(await context.newPage());
      await page.goto(`${e2e.url}/queue?q=pomegranate`);
      await page.getByText(text, { exact: true }).waitFor();
      await screenshot(page, `queue-count-capped-${locale}-${viewport.width}`);
      await context.close();
    }
  });
});
