import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { recordings, recordingTracks } from '../../server/db/schema';
import type { TicketView } from '../../signaling/shared/protocol';
import { expectAccessible } from '../helpers/axe';
import { screenshot } from '../helpers/browser';
import { e2eSuite, waitForBoard } from '../helpers/e2e';
import { DEMO, DEMO_PASSWORD } from '../helpers/testApp';

// Accessibility and small screens, checked in real Chromium against the real server, mediasoup
// and FFmpeg. axe-core (the engine behind most accessibility checkers) runs inside each page a
// person meets: sign-in, the customer's home and ticket, the agent's queue and ticket, a live call
// (two browsers through the SFU), the QA list and a real recording in the player; none may have a
// serious or critical violation. Then the same journey on a 390×844 phone: nothing is wider than
// the screen, the call's chat drawer opens and sends, the board waits to be opened and then works,
// Sign out is on screen, and the queue still shows priority and SLA.

const e2e = e2eSuite({ env: { CALL_RING_SECONDS: '30' } });

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

// bypassCSP: the app's policy allows only its own scripts, and axe-core is injected inline.
const freshContext = (viewport: { width: number; height: number }) =>
  e2e.context({ viewport, bypassCSP: true });

const signedIn = (email: string, viewport: { width: number; height: number }, path = '/') =>
  e2e.signedIn(email, path, { viewport, bypassCSP: true });

/** The page is no wider than the window: nothing to scroll sideways, nothing cut off at the edge. */
async function expectNoSidewaysScroll(page: Page, name: string): Promise<void> {
  const widths = await page.evaluate(() => ({
    scroll: document.scrollingElement?.scrollWidth ?? 0,
    window: window.innerWidth,
  }));
  expect(
    widths.scroll,
    `${name} is ${widths.scroll} px wide in a ${widths.window} px window`,
  ).toBeLessThanOrEqual(widths.window);
}

/** The element lies inside the window, where a person can see and tap it. */
async function expectOnScreen(page: Page, locator: Locator, name: string): Promise<void> {
  const box = await locator.boundingBox();
  const size = page.viewportSize()!;
  expect(box, `${name} has no box`).not.toBeNull();
  expect(
    box!.x >= 0 && box!.y >= 0 && box!.x + box!.width <= size.width && box!.y + box!.height <= size.height,
    `${name} at ${JSON.stringify(box)} is outside the ${size.width}×${size.height} window`,
  ).toBe(true);
}

/**
 * Sign out can be reached: a Sign out button in view, or (a phone) the item in the header's menu,
 * which is left open. Returns the control, on screen.
 */
async function reachSignOut(page: Page, who: string): Promise<Locator> {
  const button = page.getByRole('button', { name: 'Sign out' });
  if (await button.isVisible()) {
    await expectOnScreen(page, button, `the ${who}’s Sign out`);
    return button;
  }
  await page.getByRole('button', { name: 'Menu' }).click();
  const item = page.getByRole('menuitem', { name: 'Sign out' });
  await expectOnScreen(page, item, `the ${who}’s Sign out`);
  return item;
}

async function expectSignOutReachable(page: Page, who: string): Promise<void> {
  await reachSignOut(page, who);
  // Closes the menu if it was opened (nothing happens otherwise).
  await page.keyboard.press('Escape');
  await page.getByRole('menu').waitFor({ state: 'hidden' });
}

/**
 * A live call, both sides connected. The pictures themselves are call.test.ts's subject; waiting
 * for frames too only adds time on a busy machine.
 */
const connectCall = (agent: Page, customer: Page, ticket: TicketView) =>
  e2e.connectCall(agent, customer, ticket.id);

const newTicket = (token: string, subject: string) => e2e.newTicket(token, subject);

/** The bytes FFmpeg has written so far for each track of the call's running recording. */
async function liveTrackBytes(callId: string): Promise<number[]> {
  const { app } = e2e.testApp;
  const rows = await app.db.db
    .select({ file: recordingTracks.file })
    .from(recordingTracks)
    .innerJoin(recordings, eq(recordings.id, recordingTracks.recordingId))
    .where(eq(recordings.callId, callId));
  return rows.map(({ file }) => {
    const live = path.join(app.config.recordings.dir, file.replace(/\.webm$/, '.part.webm'));
    return fs.existsSync(live) ? fs.statSync(live).size : 0;
  });
}

