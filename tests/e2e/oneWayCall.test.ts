import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallView, TicketView } from '../../signaling/shared/protocol';
import { CHROMIUM_ARGS, CHROMIUM_PATH, screenshot } from '../helpers/browser';
import { e2eSuite, REMOTE_CAMERA } from '../helpers/e2e';
import { DEMO } from '../helpers/testApp';

// A one-way call: the customer's browser blocks the camera and the microphone (a real denial by
// Chromium, not a stub), so the customer only sees and hears the agent and sends nothing. The
// server decides "connected" from what its media server sees, so both pages still say Connected,
// the hang-up logs the time on the ticket, and the call counts as the first response.

const e2e = e2eSuite({ env: { CALL_REJOIN_GRACE_SECONDS: '20' } });
/** A second Chromium that answers every camera and microphone request with "denied". */
let blocking: Browser;

beforeAll(async () => {
  blocking = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      ...CHROMIUM_ARGS.filter((flag) => flag !== '--use-fake-ui-for-media-stream'),
      '--deny-permission-prompts',
    ],
  });
});

afterAll(async () => {
  await blocking?.close();
});

async function signedIn(on: Browser, email: string, viewport: { width: number; height: number }) {
  const { page, login } = await e2e.signedIn(email, '/', { viewport }, on);
  return { page, token: login.token };
}

/** The agent's picture plays at the customer: a size, and frames that keep coming. */
async function expectPicture(page: Page) {
  await page.waitForFunction(
    (sel) => (document.querySelector<HTMLVideoElement>(sel)?.videoWidth ?? 0) > 0,
    REMOTE_CAMERA,
    { timeout: 20_000, polling: 50 },
  );
  const frames = () =>
    page.evaluate(
      (sel) => document.querySelector<HTMLVideoElement>(sel)?.getVideoPlaybackQuality().totalVideoFrames ?? 0,
      REMOTE_CAMERA,
    );
  const first = await frames();
  await page.waitForFunction(
    ([sel, n]) =>
      (document.querySelector<HTMLVideoElement>(sel as string)?.getVideoPlaybackQuality().totalVideoFrames ??
        0) > (n as number),
    [REMOTE_CAMERA, first] as const,
    { timeout: 10_000, polling: 100 },
  );
}

