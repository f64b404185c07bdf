import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { calls, recordings, tickets } from '../../server/db/schema';
import type { TicketView } from '../../signaling/shared/protocol';
import { type ApiLogin, apiLogin, screenshot } from '../helpers/browser';
import { e2eSuite } from '../helpers/e2e';
import { DEMO } from '../helpers/testApp';

/**
 * Small wording a newcomer trips over: a failed recording's "0 byte", a share of the "time to
 * resolution" on a ticket that is not resolved, a 404 page that drops the signed-in header. Each
 * is checked in English and Chinese, as a person sees the page.
 */
// Each test closes its pages and checks their errors itself (afterEach below).
const e2e = e2eSuite({ checkPageErrors: false });
let supervisor: ApiLogin;
let openTicket: TicketView;
let solvedTicket: TicketView;
let failedId: string;
let smallId: string;

const api = <T>(token: string, path: string, init: { method?: string; body?: unknown } = {}) =>
  e2e.apiOk<T>(token, path, {
    method: init.method ?? 'GET',
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });

/** One fixed "now", so the shares below are exact (a call of 2 minutes in 10: 20 %). */
const BASE = Date.now();
const at = (minutesAgo: number) => new Date(BASE - minutesAgo * 60_000);

/** A ticket opened ten minutes ago with one call that was connected for two minutes. */
async function ticketWithCall(customerToken: string, subject: string, agentId: string) {
  const ticket = await api<TicketView>(customerToken, '/api/tickets', {
    method: 'POST',
    body: { subject, description: 'Please look at it', category: 'video_call' },
  });
  const db = e2e.testApp.app.db.db;
  await db
    .update(tickets)
    .set({ createdAt: at(10) })
    .where(eq(tickets.id, ticket.id));
  const [call] = await db
    .insert(calls)
    .values({
      ticketId: ticket.id,
      startedById: agentId,
      status: 'ended',
      startedAt: at(9),
      answeredAt: at(8.5),
      connectedAt: at(8),
      endedAt: at(6),
      endReason: 'hangup',
    })
    .returning();
  return { ticket, callId: call!.id };
}

/** A page signed in as `login` (as `openSignedIn` does), waited on until its socket is connected. */
async function signedIn(
  login: ApiLogin,
  path: string,
  options: { locale?: string; width?: number } = {},
): Promise<Page> {
  const context = await e2e.context({
    ...(options.locale ? { locale: options.locale } : {}),
    viewport: { width: options.width ?? 1440, height: 900 },
  });
  await context.addInitScript((session) => {
    if (!localStorage.getItem('livedesk.session')) localStorage.setItem('livedesk.session', session);
  }, JSON.stringify(login));
  const page = await context.newPage();
  e2e.watch(page);
  await page.goto(`${e2e.url}${path}`);
  await page
    .getByRole('status')
    .filter({ hasText: /Connected|已连接/ })
    .first()
    .waitFor();
  return page;
}

beforeAll(async () => {
  supervisor = await apiLogin(e2e.url, DEMO.supervisor);
  const customer = await apiLogin(e2e.url, DEMO.customer);
  const agent = await apiLogin(e2e.url, DEMO.agentL1);
  const open = await ticketWithCall(customer.token, 'Still open after a call', agent.user.id);
  const solved = await ticketWithCall(customer.token, 'Solved after a call', agent.user.id);
  await api(agent.token, `/api/tickets/${solved.ticket.id}/claim`, { method: 'POST' });
  solvedTicket = await api<TicketView>(agent.token, `/api/tickets/${solved.ticket.id}`, {
    method: 'PATCH',
    body: { status: 'solved' },
  });
  // Solved exactly ten minutes after it was opened.
  await e2e.testApp.app.db.db
    .update(tickets)
    .set({ solvedAt: at(0) })
    .where(eq(tickets.id, solvedTicket.id));
  openTicket = open.ticket;
  // What the recorder leaves: a recording that failed (no file at all) and a tiny finished one.
  const [failed] = await e2e.testApp.app.db.db
    .insert(recordings)
    .values({
      callId: open.callId,
      ticketId: open.ticket.id,
      startedById: agent.user.id,
      trigger: 'manual',
      status: 'failed',
      startedAt: at(8),
      endedAt: at(6),
      sizeBytes: 0,
      error: 'Could not record camera.',
    })
    .returning();
  const [small] = await e2e.testApp.app.db.db
    .insert(recordings)
    .values({
      callId: solved.callId,
      ticketId: solved.ticket.id,
      startedById: agent.user.id,
      trigger: 'manual',
      status: 'ready',
      startedAt: at(8),
      endedAt: at(6),
      durationSeconds: 120,
      sizeBytes: 512,
    })
    .returning();
  failedId = failed!.id;
  smallId = small!.id;
});