/** The QA player's page of the recording made in the first block, looked at again on a phone. */
let recordingPath = '';

describe('no serious or critical accessibility violations (axe-core)', () => {
  it('on the sign-in page', async () => {
    const context = await freshContext(DESKTOP);
    const page = await context.newPage();
    e2e.watch(page);
    await page.goto(`${e2e.url}/login`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await expectAccessible(page, 'the sign-in page');
  });

  it('keeps loading indicators still for people who ask their system for less motion', async () => {
    // The customer's ticket list is held back, so its loading skeleton stays on screen while the
    // page is looked at; released once seen. Without the preference the skeleton pulses: the
    // check that it stands still could not pass by there being nothing to animate.
    for (const reducedMotion of ['reduce', 'no-preference'] as const) {
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const { page, context } = await e2e.signedIn(DEMO.customer, '/', {
        viewport: DESKTOP,
        reducedMotion,
        prepare: async (ctx) => {
          await ctx.route(/\/api\/tickets\?/, async (route) => {
            await held;
            await route.continue();
          });
        },
      });
      try {
        await page.getByRole('status', { name: 'Loading your tickets…' }).waitFor();
        const running = await page.evaluate(
          () => document.getAnimations().filter((a) => a.playState === 'running').length,
        );
        if (reducedMotion === 'reduce') expect(running).toBe(0);
        else expect(running).toBeGreaterThan(0);
        release();
        await page.getByRole('status', { name: 'Loading your tickets…' }).waitFor({ state: 'detached' });
      } finally {
        // Also when a check failed: no request left held, no context left open.
        release();
        await context.close();
      }
    }
  });

  // One journey in steps that share the pages: a ticket, the call about it, its recording.
  let customer: Page;
  let agent: Page;
  let ticket: TicketView;

  it('on the customer’s home and ticket', async () => {
    const customerSide = await signedIn(DEMO.customer, DESKTOP);
    customer = customerSide.page;
    ticket = await newTicket(customerSide.login.token, 'Where do I publish an assignment?');
    await customer.reload();
    await customer.getByRole('link', { name: /Where do I publish an assignment\?/ }).waitFor();
    await expectAccessible(customer, 'the customer’s home');

    await customer.goto(`${e2e.url}/tickets/${ticket.id}`);
    await customer.getByRole('heading', { name: /Where do I publish an assignment\?/ }).waitFor();
    await expectAccessible(customer, 'the customer’s ticket');
  });

  it('on the agent’s queue and ticket', async () => {
    agent = (await signedIn(DEMO.agentL1, DESKTOP)).page;
    await agent
      .getByRole('link', { name: /Where do I publish an assignment\?/ })
      .first()
      .waitFor();
    await expectAccessible(agent, 'the agent’s queue');

    await agent.goto(`${e2e.url}/tickets/${ticket.id}`);
    await agent.getByRole('button', { name: 'Start video call' }).waitFor();
    await expectAccessible(agent, 'the agent’s ticket');
  });

  it('in a call on both sides (two browsers through the SFU), recorded for QA', {
    timeout: 150_000,
  }, async () => {
    await customer.goto(`${e2e.url}/`);
    const callId = await connectCall(agent, customer, ticket);
    await agent.getByRole('button', { name: 'Start recording' }).click();
    await customer.getByRole('status', { name: 'Recording: this call is being recorded' }).waitFor();
    // A video track has media only from its first keyframe: stopped before FFmpeg wrote any, it
    // would be saved as failed (the call "partly saved"). Wait until all four tracks hold media.
    await expect
      .poll(() => liveTrackBytes(callId), { timeout: 30_000, interval: 200 })
      .toSatisfy((bytes: number[]) => bytes.length === 4 && bytes.every((b) => b > 1_000));
    await expectAccessible(agent, 'the agent’s call');
    await expectAccessible(customer, 'the customer’s call');
    await agent.getByRole('button', { name: 'Stop recording' }).click();
    await agent.locator('[data-recording-status="ready"]').waitFor({ timeout: 60_000 });
    await agent.getByRole('button', { name: 'Hang up' }).click();
    await customer.getByRole('heading', { name: 'Call ended' }).waitFor();
    await expectAccessible(customer, 'the customer’s call-ended page');
  });

  it('in the QA list and player', async () => {
    const { page: qa } = await signedIn(DEMO.qa, DESKTOP, '/qa');
    const table = qa.getByRole('table', { name: 'Quality review' });
    await table.getByRole('link', { name: /Review the recording of/ }).waitFor();
    await expectAccessible(qa, 'the QA list');
    await table.getByRole('link', { name: /Review the recording of/ }).click();
    const play = qa.getByRole('button', { name: 'Play', exact: true });
    await expect.poll(() => play.isEnabled(), { timeout: 20_000 }).toBe(true);
    // The call had a board: axe looks at the player with its replay drawn, not while it loads.
    await qa.getByTestId('board-replay').locator('canvas.static').waitFor();
    await expectAccessible(qa, 'the QA player');
    recordingPath = new URL(qa.url()).pathname;
  });
});

const boardElementCount = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { __livedeskBoard?: { elements(): unknown[] } }).__livedeskBoard?.elements()
        .length ?? 0,
  );