describe('a call where the customer sends nothing', () => {
  it('connects on the agent’s media alone: both pages say Connected, the time and the first response are logged', async () => {
    const [agent, customer] = await Promise.all([
      signedIn(e2e.browser, DEMO.agentL1, { width: 1440, height: 900 }),
      signedIn(blocking, DEMO.customer, { width: 390, height: 844 }),
    ]);
    const ticket = await e2e.newTicket(customer.token, 'My camera is blocked', 'Can you show me anyway?');
    const callId = await e2e.startCall(agent.page, ticket.id);

    await customer.page
      .getByRole('dialog', { name: 'Incoming video call' })
      .getByRole('button', { name: 'Accept' })
      .click();
    // The browser refused both devices; the check says so, and joining is still possible.
    await customer.page.getByRole('alert').filter({ hasText: 'Camera and microphone are blocked' }).waitFor();
    const joinedAt = Date.now();
    await customer.page.getByRole('button', { name: 'Join call' }).click();

    // The customer sees the agent; nothing goes the other way.
    await expectPicture(customer.page);
    const room = e2e.testApp.app.media.getRoom(callId)!;
    const customerPeer = [...room.peers.values()].find((p) => p.info.role === 'customer')!;
    expect(customerPeer.producers.size).toBe(0);

    // Both pages leave "Connecting…": the server saw the agent's media reach the customer.
    await Promise.all([
      agent.page.locator('[data-call-status="connected"]').waitFor({ timeout: 20_000 }),
      customer.page.locator('[data-call-status="connected"]').waitFor({ timeout: 20_000 }),
    ]);
    await screenshot(agent.page, 'one-way-call-agent-1440');
    await screenshot(customer.page, 'one-way-call-customer-390');

    // The agent's call clock runs (it counts from the server's connected moment); at 00:02 the
    // agent hangs up.
    await agent.page.waitForFunction(
      () => {
        const parts = (document.querySelector('[data-call-clock]')?.textContent ?? '').split(':').map(Number);
        return parts.reduce((total, n) => total * 60 + n, 0) >= 2;
      },
      undefined,
      { timeout: 10_000 },
    );
    await agent.page.getByRole('button', { name: 'Hang up' }).click();
    const hungUpAt = Date.now();
    await agent.page.getByRole('heading', { name: 'Call ended' }).waitFor();
    await customer.page.getByRole('heading', { name: 'Call ended' }).waitFor();
    expect(await agent.page.getByText('The call did not connect.').count()).toBe(0);
    await screenshot(agent.page, 'one-way-call-ended-1440');

    const calls = (await (
      await fetch(`${e2e.url}/api/tickets/${ticket.id}/calls`, {
        headers: { authorization: `Bearer ${agent.token}` },
      })
    ).json()) as { items: CallView[] };
    const call = calls.items.find((c) => c.id === callId)!;
    expect(call).toMatchObject({ status: 'ended', endReason: 'hangup' });
    expect(call.connectedAt).not.toBeNull();
    expect(call.connectedSeconds).toBeGreaterThanOrEqual(2);
    // Timed from a moment after the customer joined (the server's clock and this test's are the
    // machine's), up to the hang-up.
    expect(Date.parse(call.connectedAt!)).toBeGreaterThanOrEqual(joinedAt);
    expect(call.connectedSeconds).toBeLessThanOrEqual(Math.ceil((hungUpAt - joinedAt) / 1000));
    const onTicket = (await (
      await fetch(`${e2e.url}/api/tickets/${ticket.id}`, {
        headers: { authorization: `Bearer ${agent.token}` },
      })
    ).json()) as TicketView;
    expect(onTicket.callCount).toBe(1);
    expect(onTicket.callSeconds).toBe(call.connectedSeconds);
    expect(onTicket.firstResponseAt).not.toBeNull();
    const timeline = (await (
      await fetch(`${e2e.url}/api/tickets/${ticket.id}/timeline`, {
        headers: { authorization: `Bearer ${agent.token}` },
      })
    ).json()) as { items: Array<{ type: string; data: Record<string, unknown> }> };
    const types = timeline.items.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['call.connected', 'ticket.first_response', 'call.ended']));
    expect(timeline.items.find((e) => e.type === 'call.ended')?.data.connectedSeconds).toBe(
      call.connectedSeconds,
    );
  });

  it('a caller whose camera and microphone are blocked is in the call at once and told why; the customer is seen', async () => {
    // The caller joins without waiting for the devices (they open meanwhile); here they cannot.
    const [agent, customer] = await Promise.all([
      signedIn(blocking, DEMO.agentL1, { width: 1440, height: 900 }),
      signedIn(e2e.browser, DEMO.customer, { width: 390, height: 844 }),
    ]);
    const ticket = await e2e.newTicket(customer.token, 'Call me, my camera works', 'Yours may not.');
    const callId = await e2e.startCall(agent.page, ticket.id);

    // No device check and no click: the call view, ringing, with what is wrong and both devices off.
    // Told how to get them back in the call (its buttons), not the device check's Try again.
    await agent.page
      .getByRole('alert')
      .filter({ hasText: 'Camera and microphone are blocked' })
      .filter({ hasText: 'turn them on with the buttons below' })
      .waitFor();
    await agent.page.getByText('Ringing Casey').waitFor();
    await agent.page.getByRole('button', { name: 'Unmute' }).waitFor();
    await agent.page.getByRole('button', { name: 'Turn camera on' }).waitFor();
    expect(await agent.page.getByRole('button', { name: 'Join call' }).count()).toBe(0);
    await expect
      .poll(() => e2e.testApp.app.media.getRoom(callId)?.peers.size ?? 0, { timeout: 10_000 })
      .toBe(1);
    const agentPeer = [...e2e.testApp.app.media.getRoom(callId)!.peers.values()][0]!;
    expect(agentPeer.producers.size).toBe(0);
    await screenshot(agent.page, 'blocked-caller-ringing-1440');

    // The customer answers and joins; the agent sees them, and the call connects on that alone.
    await customer.page
      .getByRole('dialog', { name: 'Incoming video call' })
      .getByRole('button', { name: 'Accept' })
      .click();
    await customer.page.getByRole('button', { name: 'Join call' }).click();
    await expectPicture(agent.page);
    await agent.page.locator('[data-call-status="connected"]').waitFor({ timeout: 20_000 });
    await screenshot(agent.page, 'blocked-caller-connected-1440');
    await agent.page.getByRole('button', { name: 'Hang up' }).click();
    await customer.page.getByRole('heading', { name: 'Call ended' }).waitFor();
  });
});
