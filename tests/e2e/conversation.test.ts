import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userRoom } from '../../signaling/rooms';
import type { CallView, MessageView } from '../../signaling/shared/protocol';
import { type ApiLogin, screenshot } from '../helpers/browser';
import { BROWSER_RTP_CAPABILITIES, ok } from '../helpers/callClient';
import { e2eSuite } from '../helpers/e2e';
import { socketPool } from '../helpers/sockets';
import { DEMO } from '../helpers/testApp';

// The conversation and the timeline as people read them: each call in the conversation shows its
// live state and only a live one can be joined (an ended call's page never opens the camera);
// timeline entries and system messages are sentences in the reader's language; the customer's
// banner follows the status; a message written offline goes out by itself, once, on reconnect.

const e2e = e2eSuite({ env: { CALL_RING_SECONDS: '60', CALL_REJOIN_GRACE_SECONDS: '20' } });
const { socketFor, closeAll } = socketPool(() => e2e.url);
afterAll(closeAll);

const signedIn = (email: string, path: string, viewport?: { width: number; height: number }) =>
  e2e.signedIn(email, path, { ...(viewport ? { viewport } : {}), prepare: countCameraOpenings });

async function countCameraOpenings(context: BrowserContext): Promise<void> {
  // Counts every opening of camera or microphone, on every page of this context.
  await context.addInitScript(() => {
    const w = window as unknown as { __gum: number };
    w.__gum = 0;
    const devices = navigator.mediaDevices;
    if (!devices) return;
    const original = devices.getUserMedia.bind(devices);
    devices.getUserMedia = (constraints) => {
      w.__gum++;
      return original(constraints);
    };
  });
}

/** Switches the page's language the way the language menu does (remembered, then reloaded). */
async function useLanguage(page: Page, language: 'en' | 'zh-CN') {
  await page.evaluate((l) => localStorage.setItem('livedesk.language', l), language);
  await page.reload();
  await page.waitForFunction((l) => document.documentElement.lang === l, language);
}

