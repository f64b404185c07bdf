import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TicketView } from '../../signaling/shared/protocol';
import { newContext, screenshot } from '../helpers/browser';
import { acceptCall, e2eSuite } from '../helpers/e2e';
import { DEMO } from '../helpers/testApp';

// A ticket goes live as a one-to-one video call, in two real Chromium browsers with fake cameras,
// microphones and screens, through the real server and mediasoup worker: the agent escalates, the
// customer accepts, both decode each other's video and audio, the customer shares a screen, the
// agent hangs up, and the ticket knows how long the call was connected. Then a decline, a ring
// nobody answers, and a reload in the middle of a call that rejoins the same call.

const RING_SECONDS = 4;

const e2e = e2eSuite({
  env: {
    CALL_RING_SECONDS: String(RING_SECONDS),
    CALL_REJOIN_GRACE_SECONDS: '20',
  },
});
const consoleProblems: string[] = [];

/** A signed-in browser whose console errors are kept for the end of the suite. */
const signedIn = (email: string, path: string) =>
  e2e.signedIn(email, path, {
    onPage: (p) =>
      p.on('console', (msg) => {
        if (msg.type() === 'error') consoleProblems.push(`[${email}] ${msg.text()}`);
      }),
  });

const newTicket = (token: string, subject: string) => e2e.newTicket(token, subject);

