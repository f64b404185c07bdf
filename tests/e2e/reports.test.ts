import fs from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { TicketView } from '../../signaling/shared/protocol';
import { expectAccessible } from '../helpers/axe';
import { apiLogin, screenshot } from '../helpers/browser';
import { e2eSuite } from '../helpers/e2e';
import { ReportFixtures } from '../helpers/reportFixtures';
import { DEMO } from '../helpers/testApp';

// A supervisor reads the dashboard: the last 30 days by default, the trend chart drawn, the
// low-CSAT number opened into its tickets, and that list exported as a CSV whose rows (Chinese
// included, behind a byte-order mark for Excel) are exactly those tickets. Then on a phone and in
// Chinese.
const e2e = e2eSuite();

const DAY = 86_400_000;
const ago = (days: number, plusMinutes = 0) =>
  new Date(Date.now() - days * DAY + plusMinutes * 60_000).toISOString();

describe('reports: the experience dashboard', () => {
  it('shows the range, drills into the low-CSAT tickets and exports them as CSV', async () => {
    const customer = await apiLogin(e2e.url, DEMO.customer);
    const agent = await apiLogin(e2e.url, DEMO.agentL1);
    const f = new ReportFixtures(e2e.testApp.app.db.db);
    const low: string[] = [];
    const scores = [5, 1, 4, 2, 5, 3];
    for (const [i, score] of scores.entries()) {
      const subject = score <= 2 ? `退款问题 ${i}` : `Course question ${i}`;
      const id = await f.ticket({
        subject,
        requester: customer.user.id,
        assignee: agent.user.id,
        priority: i % 2 ? 'P2' : 'P3',
        status: 'solved',
        createdAt: ago(20 - i * 3),
        firstResponseAt: ago(20 - i * 3, 5 + i),
        solvedAt: ago(20 - i * 3, 60 + i * 10),
      });
      await f.reply(id, agent.user.id, ago(20 - i * 3, 5 + i));
      await f.csat({
        ticketId: id,
        customer: customer.user.id,
        agent: agent.user.id,
        score,
        comment: score <= 2 ? '退款太慢了' : 'Fine',
        at: ago(20 - i * 3, 90),
      });
      if (score <= 2) low.push(id);
      // Two of the calls are reviewed by QA (rubric totals 20 and 15 of 25).
      if (i < 2) {
        const call = await f.call({
          ticketId: id,
          startedBy: agent.user.id,
          startedAt: ago(20 - i * 3, 10),
          connectedAt: ago(20 - i * 3, 11),
          endedAt: ago(20 - i * 3, 20),
        });
        const qa = await apiLogin(e2e.url, DEMO.qa);
        await f.qaReview({
          callId: call,
          ticketId: id,
          reviewer: qa.user.id,
          total: 20 - i * 5,
          at: ago(20 - i * 3, 30),
        });
      }
    }
    const numbers = await Promise.all(
      low.map(async (id) => (await e2e.apiOk<TicketView>(agent.token, `/api/tickets/${id}`)).number),
    );

    const { page } = await e2e.signedIn(DEMO.supervisor, '/', {
      bypassCSP: true,
      viewport: { width: 1440, height: 900 },
    });
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Reports' })
      .click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await page.getByRole('radio', { name: '30 days', checked: true }).waitFor({ state: 'attached' });
    await page.locator('[data-card="created"] [data-value]').filter({ hasText: '6' }).waitFor();
    // The trend chart is drawn for the range: its lines are in the SVG.
    await page.locator('[data-chart="trend"] .recharts-line path').first().waitFor();
    await page.locator('[data-card="csat"] [data-value]').filter({ hasText: '3.33 / 5' }).waitFor();
    // QA beside CSAT: the mean rubric total of the range, and both over time on one chart.
    await page.locator('[data-card="qa"] [data-value]').filter({ hasText: '17.5 / 25' }).waitFor();
    await page.locator('[data-chart="quality"] .recharts-line path').first().waitFor();
    // English terms are stemmed for counting but shown as customers wrote them.
    await page.locator('[data-term="course"]').waitFor();
    await screenshot(page, 'reports-dashboard-1440-en');
    await expectAccessible(page, 'the reports dashboard');

    await page.getByRole('button', { name: /^Low scores \(1–2\)\s*2$/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Low scores (1–2)' });
    await dialog.getByText('2 tickets').waitFor();
    for (const n of numbers) await dialog.getByRole('link', { name: new RegExp(`#${n} `) }).waitFor();
    await screenshot(page, 'reports-drill-down-1440-en');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('livedesk-csat.low.csv');
    const text = fs.readFileSync((await download.path()) as string, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true });
    const [header, ...rows] = parsed.data;
    expect(header?.slice(0, 2)).toEqual(['Ticket', 'Subject']);
    const csatColumn = header?.indexOf('CSAT') ?? -1;
    expect(rows.map((r) => Number(r[0])).sort()).toEqual([...numbers].sort());
    expect(rows.map((r) => r[1]).sort()).toEqual(['退款问题 1', '退款问题 3']);
    expect(rows.map((r) => r[csatColumn]).sort()).toEqual(['1', '2']);
    expect(rows.every((r) => r.includes('退款太慢了'))).toBe(true);
  });

  it('reads on a phone and in Chinese', async () => {
    const { page } = await e2e.signedIn(DEMO.supervisor, '/reports?preset=90', {
      viewport: { width: 390, height: 844 },
    });
    // The language menu's way: remembered, then reloaded.
    await page.evaluate(() => localStorage.setItem('livedesk.language', 'zh-CN'));
    await page.reload();
    await page.getByRole('heading', { name: '报表', level: 1 }).waitFor();
    await page.locator('[data-card="created"] [data-value]').filter({ hasText: '6' }).waitFor();
    await page.getByText('客户在说什么').waitFor();
    await page.locator('[data-term="退款"]').first().waitFor();
    // Nothing wider than the screen: tables scroll inside their own boxes.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'reports-dashboard-390-zh');
  });
});