async function api<T>(token: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return e2e.api<T>(token, path, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
}

const newTicket = (token: string, subject: string) => e2e.newTicket(token, subject);

/** Screenshots (with E2E_SCREENSHOT_DIR) at a phone's and a desktop's width, for looking at them. */
async function screenshotWidths(page: Page, name: string) {
  for (const width of [390, 1440]) {
    await page.setViewportSize({ width, height: 844 });
    await screenshot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

const getUserMediaCalls = (page: Page) => page.evaluate(() => (window as unknown as { __gum: number }).__gum);

describe('the conversation and the timeline', () => {
  let agent: { page: Page; login: ApiLogin };
  let customer: { page: Page; login: ApiLogin };

  beforeAll(async () => {
    [agent, customer] = await Promise.all([signedIn(DEMO.agentL1, '/'), signedIn(DEMO.customer, '/')]);
  });

  it('a call entry follows the call live, and only a live call links to the call page', async () => {
    const ticket = await newTicket(customer.login.token, 'Ring and cancel');
    await customer.page.goto(`${e2e.url}/tickets/${ticket.id}`);
    await customer.page.getByRole('heading', { name: /Ring and cancel/ }).waitFor();
    const agentSocket = await socketFor(agent.login.token);
    const call = ok(await agentSocket.emitWithAck('call:start', { ticketId: ticket.id }));

    const entry = customer.page.locator('[data-event="call.started"]');
    await entry.getByText('Lee L1 started a video call').waitFor();
    await entry.locator('[data-call-state="ringing"]').waitFor();
    await entry.getByRole('link', { name: 'Join the call' }).waitFor();

    ok(await agentSocket.emitWithAck('call:cancel', { callId: call.id }));
    await entry.locator('[data-call-state="cancelled"]').waitFor();
    expect(await entry.getByRole('link').count()).toBe(0);
    await screenshotWidths(customer.page, 'conversation-call-cancelled');
  });

  it('an ended call shows how it ended, with its duration, and its page never opens devices', async () => {
    const ticket = await newTicket(customer.login.token, 'Show me the settings');
    // The customer is on their home page (live) when the agent rings.
    await customer.page.goto(`${e2e.url}/`);
    await customer.page.getByRole('status').filter({ hasText: 'Connected' }).first().waitFor();
    await agent.page.goto(`${e2e.url}/tickets/${ticket.id}`);
    await agent.page.getByRole('button', { name: 'Start video call' }).click();
    await agent.page.waitForURL(/\/call\//);
    const callId = new URL(agent.page.url()).pathname.split('/').pop()!;
    const prompt = customer.page.getByRole('dialog', { name: 'Incoming video call' });
    await prompt.getByRole('button', { name: 'Accept' }).click();
    await customer.page.getByRole('button', { name: 'Join call' }).click();
    await expect
      .poll(
        async () =>
          (await api<{ items: CallView[] }>(agent.login.token, `/api/tickets/${ticket.id}/calls`)).body
            .items[0]?.status,
        { timeout: 30_000, interval: 200 },
      )
      .toBe('connected');
    await agent.page.getByRole('button', { name: 'Hang up' }).click();
    await customer.page.getByRole('heading', { name: 'Call ended' }).waitFor();
    const [ended] = (await api<{ items: CallView[] }>(agent.login.token, `/api/tickets/${ticket.id}/calls`))
      .body.items;
    expect(ended).toMatchObject({ status: 'ended', endReason: 'hangup' });

    // The customer's conversation: the entry says "ended · N s" and leads nowhere.
    await customer.page.goto(`${e2e.url}/tickets/${ticket.id}`);
    const entry = customer.page.locator('[data-event="call.started"]');
    await entry.locator('[data-call-state="ended"]').waitFor();
    expect(await entry.textContent()).toMatch(/ended · \d+ (s|min)/);
    expect(await entry.getByRole('link').count()).toBe(0);

    // An old link (a bookmark, another tab) to the ended call: how it ended, never the devices.
    await customer.page.goto(`${e2e.url}/tickets/${ticket.id}/call/${callId}`);
    await customer.page.getByRole('heading', { name: 'Call ended' }).waitFor();
    expect(
      await customer.page.getByRole('heading', { name: 'Check your camera and microphone' }).count(),
    ).toBe(0);
    expect(await getUserMediaCalls(customer.page)).toBe(0);
    await screenshot(customer.page, 'ended-call-link');

    // The agent's timeline: sentences with the duration, in English and in Chinese, no raw keys.
    await agent.page.goto(`${e2e.url}/tickets/${ticket.id}`);
    const timeline = agent.page.getByRole('region', { name: 'Timeline' });
    await timeline.getByText('Lee L1 started a video call').waitFor();
    await timeline.getByText('The video call connected').waitFor();
    await timeline.getByText(/^The video call ended after \d+ (s|min)/).waitFor();
    expect(await timeline.textContent()).not.toMatch(/call\.(started|connected|ended)/);
    await screenshotWidths(agent.page, 'timeline-en');
    await useLanguage(agent.page, 'zh-CN');
    try {
      const zhTimeline = agent.page.getByRole('region', { name: '时间线' });
      await zhTimeline.getByText('Lee L1 发起了视频通话').waitFor();
      await zhTimeline.getByText('视频通话已接通').waitFor();
      await zhTimeline.getByText(/^视频通话已结束，时长 \d+/).waitFor();
      expect(await zhTimeline.textContent()).not.toMatch(/call\.(started|connected|ended)/);
      const zhEntry = agent.page.locator('[data-event="call.started"]');
      expect(await zhEntry.textContent()).toMatch(/Lee L1 发起了视频通话 · 已结束 · \d+/);
      await screenshotWidths(agent.page, 'timeline-zh-CN');
    } finally {
      await useLanguage(agent.page, 'en');
    }
    // A whole call between two browsers, then four page loads: minutes on a busy two-core machine.
  }, 180_000);

  it('a saved whiteboard reads in the customer language', async () => {
    const ticket = await newTicket(customer.login.token, 'Draw it for me');
    const agentSocket = await socketFor(agent.login.token);
    const customerSocket = await socketFor(customer.login.token);
    const call = ok(await agentSocket.emitWithAck('call:start', { ticketId: ticket.id }));
    ok(await customerSocket.emitWithAck('call:answer', { callId: call.id, accept: true }));
    ok(await customerSocket.emitWithAck('board:open', { callId: call.id }));
    for (const s of [agentSocket, customerSocket]) {
      ok(await s.emitWithAck('call:join', { callId: call.id, rtpCapabilities: BROWSER_RTP_CAPABILITIES }));
    }
    const stroke = (id: string) => ({
      id,
      type: 'freedraw',
      version: 1,
      versionNonce: 1,
      isDeleted: false,
      x: 10,
      y: 10,
      points: [
        [0, 0],
        [40, 25],
      ],
      strokeColor: '#e03131',
      strokeWidth: 2,
    });
    ok(
      await customerSocket.emitWithAck('board:update', {
        callId: call.id,
        elements: [stroke('one'), stroke('two'), stroke('three')],
      }),
    );
    ok(await agentSocket.emitWithAck('call:hangup', { callId: call.id }));

    await useLanguage(customer.page, 'zh-CN');
    try {
      await customer.page.goto(`${e2e.url}/tickets/${ticket.id}`);
      const saved = customer.page.locator('[data-event="board.saved"]');
      await saved.getByText('通话中的白板已保存（3 个元素）').waitFor({ timeout: 20_000 });
      expect(await customer.page.locator('[data-kind="system"]').allTextContents()).not.toContainEqual(
        expect.stringContaining('Whiteboard'),
      );
      await screenshotWidths(customer.page, 'board-saved-zh-CN');
    } finally {
      await useLanguage(customer.page, 'en');
    }
  });

  it('the banner follows the status after "Mark as solved"', async () => {
    await customer.page.goto(`${e2e.url}/tickets/new`);
    await customer.page.getByRole('textbox', { name: 'Subject' }).fill('It works again');
    await customer.page.getByRole('combobox', { name: 'Category' }).selectOption({ label: 'Video call' });
    await customer.page.getByRole('textbox', { name: 'Description' }).fill('It stopped, then it came back.');
    await customer.page.getByRole('button', { name: 'Submit ticket' }).click();
    const open = customer.page.getByText(/Ticket #\d+ is open/);
    await open.waitFor();
    const number = (await open.textContent())?.match(/#(\d+)/)?.[1];
    await customer.page.getByRole('button', { name: 'Mark as solved' }).click();
    await customer.page.getByText(`Ticket #${number} is solved`, { exact: true }).waitFor();
    expect(await customer.page.getByText(/is open/).count()).toBe(0);
    await screenshot(customer.page, 'banner-solved');
  });

  it('a message written offline goes out by itself on reconnect, exactly once', async () => {
    const ticket = await newTicket(customer.login.token, 'Flaky train wifi');
    const { page, context } = await signedIn(DEMO.customer, `/tickets/${ticket.id}`);
    await page.getByRole('heading', { name: /Flaky train wifi/ }).waitFor();

    // The network goes away: nothing reaches the server, and the live connection drops.
    await context.setOffline(true);
    e2e.testApp.app.io.in(userRoom(customer.login.user.id)).disconnectSockets(true);
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ state: 'detached' });

    const body = 'Sent from the tunnel';
    await page.getByRole('textbox', { name: 'Your message' }).fill(body);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const bubble = page.getByRole('article', { name: 'Message from You' }).filter({ hasText: body });
    await bubble.getByText("Waiting for the connection — it will be sent when you're back online").waitFor();
    expect(await bubble.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await screenshotWidths(page, 'offline-waiting');

    await context.setOffline(false);
    await page.getByRole('status').filter({ hasText: 'Connected' }).first().waitFor({ timeout: 30_000 });
    await bubble.locator('time').waitFor();
    expect(await bubble.getByText('Not sent').count()).toBe(0);
    const stored = (
      await api<{ items: MessageView[] }>(customer.login.token, `/api/tickets/${ticket.id}/messages`)
    ).body.items.filter((m) => m.body === body);
    expect(stored).toHaveLength(1);
    // And it stays once: a reload shows the one stored message.
    await page.reload();
    await page.getByText(body).waitFor();
    expect(await page.getByText(body).count()).toBe(1);
  });
});