afterEach(async () => {
  for (const c of e2e.contexts.splice(0)) await c.close();
  // An uncaught exception in the client is a bug even when the screen looks right.
  expect(e2e.pageErrors.flat()).toEqual([]);
  e2e.pageErrors.length = 0;
});

const CASES = [
  { locale: 'en-US', noFile: 'No file', bytes: '512 bytes', share: '20% of the time to resolution' },
  { locale: 'zh-CN', noFile: '无文件', bytes: '512 字节', share: '占解决时间的 20%' },
] as const;

describe.each(CASES)('wording in $locale', ({ locale, noFile, bytes, share }) => {
  it('says a failed recording has no file, and counts bytes in words', async () => {
    const page = await signedIn(supervisor, '/qa', { locale });
    const failedRow = page.locator(`tr[data-recording-id="${failedId}"]`);
    await failedRow.getByText(noFile, { exact: true }).waitFor();
    await page.locator(`tr[data-recording-id="${smallId}"]`).getByText(bytes, { exact: true }).waitFor();
    expect(await page.locator('main').textContent()).not.toMatch(/\b0 ?byte|0 ?字节/);
    await screenshot(page, `wording-qa-list-${locale}`);

    await page.goto(`${e2e.url}/qa/recordings/${failedId}`);
    const summary = page.getByText(new RegExp(`· ${noFile} ·`));
    await summary.waitFor();
    expect(await page.locator('main').textContent()).not.toMatch(/\b0 ?byte|0 ?字节/);
    await screenshot(page, `wording-qa-failed-recording-${locale}`);
  });

  it('says a first response given at once took 0 seconds, not nothing', async () => {
    // Intl.DurationFormat leaves out units that are zero, so 0 s used to read "First response: ".
    const customer = await apiLogin(e2e.url, DEMO.customer);
    const ticket = await api<TicketView>(customer.token, '/api/tickets', {
      method: 'POST',
      body: { subject: `Answered at once (${locale})`, description: 'Quick one', category: 'account' },
    });
    await e2e.testApp.app.db.db
      .update(tickets)
      .set({ firstResponseAt: new Date(ticket.createdAt) })
      .where(eq(tickets.id, ticket.id));
    const page = await signedIn(supervisor, `/tickets/${ticket.id}`, { locale });
    const firstResponse = page.getByTestId('first-response');
    await firstResponse.waitFor();
    expect(await firstResponse.textContent()).toMatch(/[:：]\s*0\s?\S+$/);
  });

  it('gives the call share of the time to resolution only once the ticket is resolved', async () => {
    const page = await signedIn(supervisor, `/tickets/${solvedTicket.id}`, { locale });
    const solvedCalls = page.getByTestId('call-time');
    await solvedCalls.waitFor();
    expect(await solvedCalls.textContent()).toContain(share);

    await page.goto(`${e2e.url}/tickets/${openTicket.id}`);
    const openCalls = page.getByTestId('call-time');
    await openCalls.waitFor();
    // The call is listed, and nothing is said about a resolution that has not happened.
    expect(await openCalls.getAttribute('data-call-seconds')).toBe('120');
    expect(await openCalls.textContent()).not.toMatch(/resolution|解决/);
    await screenshot(page, `wording-open-ticket-call-time-${locale}`);
  });
});

describe('the 404 page', () => {
  for (const { locale, heading, signOut, menu } of [
    { locale: 'en-US', heading: 'Page not found', signOut: 'Sign out', menu: 'Menu' },
    { locale: 'zh-CN', heading: '页面不存在', signOut: '退出登录', menu: '菜单' },
  ]) {
    for (const width of [1440, 390]) {
      it(`keeps the signed-in header, in ${locale} at ${width} px`, async () => {
        const page = await signedIn(supervisor, '/no/such/page', { locale, width });
        await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
        if (width >= 768) await page.getByRole('button', { name: signOut }).waitFor();
        else {
          // A phone's header keeps Sign out in its menu.
          await page.getByRole('banner').getByRole('button', { name: menu }).click();
          await page.getByRole('menuitem', { name: signOut }).waitFor();
          await page.keyboard.press('Escape');
        }
        // One main landmark (the layout's), the 404 inside it; the way home is in the header too.
        expect(await page.getByRole('main').count()).toBe(1);
        expect(await page.getByRole('main').getByRole('heading', { name: heading }).count()).toBe(1);
        expect(
          await page
            .getByRole('banner')
            .getByRole('link', { name: /Livedesk/ })
            .count(),
        ).toBe(1);
        await screenshot(page, `wording-404-signed-in-${locale}-${width}`);
      });
    }
  }

  it('stands alone for a visitor who is not signed in', async () => {
    const context = await e2e.context();
    const page = e2e.watch(await context.newPage());
    await page.goto(`${e2e.url}/no/such/page`);
    await page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await page.getByRole('main').count()).toBe(1);
    await screenshot(page, 'wording-404-signed-out');
  });
});