async function getTicket(token: string, id: string): Promise<TicketView> {
  const res = await fetch(`${e2e.url}/api/tickets/${id}`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as TicketView;
}

const REMOTE_CAMERA = 'video[data-remote="true"][data-source="camera"]';
const MAIN_SCREEN = 'video[data-main="true"][data-source="screen"][data-remote="true"]';
const MAIN_CAMERA = 'video[data-main="true"][data-source="camera"][data-remote="true"]';
const PREVIEW = 'video[data-source="preview"]';
const SELF_CAMERA = 'video[data-remote="false"][data-source="camera"]';

/** The width of the picture the video element in `selector` shows (0 without one). */
const videoWidth = (page: Page, selector: string) =>
  page.evaluate((sel) => document.querySelector<HTMLVideoElement>(sel)?.videoWidth ?? 0, selector);

interface InboundStat {
  kind: string;
  source: string | null;
  packetsReceived: number;
  framesDecoded: number;
  frameWidth: number;
}

/** The engine's read-only test hook (installed only under automation). */
function inbound(page: Page): Promise<InboundStat[]> {
  return page.evaluate(async () => {
    const hook = (window as unknown as { __livedeskCall?: { stats(): Promise<{ inbound: InboundStat[] }> } })
      .__livedeskCall;
    return hook ? (await hook.stats()).inbound : [];
  });
}

const sum = (list: InboundStat[], pick: (s: InboundStat) => boolean, field: keyof InboundStat) =>
  list.filter(pick).reduce((n, s) => n + Number(s[field]), 0);

/**
 * The video in `selector` shows a picture (videoWidth > 0) and keeps decoding: the element's
 * frame count or the inbound-rtp framesDecoded of that source rises across two samples.
 */
async function expectDecoding(page: Page, selector: string, source: 'camera' | 'screen') {
  await page.waitForFunction(
    (sel) => {
      const v = document.querySelector<HTMLVideoElement>(sel);
      return v !== null && v.videoWidth > 0;
    },
    selector,
    { timeout: 20_000, polling: 50 },
  );
  const sample = async () => {
    const element = await page.evaluate((sel) => {
      const v = document.querySelector<HTMLVideoElement>(sel);
      return v ? v.getVideoPlaybackQuality().totalVideoFrames : 0;
    }, selector);
    const decoded = sum(
      await inbound(page),
      (s) => s.kind === 'video' && s.source === source,
      'framesDecoded',
    );
    return { element, decoded };
  };
  // Two samples apart; a busy two-core machine may stall a frame or two, so allow a few tries.
  const first = await sample();
  let second = first;
  for (let i = 0; i < 20 && !(second.element > first.element || second.decoded > first.decoded); i++) {
    await page.waitForTimeout(250);
    second = await sample();
  }
  expect(
    second.element > first.element || second.decoded > first.decoded,
    `${selector} decoding: ${JSON.stringify({ first, second })}`,
  ).toBe(true);
  expect(second.decoded).toBeGreaterThan(0);
}

/**
 * Nothing on the page is animated (a spinner, moving dots, a transition); what does not stop by
 * itself fails the wait. Videos are not animations: a playing preview is checked by its frames.
 */
async function expectNothingAnimated(page: Page) {
  await page.waitForFunction(
    () => document.getAnimations().every((a) => a.playState !== 'running'),
    undefined,
    {
      timeout: 5_000,
    },
  );
}

/** Audio packets from the other side keep arriving. */
async function expectHearing(page: Page) {
  const audio = async () => sum(await inbound(page), (s) => s.kind === 'audio', 'packetsReceived');
  const first = await audio();
  await page.waitForTimeout(400);
  expect(await audio()).toBeGreaterThan(first);
}

const startCall = (agent: Page, ticket: TicketView) => e2e.startCall(agent, ticket.id);

/** The agent calls, the customer accepts, and the device check has got the call ready (held). */
async function ringAndPrepare(agent: Page, customer: Page, ticket: TicketView) {
  await startCall(agent, ticket);
  await customer
    .getByRole('dialog', { name: 'Incoming video call' })
    .getByRole('button', { name: 'Accept' })
    .click();
  await customer.waitForFunction(() => (window as any).__livedeskCall?.prepared?.() === true, undefined, {
    timeout: 10_000,
  });
}

/**
 * Both test pages share the browser's one fake camera, and while it runs at one size every page's
 * request gets that size at most: a 1280×720 request, made while an earlier page's 640×360 track
 * is still being let go of (the browser stops a camera a little after its last track ends, later
 * on a busy machine), gets 640×480. A third page of the same browser asks for the camera in HD
 * until it gets it and holds it until the returned release (a page of its own: the test pages
 * navigate, which would let go of it): both pages' requests in between then get what a computer
 * with its own camera would give.
 */
async function holdCameraInHd(like: Page): Promise<() => Promise<void>> {
  const context = await newContext(like.context().browser()!);
  const holder = await context.newPage();
  // The app's origin: a camera is only offered to a secure context, and localhost is one.
  await holder.goto(new URL('/healthz', like.url()).href);
  await holder.waitForFunction(
    async () => {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 1280 }, height: { ideal: 720 } },
      });
      const [track] = stream.getVideoTracks();
      if (track?.getSettings().width === 1280) {
        // Referenced until the page closes: a track the page no longer reaches may be collected.
        (window as any).__hdCamera = track;
        return true;
      }
      track?.stop();
      return false;
    },
    undefined,
    { polling: 200 },
  );
  return () => context.close();
}

/** The customer accepts the ringing call and joins it; both sides then decode each other's camera. */
async function acceptAndJoin(customer: Page, agent: Page) {
  await acceptCall(customer);
  await Promise.all([
    expectDecoding(agent, REMOTE_CAMERA, 'camera'),
    expectDecoding(customer, REMOTE_CAMERA, 'camera'),
  ]);
}