describe('on a 390×844 phone', () => {
  it('signs in, and the customer’s pages fit the screen', async () => {
    const context = await freshContext(PHONE);
    const page = await context.newPage();
    e2e.watch(page);
    await page.goto(`${e2e.url}/login`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await expectNoSidewaysScroll(page, 'the sign-in page');
    await screenshot(page, 'phone-sign-in');
    await page.getByLabel('Email').fill(DEMO.customer);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const welcome = page.getByRole('heading', { name: 'Welcome, Casey Customer', level: 1 });
    await welcome.waitFor();
    await expectNoSidewaysScroll(page, 'the customer’s home');
    // The page starts below the fixed header, not under it.
    const header = (await page.getByRole('banner').boundingBox())!;
    expect((await welcome.boundingBox())!.y).toBeGreaterThanOrEqual(header.y + header.height);
    await screenshot(page, 'phone-customer-home');

    await page.getByRole('link', { name: 'New ticket' }).first().click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectNoSidewaysScroll(page, 'the new-ticket page');
    await screenshot(page, 'phone-new-ticket');

    const signOut = await reachSignOut(page, 'customer');
    await screenshot(page, 'phone-menu');
    await signOut.click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('keeps priority and SLA in the agent’s queue, Sign out on screen, and the call usable', {
    timeout: 180_000,
  }, async () => {
    const customerSide = await signedIn(DEMO.customer, PHONE);
    const customer = customerSide.page;
    const ticket = await newTicket(customerSide.login.token, 'The publish button does nothing on my phone');
    await customer.goto(`${e2e.url}/tickets/${ticket.id}`);
    await customer.getByRole('heading', { name: /The publish button does nothing/ }).waitFor();
    await expectNoSidewaysScroll(customer, 'the customer’s ticket');
    await screenshot(customer, 'phone-customer-ticket');

    const { page: agent } = await signedIn(DEMO.agentL1, PHONE);
    const row = agent.locator(`[data-ticket-id="${ticket.id}"]`).first();
    await row.waitFor();
    await screenshot(agent, 'phone-agent-queue');
    await expectAccessible(agent, 'the agent’s queue on a phone');
    await expectSignOutReachable(agent, 'agent');
    await expectNoSidewaysScroll(agent, 'the agent’s queue');
    // What an agent triages by is on screen, not in a part of the table scrolled out of view.
    await expectOnScreen(
      agent,
      row.getByRole('link', { name: /The publish button does nothing/ }),
      'the subject',
    );
    await expectOnScreen(agent, row.getByLabel('Ordinary fault'), 'the priority');
    await expectOnScreen(agent, row.getByLabel(/^First response: /), 'the first-response SLA');

    await agent.goto(`${e2e.url}/tickets/${ticket.id}`);
    await agent.getByRole('button', { name: 'Start video call' }).waitFor();
    await screenshot(agent, 'phone-agent-ticket');
    await expectNoSidewaysScroll(agent, 'the agent’s ticket');
    await expectSignOutReachable(agent, 'agent');

    // A call between two phones.
    await connectCall(agent, customer, ticket);
    for (const [page, who] of [
      [agent, 'agent'],
      [customer, 'customer'],
    ] as const) {
      await screenshot(page, `phone-${who}-call`);
      await expectNoSidewaysScroll(page, `the ${who}’s call`);
      await expectOnScreen(page, page.getByRole('button', { name: 'Hang up' }), `the ${who}’s Hang up`);
      await expectAccessible(page, `the ${who}’s call on a phone`);
    }

    // The chat is in a drawer: it opens, and a message sent from it reaches the agent.
    await customer.getByRole('button', { name: 'People and chat' }).click();
    const drawer = customer.getByRole('dialog', { name: 'People and chat' });
    await drawer.waitFor();
    // A tap waits for the drawer to stop sliding in; then the box is where the person sees it.
    const messageBox = drawer.getByRole('textbox').first();
    await messageBox.click();
    await expectOnScreen(customer, messageBox, 'the chat’s message box');
    await messageBox.fill('Sent from the call on my phone');
    await drawer.getByRole('button', { name: /^Send/ }).click();
    await drawer.getByText('Sent from the call on my phone').waitFor();
    await expectNoSidewaysScroll(customer, 'the customer’s call with the chat open');
    await screenshot(customer, 'phone-customer-call-chat');
    await customer.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await agent.getByRole('button', { name: 'People and chat' }).click();
    await agent
      .getByRole('dialog', { name: 'People and chat' })
      .getByText('Sent from the call on my phone')
      .waitFor();
    await agent.keyboard.press('Escape');

    // The board: the agent draws; on the customer's phone the board does not take over the call
    // by itself (the button gets a dot), and once opened it fits and can be drawn on.
    await agent.getByRole('button', { name: 'Whiteboard' }).click();
    await waitForBoard(agent);
    await drawStroke(agent);
    await expect.poll(() => boardElementCount(agent)).toBe(1);
    const boardState = () =>
      customer.evaluate(() => ({
        open: document.querySelector('[data-testid="whiteboard"]') !== null,
        dot:
          document.querySelector('[data-testid="whiteboard-toggle"]')?.getAttribute('data-unseen') === 'true',
      }));
    await expect.poll(boardState, { timeout: 10_000 }).toEqual({ open: false, dot: true });
    await customer.getByRole('button', { name: 'Whiteboard' }).click();
    await waitForBoard(customer);
    await expect.poll(() => boardElementCount(customer)).toBe(1);
    await expectNoSidewaysScroll(customer, 'the customer’s call with the board open');
    const canvas = customer.locator('[data-testid="whiteboard"] canvas.interactive');
    await expectOnScreen(customer, canvas, 'the board');
    await drawStroke(customer);
    await expect.poll(() => boardElementCount(agent)).toBe(2);
    await screenshot(customer, 'phone-customer-board');
  });

  it('fits the QA list and player', async () => {
    expect(recordingPath, 'the first block made a recording').toMatch(/^\/qa\/recordings\//);
    const { page: qa } = await signedIn(DEMO.qa, PHONE, '/qa');
    await qa.locator('[data-recording-id]').first().waitFor();
    await screenshot(qa, 'phone-qa-list');
    await expectNoSidewaysScroll(qa, 'the QA list');
    await expectAccessible(qa, 'the QA list on a phone');
    await qa.goto(`${e2e.url}${recordingPath}`);
    const play = qa.getByRole('button', { name: 'Play', exact: true });
    await expect.poll(() => play.isEnabled(), { timeout: 20_000 }).toBe(true);
    await screenshot(qa, 'phone-qa-player');
    await expectNoSidewaysScroll(qa, 'the QA player');
    await expectOnScreen(qa, play, 'Play');
    await expectOnScreen(
      qa,
      qa.getByRole('slider', { name: 'Position in the recording' }),
      'the position slider',
    );
    await qa.getByTestId('board-replay').locator('canvas.static').waitFor();
    await expectAccessible(qa, 'the QA player on a phone');
  });
});

/** A freehand stroke with the mouse (or finger) across the middle of the board. */
async function drawStroke(page: Page) {
  await page.getByTitle(/^Draw —/).click();
  const box = (await page.locator('[data-testid="whiteboard"] canvas.interactive').boundingBox())!;
  const x0 = box.x + box.width * 0.2;
  const y0 = box.y + box.height * 0.5;
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(x0 + i * (box.width / 20), y0 + Math.sin(i / 2) * 30);
  await page.mouse.up();
}