describe('video calls in the browser', () => {
  let agent: Page;
  let customer: Page;
  let customerToken: string;
  let agentToken: string;

  beforeAll(async () => {
    const [a, c] = await Promise.all([signedIn(DEMO.agentL1, '/'), signedIn(DEMO.customer, '/')]);
    agent = a.page;
    customer = c.page;
    agentToken = a.login.token;
    customerToken = c.login.token;
  });

  // What a test set up that outlives it (a page holding the camera, saved preferences): undone
  // after the test whether it passed or not.
  const undoAfterTest: Array<() => Promise<unknown>> = [];

  // A test that fails part-way leaves its call open, and the pages in it: the next test's call
  // would then find both people still in the last one and fail too. Each test ends with no call.
  // (Read from the engine, not the button: a call being hung up still shows it for a moment.)
  afterEach(async () => {
    const callState = (page: Page) =>
      page.evaluate(() => {
        const hook = (window as any).__livedeskCall;
        return hook ? { phase: hook.phase() as string, ending: hook.ending() as boolean } : null;
      });
    const inCall = (state: { phase: string } | null) =>
      state?.phase === 'in_call' || state?.phase === 'reconnecting';
    try {
      for (const page of [agent, customer]) {
        const state = await callState(page);
        if (!inCall(state)) continue;
        if (!state!.ending) await page.getByRole('button', { name: 'Hang up' }).click();
        // A hang-up ends the call for both: each page is out of it before the next is looked at.
        for (const other of [agent, customer]) {
          await other.waitForFunction(() => {
            const phase = (window as any).__livedeskCall?.phase();
            return phase !== 'in_call' && phase !== 'reconnecting';
          });
        }
      }
    } finally {
      await Promise.all(undoAfterTest.splice(0).map((undo) => undo()));
    }
  });

  it('escalates a ticket to a call: both see and hear each other, screen share, hang-up, duration on the ticket', async () => {
    // The customer's page counts its peer connections from its start. It loads the media stack
    // while it sits idle (two probe connections), so the call itself only adds its send and
    // receive transports.
    await customer.context().addInitScript(() => {
      const w = window as unknown as { __pcs: number };
      w.__pcs = 0;
      const Native = window.RTCPeerConnection;
      window.RTCPeerConnection = class extends Native {
        constructor(configuration?: RTCConfiguration) {
          super(configuration);
          w.__pcs++;
        }
      };
    });
    await customer.reload();
    const pcsSoFar = () => customer.evaluate(() => (window as unknown as { __pcs: number }).__pcs);
    await customer.waitForFunction(() => (window as unknown as { __pcs: number }).__pcs >= 2, undefined, {
      timeout: 15_000,
    });
    const pcsBeforeCall = await pcsSoFar();

    const ticket = await newTicket(customerToken, 'Show me where the publish button is');
    const startedAt = Date.now();
    const callId = await startCall(agent, ticket);
    await agent.getByText('Ringing Casey Customer…').waitFor();

    // The customer is on their home page: the prompt rings there.
    const prompt = customer.getByRole('dialog', { name: 'Incoming video call' });
    await prompt.getByText('Lee L1 from support is calling you').waitFor();
    // Where the page was each time it opened camera or microphone (the app navigates in-page,
    // so this wrapper stays for the device check).
    await customer.evaluate(() => {
      const w = window as unknown as { __gumAt: string[] };
      w.__gumAt = [];
      const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = (constraints) => {
        w.__gumAt.push(location.pathname);
        return original(constraints);
      };
    });
    await prompt.getByRole('button', { name: 'Accept' }).click();

    // The device check: preview, microphone level, device choices.
    await customer.getByRole('heading', { name: 'Check your camera and microphone' }).waitFor();
    await customer.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('video[data-source="preview"]');
      return v !== null && v.videoWidth > 0;
    });
    await customer.getByLabel('Camera', { exact: true }).waitFor();
    // The level meter moves with the (fake) microphone's beeps.
    await customer.waitForFunction(
      () => Number(document.querySelector('[data-testid="mic-level"]')?.getAttribute('data-level')) > 0,
      undefined,
      { timeout: 5_000 },
    );
    await screenshot(customer, 'call-device-check');
    // The camera opens at the standard size unless the person asks for HD.
    expect(await videoWidth(customer, PREVIEW)).toBe(640);
    expect(await customer.getByRole('switch', { name: 'HD video (720p)' }).isChecked()).toBe(false);
    expect(new URL(customer.url()).pathname).toBe(`/tickets/${ticket.id}/call/${callId}`);
    // The devices opened once, at Accept (still on the home page), and the device check shows
    // those tracks instead of opening its own.
    expect(await customer.evaluate(() => (window as unknown as { __gumAt: string[] }).__gumAt)).toEqual([
      '/',
    ]);
    // While the person looks at the check, the call gets ready (transports connected, the tracks
    // sent held); the agent sees nothing of the customer until they join.
    await customer.waitForFunction(() => (window as any).__livedeskCall?.prepared?.() === true, undefined, {
      timeout: 10_000,
    });
    // The agent is told the customer is about to join, and sees nothing of them yet.
    await agent.getByText('Casey Customer is checking their camera and microphone…').waitFor();
    expect(await agent.locator(REMOTE_CAMERA).count()).toBe(0);
    await customer.getByRole('button', { name: 'Join call' }).click();
    // The test's own clock starts when the agent's screen says "Connected" (the server marks a
    // call connected once its media server sees media flow between them), watched from the click
    // on, not after the slower decoding checks below.
    const connectedSeen = agent
      .locator('[data-call-status="connected"]')
      .waitFor()
      .then(() => Date.now());

    // Both sides decode the other's camera and receive audio.
    await Promise.all([
      expectDecoding(agent, REMOTE_CAMERA, 'camera'),
      expectDecoding(customer, REMOTE_CAMERA, 'camera'),
    ]);
    await Promise.all([expectHearing(agent), expectHearing(customer)]);
    // The join used the transports prepared on the device check: no others were made.
    expect((await pcsSoFar()) - pcsBeforeCall).toBe(2);
    // The agent receives the customer's camera at most at the standard size it was taken at.
    const cameraIn = (await inbound(agent)).find((s) => s.source === 'camera' && s.frameWidth > 0);
    expect(cameraIn?.frameWidth).toBeLessThanOrEqual(640);
    const connectedAt = await connectedSeen;
    await customer.locator('[data-call-status="connected"]').waitFor();

    // The customer shares a screen: it becomes the agent's main picture.
    await customer.getByRole('button', { name: 'Share screen' }).click();
    await customer.getByRole('button', { name: 'Stop sharing' }).first().waitFor();
    await expectDecoding(agent, MAIN_SCREEN, 'screen');
    // The customer's camera is still there, small.
    expect(await agent.locator(`${REMOTE_CAMERA}[data-main="false"]`).count()).toBe(1);
    await screenshot(agent, 'call-agent-sees-screen');
    await screenshot(customer, 'call-customer-sharing');

    // Stopping restores the layout: the customer's camera is the main picture again.
    await customer.getByRole('button', { name: 'Stop sharing' }).first().click();
    await agent.locator(MAIN_CAMERA).waitFor();
    expect(await agent.locator(MAIN_SCREEN).count()).toBe(0);

    // Camera off: the agent sees the customer's initials instead of a frozen picture; on again: live.
    await customer.getByRole('button', { name: 'Turn camera off' }).click();
    await agent.locator(MAIN_CAMERA).waitFor({ state: 'detached' });
    await agent.locator('[data-main-tile="true"]').getByText('Camera is off').waitFor();
    await customer.getByRole('button', { name: 'Turn camera on' }).click();
    await expectDecoding(agent, MAIN_CAMERA, 'camera');

    // Mute shows on the other side.
    await customer.getByRole('button', { name: 'Mute', exact: true }).click();
    await customer.getByRole('button', { name: 'Unmute' }).waitFor();
    await agent.locator('[data-main-tile="true"]').getByTitle('Muted').waitFor();

    await agent.waitForTimeout(1500);
    const hangUpClickedAt = Date.now();
    await agent.getByRole('button', { name: 'Hang up' }).click();
    await agent.getByRole('heading', { name: 'Call ended' }).waitFor();
    const endSeenAt = Date.now();
    await agent.getByText('You hung up.').waitFor();
    await customer.getByRole('heading', { name: 'Call ended' }).waitFor();
    await customer.getByText('The call was ended by the other side.').waitFor();
    await screenshot(agent, 'call-ended');

    const shown = Number(
      await agent.locator('[data-connected-seconds]').getAttribute('data-connected-seconds'),
    );
    const onTicket = await getTicket(agentToken, ticket.id);
    expect(onTicket.callCount).toBe(1);
    // The logged span is the one the people saw, checked by the order of events rather than a
    // tolerance a busy machine could exceed: connected before the agent's screen said so (and after
    // the call was started), ended between the click on Hang up and the "Call ended" screen.
    const logged = await (
      await fetch(`${e2e.url}/api/tickets/${ticket.id}/calls`, {
        headers: { authorization: `Bearer ${agentToken}` },
      })
    ).json();
    const record = (
      logged as { items: Array<{ id: string; connectedAt: string; endedAt: string }> }
    ).items.find((c) => c.id === callId)!;
    const [serverConnected, serverEnded] = [Date.parse(record.connectedAt), Date.parse(record.endedAt)];
    expect(serverConnected).toBeGreaterThanOrEqual(startedAt);
    expect(serverConnected).toBeLessThanOrEqual(connectedAt);
    expect(serverEnded).toBeGreaterThanOrEqual(hangUpClickedAt);
    expect(serverEnded).toBeLessThanOrEqual(endSeenAt);
    expect(onTicket.callSeconds).toBe(Math.round((serverEnded - serverConnected) / 1000));
    expect(onTicket.callSeconds).toBeGreaterThanOrEqual(Math.floor((hangUpClickedAt - connectedAt) / 1000));
    expect(shown).toBe(onTicket.callSeconds);
    // A connected call counts as the first response.
    expect(onTicket.firstResponseAt).not.toBeNull();
    // The devices are released after the call.
    expect(await customer.evaluate(() => document.querySelectorAll('video').length)).toBe(0);
    // The ticket page shows the call time to the agent.
    await agent.goto(`${e2e.url}/tickets/${ticket.id}`);
    const callTime = agent.getByTestId('call-time');
    await callTime.waitFor();
    expect(Number(await callTime.getAttribute('data-call-seconds'))).toBe(onTicket.callSeconds);
    // The ticket is still open: no share of a time to resolution that does not exist yet.
    expect(await callTime.textContent()).toMatch(/^1 call, .+ in all$/);
  });

  it('tells the agent clearly when the customer declines', async () => {
    const ticket = await newTicket(customerToken, 'Decline the call');
    await customer.goto(`${e2e.url}/`);
    await startCall(agent, ticket);
    const prompt = customer.getByRole('dialog', { name: 'Incoming video call' });
    await prompt.getByRole('button', { name: 'Decline' }).click();
    await prompt.waitFor({ state: 'hidden' });
    await agent.getByText('Casey Customer declined the call.').waitFor();
    await agent.getByRole('heading', { name: 'Call ended' }).waitFor();
    await agent.getByText('The call did not connect.').waitFor();

    // "Call again" rings again (the agent joined as it started, before the new call's page
    // rendered; the ended call's page leaving must not end the new call), and the call connects.
    await agent.getByRole('button', { name: 'Call again' }).click();
    await agent.getByText('Ringing Casey Customer…').waitFor();
    await acceptAndJoin(customer, agent);
    await agent.getByRole('button', { name: 'Hang up' }).click();
    await customer.getByText('The call was ended by the other side.').waitFor();
  });

  it('ends a ring nobody answers as "did not answer", and the prompt goes away', async () => {
    const ticket = await newTicket(customerToken, 'Nobody answers');
    await startCall(agent, ticket);
    const prompt = customer.getByRole('dialog', { name: 'Incoming video call' });
    await prompt.waitFor();
    // A wait of unknown length shows a still icon, and the side panel held back meanwhile a line
    // of text: nothing on the agent's page moves but the self-view.
    await agent.getByRole('status').filter({ hasText: 'Ringing Casey Customer…' }).waitFor();
    await screenshot(agent, 'call-ringing');
    await expectNothingAnimated(agent);
    await agent.getByText('Casey Customer did not answer.').waitFor({ timeout: (RING_SECONDS + 6) * 1000 });
    await prompt.waitFor({ state: 'hidden' });
  });

  it('sends the camera in HD when the person switches it on in the device check, and remembers it', async () => {
    const ticket = await newTicket(customerToken, 'Show me in HD');
    // Both test pages share the browser's one fake camera: a page of its own holds it in HD first
    // (holdCameraInHd), as the customer's own computer would have its own camera.
    const setHd = (page: Page, hdVideo: boolean) =>
      page.evaluate((hd) => {
        const prefs = JSON.parse(localStorage.getItem('livedesk.call.devices') ?? '{}');
        localStorage.setItem('livedesk.call.devices', JSON.stringify({ ...prefs, hdVideo: hd }));
      }, hdVideo);
    // The next calls of these browsers would start in HD; the other tests expect the standard size.
    undoAfterTest.push(() => Promise.all([setHd(customer, false), setHd(agent, false)]));
    await setHd(agent, true);
    undoAfterTest.push(await holdCameraInHd(agent));
    await startCall(agent, ticket);
    await customer
      .getByRole('dialog', { name: 'Incoming video call' })
      .getByRole('button', { name: 'Accept' })
      .click();
    await customer.waitForFunction(
      (sel) => (document.querySelector<HTMLVideoElement>(sel)?.videoWidth ?? 0) > 0,
      PREVIEW,
    );
    expect(await videoWidth(customer, PREVIEW)).toBe(640);
    await customer.getByRole('switch', { name: 'HD video (720p)' }).click();
    // The preview reopens the camera at 1280×720.
    await customer.waitForFunction(
      (sel) => document.querySelector<HTMLVideoElement>(sel)?.videoWidth === 1280,
      PREVIEW,
    );
    await customer.getByRole('button', { name: 'Join call' }).click();
    await expectDecoding(agent, REMOTE_CAMERA, 'camera');
    // The self-view shows the HD track that is being sent.
    await customer.waitForFunction(
      (sel) => document.querySelector<HTMLVideoElement>(sel)?.videoWidth === 1280,
      SELF_CAMERA,
    );
    const saved = await customer.evaluate(() =>
      JSON.parse(localStorage.getItem('livedesk.call.devices') ?? '{}'),
    );
    expect(saved.hdVideo).toBe(true);

    await agent.getByRole('button', { name: 'Hang up' }).click();
    await customer.getByRole('heading', { name: 'Call ended' }).waitFor();
  });

  it('shows the other camera on the device check as soon as it is received, and the call view keeps that picture', async () => {
    // Ready on the check: the agent's camera is received (not shown) before the customer joins.
    await ringAndPrepare(agent, customer, await newTicket(customerToken, 'Show me as soon as you can'));
    // The join is held in the page (its socket frame waits): the check, joining, shows the agent's
    // camera in place of the preview before the call view is there (its picture flows once the
    // server has let the customer in). The first remote camera element on screen is noted.
    await customer.evaluate((selector) => {
      const w = window as any;
      w.__held = [];
      const send = WebSocket.prototype.send;
      w.__releaseJoin = () => {
        WebSocket.prototype.send = send;
        for (const [socket, data] of w.__held.splice(0)) send.call(socket, data);
      };
      WebSocket.prototype.send = function (this: WebSocket, data) {
        if (typeof data === 'string' && data.includes('"call:join"')) w.__held.push([this, data]);
        else send.call(this, data);
      };
      const observer = new MutationObserver(() => {
        const video = document.querySelector<HTMLVideoElement>(selector);
        if (!video) return;
        observer.disconnect();
        w.__firstRemote = video;
        w.__firstRemoteSeen = {
          onCheck: [...document.querySelectorAll('h1,h2,h3')].some(
            (h) => h.textContent === 'Check your camera and microphone',
          ),
          label: video.getAttribute('aria-label'),
          joinsHeld: w.__held.length,
        };
      });
      observer.observe(document.body, { subtree: true, childList: true });
    }, REMOTE_CAMERA);
    await customer.getByRole('button', { name: 'Join call' }).click();
    await customer.waitForFunction(() => (window as any).__firstRemoteSeen !== undefined);
    expect(await customer.evaluate(() => (window as any).__firstRemoteSeen)).toEqual({
      onCheck: true,
      label: "Lee L1's camera",
      joinsHeld: 1,
    });
    // Meanwhile the preview holds its last frame under "Joining…", and Join takes no second click.
    await customer.getByRole('status').filter({ hasText: 'Joining…' }).waitFor();
    await screenshot(customer, 'call-device-check-joining');
    expect(await customer.getByRole('button', { name: 'Joining…' }).isDisabled()).toBe(true);
    await expectNothingAnimated(customer);
    const previewFrames = () =>
      customer.evaluate((sel) => {
        const video = document.querySelector<HTMLVideoElement>(sel);
        return video
          ? {
              paused: video.paused,
              width: video.videoWidth,
              frames: video.getVideoPlaybackQuality().totalVideoFrames,
            }
          : null;
      }, PREVIEW);
    const still = await previewFrames();
    expect(still?.paused).toBe(true);
    expect(still?.width).toBeGreaterThan(0);
    // A playing preview presents ~30 frames a second; a still one none.
    await customer.waitForTimeout(500);
    expect(await previewFrames()).toEqual(still);
    await customer.evaluate(() => (window as any).__releaseJoin());
    // The call view: the same element, started on the check, is now the main picture.
    await expectDecoding(customer, MAIN_CAMERA, 'camera');
    expect(
      await customer.evaluate(
        (sel) => document.querySelector(sel) === (window as any).__firstRemote,
        MAIN_CAMERA,
      ),
    ).toBe(true);
    await expectDecoding(agent, REMOTE_CAMERA, 'camera');
    await agent.getByRole('button', { name: 'Hang up' }).click();
    await customer.getByRole('heading', { name: 'Call ended' }).waitFor();
  });

  it('joins with the camera off after getting ready on the device check, and turns it on later', async () => {
    // Ready with the camera held; the person then chooses to join without it.
    await ringAndPrepare(agent, customer, await newTicket(customerToken, 'Voice first, please'));
    await customer.getByRole('switch', { name: 'Join with camera off' }).click();
    await customer.getByRole('button', { name: 'Join call' }).click();
    // The agent hears the customer and sees that the camera is off: the held camera never shows.
    await expectHearing(agent);
    await agent.locator('[data-main-tile="true"]').getByText('Camera is off').waitFor();
    expect(await agent.locator(REMOTE_CAMERA).count()).toBe(0);
    await expectDecoding(customer, REMOTE_CAMERA, 'camera');
    // Turned on in the call, it is sent and seen.
    await customer.getByRole('button', { name: 'Turn camera on' }).click();
    await expectDecoding(agent, REMOTE_CAMERA, 'camera');
    await agent.getByRole('button', { name: 'Hang up' }).click();
    await customer.getByRole('heading', { name: 'Call ended' }).waitFor();
  });

  it('rejoins the same call after the customer reloads the page', async () => {
    const ticket = await newTicket(customerToken, 'Reload during the call');
    const callId = await startCall(agent, ticket);
    await acceptAndJoin(customer, agent);

    await customer.reload();
    // No device check this time: the page joins by itself, the same call, not ended.
    await Promise.all([
      expectDecoding(customer, REMOTE_CAMERA, 'camera'),
      expectDecoding(agent, REMOTE_CAMERA, 'camera'),
    ]);
    expect(new URL(customer.url()).pathname).toBe(`/tickets/${ticket.id}/call/${callId}`);
    expect(await customer.evaluate(() => (window as any).__livedeskCall?.callId)).toBe(callId);
    await expectHearing(agent);
    await agent.locator('[data-call-status="connected"]').waitFor();
    expect(await agent.getByRole('heading', { name: 'Call ended' }).count()).toBe(0);
    const inCall = await customer.evaluate(() => (window as any).__livedeskCall?.phase());
    expect(inCall).toBe('in_call');

    // A supervisor joins from the ticket page; both sides see them in the call.
    const supervisor = (await signedIn(DEMO.supervisor, `/tickets/${ticket.id}`)).page;
    await supervisor.getByRole('button', { name: 'Join call' }).click();
    await supervisor.waitForURL(/\/call\//);
    await supervisor.getByRole('button', { name: 'Join call' }).click();
    await expectDecoding(supervisor, REMOTE_CAMERA, 'camera');
    for (const page of [agent, customer]) {
      await page
        .locator('[data-participant="supervisor"]')
        .filter({ hasText: 'Sam Supervisor' })
        .getByText('In the call')
        .waitFor();
    }
    await screenshot(customer, 'call-with-supervisor');

    await customer.getByRole('button', { name: 'Hang up' }).click();
    await customer.getByText('You hung up.').waitFor();
    await supervisor.getByRole('heading', { name: 'Call ended' }).waitFor();
    await agent.getByText('The call was ended by the other side.').waitFor();
  });

  it('switches microphone and camera mid-call, restarts ICE, and rejoins by itself when the media worker dies', async () => {
    // The customer is still on the previous call's "call ended" page: the new call rings there too.
    const ticket = await newTicket(customerToken, 'Devices and recovery');
    const callId = await startCall(agent, ticket);
    await acceptAndJoin(customer, agent);
    await expectHearing(agent);

    // Another microphone, then the other camera, from the devices menu: the menu marks the new
    // choice, the customer's own camera view shows it, and the agent keeps hearing and seeing.
    const menu = customer.getByRole('menu');
    const pick = async (name: string) => {
      await customer.getByRole('button', { name: 'Devices' }).click();
      await menu.getByRole('menuitem', { name }).click();
      await customer.getByRole('button', { name: 'Devices' }).click();
      await menu.locator('[aria-current="true"]').filter({ hasText: name }).waitFor();
      await customer.keyboard.press('Escape');
    };
    const sending = () => customer.evaluate(() => (window as any).__livedeskCall.localDevices());
    await pick('Fake Audio Input 2');
    expect(await sending()).toMatchObject({ mic: 'Fake Audio Input 2' });
    await expectHearing(agent);
    await pick('fake_device_2');
    await customer.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('video[data-remote="false"][data-source="camera"]');
      const track = (v?.srcObject as MediaStream | null)?.getVideoTracks()[0];
      return track?.label === 'fake_device_2' && track.readyState === 'live';
    });
    expect(await sending()).toEqual({ mic: 'Fake Audio Input 2', camera: 'fake_device_2' });
    await expectDecoding(agent, REMOTE_CAMERA, 'camera');
    await expectHearing(agent);

    // ICE restart: the server hands out new credentials, the browser checks again, media goes on.
    const room = e2e.testApp.app.media.getRoom(callId)!;
    const customerPeer = [...room.peers.values()].find((p) => p.info.role === 'customer')!;
    const before = [...customerPeer.transports.values()].map((t) => t.iceParameters.usernameFragment);
    const restarted = await customer.evaluate(() => (window as any).__livedeskCall.restartIce());
    expect(restarted).toHaveLength(2);
    const after = [...customerPeer.transports.values()].map((t) => t.iceParameters.usernameFragment);
    expect(after).toHaveLength(2);
    for (const fragment of after) expect(before).not.toContain(fragment);
    await expectDecoding(agent, REMOTE_CAMERA, 'camera');
    await expectDecoding(customer, REMOTE_CAMERA, 'camera');

    // Every media worker dies: each side is told, joins a fresh room on the replacement worker by
    // itself, and both see and hear each other again. The call goes on.
    const replaced = new Promise((resolve) => e2e.testApp.app.media.once('workerReplaced', resolve));
    for (const pid of e2e.testApp.app.media.workerPids()) process.kill(pid, 'SIGKILL');
    await replaced;
    await Promise.all([
      expectDecoding(agent, REMOTE_CAMERA, 'camera'),
      expectDecoding(customer, REMOTE_CAMERA, 'camera'),
    ]);
    await expectHearing(agent);
    await expectHearing(customer);
    const fresh = e2e.testApp.app.media.getRoom(callId)!;
    expect(fresh).not.toBe(room);
    expect(fresh.peers.size).toBe(2);
    expect(await agent.getByRole('heading', { name: 'Call ended' }).count()).toBe(0);
    expect(await customer.evaluate(() => (window as any).__livedeskCall?.phase())).toBe('in_call');

    await agent.getByRole('button', { name: 'Hang up' }).click();
    await customer.getByText('The call was ended by the other side.').waitFor();
  });

  afterAll(() => {
    if (consoleProblems.length > 0) console.log(`browser console errors:\n${consoleProblems.join('\n')}`);
  });
});
