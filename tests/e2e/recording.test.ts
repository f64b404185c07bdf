import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TicketView } from '../../signaling/shared/protocol';
import { apiLogin, screenshot } from '../helpers/browser';
import { acceptCall, e2eSuite, expectDecoding, REMOTE_CAMERA, waitForBoard } from '../helpers/e2e';
import { probe } from '../helpers/rtpSource';
import { DEMO } from '../helpers/testApp';

// A call is recorded for QA and reviewed, end to end in real Chromium browsers against the real
// server, mediasoup worker and FFmpeg: the agent starts recording inside a live call (both sides
// see the indicator, the customer reads the consent text), the call runs ~10 s and ends; the
// track files hold the expected streams for the recorded span; a QA reviewer finds the call in
// the QA area, plays it in sync, scores it and comments (both survive a reload); the customer is
// refused the files.

// Each describe block runs its own server (the consent rule is a server setting).
const e2e = e2eSuite({ app: false });
const serveApp = (env: Record<string, string> = {}) => e2e.serve({ CALL_RING_SECONDS: '30', ...env });
const signedIn = (email: string, path = '/') =>
  e2e.signedIn(email, path, { viewport: { width: 1400, height: 900 } });
const api = <T>(token: string, p: string, init: RequestInit = {}) => e2e.api<T>(token, p, init);

const INDICATOR = { name: 'Recording: this call is being recorded' } as const;
const CONSENT_TEXT = 'This call is being recorded for quality and training purposes.';

interface Track {
  id: string;
  userId: string;
  kind: 'audio' | 'video';
  source: string;
  status: string;
  offsetMs: number;
  url: string;
}
interface Detail {
  id: string;
  status: string;
  startedAt: string;
  endedAt: string | null;
  tracks: Track[];
  markers: Array<{ atMs: number; type: string; label: string }>;
  comments: Array<{ atMs: number; body: string }>;
  reviews: Array<{ total: number; scores: Record<string, number> }>;
}

/**
 * A live call in two browsers: the agent rings from the ticket page, the customer accepts from
 * the prompt and joins after the device check; both decode each other's camera.
 */
async function connectCall(subject: string) {
  const [agentSide, customerSide] = await Promise.all([signedIn(DEMO.agentL1), signedIn(DEMO.customer)]);
  const agent = agentSide.page;
  const customer = customerSide.page;
  const ticket = await e2e.newTicket(customerSide.login.token, subject, 'Show me on a call');
  const callId = await e2e.startCall(agent, ticket.id);
  await acceptCall(customer);
  await Promise.all([expectDecoding(agent, REMOTE_CAMERA), expectDecoding(customer, REMOTE_CAMERA)]);
  await agent.locator('[data-call-status="connected"]').waitFor();
  return { agent, customer, agentLogin: agentSide.login, customerLogin: customerSide.login, ticket, callId };
}

describe('recording a call for QA', () => {
  serveApp();
  let customerToken: string;
  let qaToken: string;
  let ticket: TicketView;
  let detail: Detail;

  it('records a live browser call: indicator on both sides, consent text, start/stop by the agent', async () => {
    const call = await connectCall('Please record how to export a report');
    const { agent, customer, callId } = call;
    ticket = call.ticket;
    customerToken = call.customerLogin.token;

    // Nothing is recorded yet; the customer has no recording controls at all.
    expect(await customer.getByRole('status', INDICATOR).count()).toBe(0);
    expect(await customer.getByRole('button', { name: 'Start recording' }).count()).toBe(0);

    await agent.getByRole('button', { name: 'Start recording' }).click();
    const clickedAt = Date.now();
    await agent.getByRole('status', INDICATOR).waitFor();
    await customer.getByRole('status', INDICATOR).waitFor();
    await customer.getByText(CONSENT_TEXT).waitFor();
    await agent.getByRole('button', { name: 'Stop recording' }).waitFor();
    await screenshot(customer, 'recording-customer-indicator');
    await screenshot(agent, 'recording-agent-indicator');

    // Something to mark on the timeline: the customer shares a screen for a while, and writes.
    await new Promise((r) => setTimeout(r, 1_000));
    await customer.getByRole('button', { name: 'Share screen' }).click();
    await customer.getByRole('button', { name: 'Stop sharing' }).first().waitFor();
    // The share lasts 3.5 s of recorded screen, counted from the moment the screen's recorder has
    // written its first frames (its live file grows past the header). On a loaded two-core machine
    // that can be seconds after the click: FFmpeg starts slowly and waits for a keyframe.
    const { recordings, recordingTracks } = await import('../../server/db/schema');
    const { and, eq } = await import('drizzle-orm');
    const screenBytes = async () => {
      const [row] = await e2e.testApp.app.db.db
        .select({ file: recordingTracks.file })
        .from(recordingTracks)
        .innerJoin(recordings, eq(recordings.id, recordingTracks.recordingId))
        .where(and(eq(recordings.callId, callId), eq(recordingTracks.source, 'screen')));
      if (!row) return 0;
      const live = path.join(
        e2e.testApp.app.config.recordings.dir,
        row.file.replace(/\.webm$/, '.part.webm'),
      );
      return fs.existsSync(live) ? fs.statSync(live).size : 0;
    };
    await expect.poll(screenBytes, { timeout: 20_000, interval: 100 }).toBeGreaterThan(2_000);
    await new Promise((r) => setTimeout(r, 3_500));
    await customer.getByRole('button', { name: 'Stop sharing' }).first().click();
    const screenStoppedAt = Date.now();
    await customer.getByRole('button', { name: 'Share screen' }).waitFor();
    const sent = await api(customerToken, `/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      body: JSON.stringify({ body: 'Where is the export button?', clientMessageId: 'rec-e2e-1' }),
    });
    expect(sent.status).toBe(201);
    // The rest of a recorded call of more than ten seconds.
    await new Promise((r) => setTimeout(r, 6_500));

    await agent.getByRole('button', { name: 'Hang up' }).click();
    const hungUpAt = Date.now();
    await agent.getByRole('heading', { name: 'Call ended' }).waitFor();
    await customer.getByRole('heading', { name: 'Call ended' }).waitFor();

    // The files are finished once the recording is ready.
    qaToken = (await apiLogin(e2e.url, DEMO.qa)).token;
    let listed: { id: string; callId: string; status: string } | undefined;
    for (let i = 0; i < 300; i++) {
      const { body } = await api<{ items: Array<{ id: string; callId: string; status: string }> }>(
        qaToken,
        '/api/recordings',
      );
      listed = body.items.find((r) => r.callId === callId);
      if (listed && !['recording', 'processing'].includes(listed.status)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    detail = (await api<Detail>(qaToken, `/api/recordings/${listed!.id}`)).body;
    expect(listed?.status, JSON.stringify(detail)).toBe('ready');

    const span = (Date.parse(detail.endedAt!) - Date.parse(detail.startedAt)) / 1000;
    // The span the server recorded is the one the agent saw: from the click to the hang-up.
    expect(Math.abs(span - (hungUpAt - clickedAt) / 1000)).toBeLessThan(1.5);
    expect(span).toBeGreaterThan(9);

    // Both people's camera and microphone and the customer's screen, each a file with one stream
    // of the expected kind; cameras and microphones last (from their offset) the recorded span.
    const me = call.agentLogin.user;
    expect(
      detail.tracks
        .map((t) => `${t.userId === me.id ? 'agent' : 'customer'}/${t.kind}/${t.source}/${t.status}`)
        .sort(),
    ).toEqual([
      'agent/audio/mic/ready',
      'agent/video/camera/ready',
      'customer/audio/mic/ready',
      'customer/video/camera/ready',
      'customer/video/screen/ready',
    ]);
    expect(detail.markers.map((m) => m.type)).toEqual(
      expect.arrayContaining(['screen_start', 'screen_stop', 'message']),
    );
    const screenEnd = (screenStoppedAt - Date.parse(detail.startedAt)) / 1000;
    for (const track of detail.tracks) {
      const [row] = await e2e.testApp.app.db.db
        .select()
        .from(recordingTracks)
        .where(eq(recordingTracks.id, track.id));
      const info = await probe(path.join(e2e.testApp.app.config.recordings.dir, row!.file));
      expect(info.streams.map((s) => s.codec_type)).toEqual([track.kind]);
      expect(info.streams[0]!.codec_name).toBe(track.kind === 'video' ? 'vp8' : 'opus');
      if (track.kind === 'video') expect(info.streams[0]!.width).toBeGreaterThan(0);
      const end = track.offsetMs / 1000 + (info.duration ?? 0);
      if (track.source !== 'screen') expect(Math.abs(end - span)).toBeLessThan(1);
      // The screen's file ends when its last packet arrived, which is up to a frame interval and
      // the stop's signal delay before the moment the test saw the share stop.
      else expect(Math.abs(end - screenEnd)).toBeLessThan(2);
    }
    expect(detail.markers.some((m) => m.type === 'message' && m.label.includes('export button'))).toBe(true);
  });

  it('lets the QA reviewer find, play, score and comment on it; the customer cannot fetch it', async () => {
    const { page: qa } = await signedIn(DEMO.qa);
    await qa.getByRole('link', { name: 'Quality review', exact: true }).click();
    await qa.waitForURL(/\/qa$/);
    const table = qa.getByRole('table', { name: 'Quality review' });
    const open = table.getByRole('link', {
      name: `Review the recording of #${ticket.number} ${ticket.subject}`,
    });
    await open.waitFor();
    await expect(
      table.locator(`tr[data-recording-id="${detail.id}"] [data-recording-status="ready"]`).count(),
    ).resolves.toBe(1);
    await screenshot(qa, 'recording-qa-list');

    await open.click();
    await qa.waitForURL(new RegExp(`/qa/recordings/${detail.id}$`));
    const play = qa.getByRole('button', { name: 'Play', exact: true });
    await expect.poll(() => play.isEnabled(), { timeout: 20_000 }).toBe(true);
    // One element per track: two cameras side by side, the screen, two microphones.
    expect(await qa.locator('video[data-track-id]').count()).toBe(3);
    expect(await qa.locator('audio[data-track-id]').count()).toBe(2);
    // Each plays straight from the server through its own streaming link (ranges, no download).
    const sources = await qa.evaluate(() =>
      [...document.querySelectorAll<HTMLMediaElement>('[data-track-id]')].map((m) => m.currentSrc || m.src),
    );
    for (const src of sources) {
      expect(src).toMatch(new RegExp(`/api/recordings/${detail.id}/tracks/[0-9a-f-]+/stream\\?access=`));
    }

    await play.click();
    await qa.waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLVideoElement>('video[data-track-id]')].some(
          (v) => v.currentTime > 1 && v.videoWidth > 0,
        ),
      undefined,
      { timeout: 15_000, polling: 100 },
    );
    // The tracks follow one clock: the playing elements stay close to it. Mostly within 100 ms;
    // on a loaded two-core machine one element can lag a little longer for a moment before the
    // player nudges it back, but never as far as the 250 ms at which the player would seek it.
    // (Unsynchronised tracks would sit seconds apart: their files start at different offsets.)
    const drifts: number[] = [];
    for (let i = 0; i < 10; i++) {
      await qa.waitForTimeout(250);
      drifts.push(Number(await qa.getByTestId('player-drift').getAttribute('data-drift')));
    }
    const settled = drifts.slice(2).sort((a, b) => a - b);
    expect(settled[settled.length - 1], `drifts ${drifts.join(' ')}`).toBeLessThan(0.25);
    expect(settled[Math.floor(settled.length / 2)], `drifts ${drifts.join(' ')}`).toBeLessThan(0.1);
    // Cameras and microphones play together (the screen has a span of its own). On a loaded
    // machine a track may buffer for a moment, and the player then holds every track until it
    // has data again, so the elements are looked at until four play at once.
    let playing: number[] = [];
    await expect
      .poll(
        async () => {
          const elements = await qa.evaluate(() =>
            [...document.querySelectorAll<HTMLMediaElement>('[data-track-id]')].map((m) => ({
              time: m.currentTime + Number(m.dataset.offsetMs) / 1000,
              paused: m.paused,
            })),
          );
          playing = elements.filter((e) => !e.paused).map((e) => e.time);
          return playing.length;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBeGreaterThanOrEqual(4);
    expect(Math.max(...playing) - Math.min(...playing)).toBeLessThan(0.15);
    await screenshot(qa, 'recording-qa-player');

    // The screen-share marker jumps to where the screen becomes the large picture, playing.
    const markers = qa.getByRole('group', { name: 'Moments in the call' });
    await markers.getByRole('button', { name: /Casey Customer started sharing the screen/ }).click();
    await qa.locator('[data-screen-active="true"]').waitFor();
    await qa.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>('video[data-source="screen"]');
        return v !== null && v.videoWidth > 0 && !v.paused && v.currentTime > 0.5;
      },
      undefined,
      { timeout: 10_000, polling: 100 },
    );
    await screenshot(qa, 'recording-qa-player-screen');

    // A marker on the timeline bar seeks the player to the message.
    const message = detail.markers.find((m) => m.type === 'message')!;
    await markers.getByRole('button', { name: /Where is the export button\?/ }).click();
    const at = async () => Number(await qa.locator('time[data-position]').getAttribute('data-position'));
    await expect.poll(at).toBeGreaterThanOrEqual(message.atMs / 1000 - 0.05);
    expect(await at()).toBeLessThan(message.atMs / 1000 + 1.5);

    // Pause, comment at this moment, and score against the rubric.
    await qa.getByRole('button', { name: 'Pause' }).click();
    const pausedAt = await at();
    await qa.getByRole('textbox', { name: 'Comment' }).fill('Clear answer about the export button');
    await qa.getByRole('button', { name: /^Add comment at / }).click();
    await qa.getByRole('listitem').filter({ hasText: 'Clear answer about the export button' }).waitFor();
    const scores: Record<string, number> = {
      Greeting: 5,
      Diagnosis: 4,
      Clarity: 4,
      Resolution: 5,
      Empathy: 3,
    };
    for (const [criterion, score] of Object.entries(scores)) {
      await qa
        .getByRole('radiogroup', { name: criterion })
        .getByRole('radio', { name: String(score) })
        .check();
    }
    await qa.getByRole('button', { name: 'Save score' }).click();
    await qa.getByText('Score saved.').waitFor();

    await qa.reload();
    await qa.getByRole('button', { name: 'Update score' }).waitFor();
    for (const [criterion, score] of Object.entries(scores)) {
      expect(
        await qa
          .getByRole('radiogroup', { name: criterion })
          .getByRole('radio', { name: String(score) })
          .isChecked(),
      ).toBe(true);
    }
    await qa.getByTestId('score-total').getByText('21 / 25').waitFor();
    const comment = qa
      .getByRole('region', { name: 'Comments' })
      .getByRole('listitem')
      .filter({ hasText: 'Clear answer about the export button' });
    await comment.waitFor();
    const reloaded = (await api<Detail>(qaToken, `/api/recordings/${detail.id}`)).body;
    expect(reloaded.comments).toEqual([
      expect.objectContaining({ body: 'Clear answer about the export button' }),
    ]);
    expect(Math.abs(reloaded.comments[0]!.atMs / 1000 - pausedAt)).toBeLessThan(0.5);
    expect(reloaded.reviews[0]).toMatchObject({ total: 21 });

    // The comment's time seeks the player too.
    await comment.getByRole('button', { name: /^Go to / }).click();
    await expect.poll(at).toBeGreaterThanOrEqual(pausedAt - 0.3);
    await screenshot(qa, 'recording-qa-player-reviewed');

    // The list shows the score now.
    await qa.goto(`${e2e.url}/qa`);
    await qa.locator(`tr[data-recording-id="${detail.id}"] [data-score="21"]`).waitFor();

    // The agent who was on the call finds it under their own recordings and reads the review,
    // without the reviewer's controls.
    const { page: agent } = await signedIn(DEMO.agentL1);
    await agent.getByRole('link', { name: 'My recordings', exact: true }).click();
    await agent
      .getByRole('table', { name: 'My recorded calls' })
      .getByRole('link', { name: `Review the recording of #${ticket.number} ${ticket.subject}` })
      .click();
    await agent.getByText('Quinn QA: 21 / 25').waitFor();
    await agent.getByText('Clear answer about the export button').waitFor();
    expect(await agent.getByRole('button', { name: /Save score|Update score|Add comment/ }).count()).toBe(0);

    // The customer is refused the file, the recording and the list.
    for (const p of [detail.tracks[0]!.url, `/api/recordings/${detail.id}`, '/api/recordings']) {
      expect((await api(customerToken, p)).status).toBe(403);
    }
  });

  it('still shows the customer the recording indicator after they reload the call page mid-recording', async () => {
    const { agent, customer } = await connectCall('Reload while you record');
    await agent.getByRole('button', { name: 'Start recording' }).click();
    await customer.getByRole('status', INDICATOR).waitFor();

    await customer.reload();
    // The page rejoins by itself; the indicator (and what it means) is back with the call.
    await expectDecoding(customer, REMOTE_CAMERA);
    await customer.getByRole('status', INDICATOR).waitFor();
    await customer.getByText(CONSENT_TEXT).waitFor();
    await agent.getByRole('status', INDICATOR).waitFor();
    await screenshot(customer, 'recording-customer-after-reload');

    await agent.getByRole('button', { name: 'Hang up' }).click();
    await customer.getByRole('heading', { name: 'Call ended' }).waitFor();
  });
});

describe('replaying the call’s whiteboard in the QA player', () => {
  serveApp();

  /** The ids of the board elements the QA player's replay shows at its position. */
  const replayed = (page: Page) =>
    page
      .getByTestId('board-replay')
      .getAttribute('data-element-ids')
      .then((ids) => ids ?? '');
  /** Non-white pixels on the replay's canvas: the stroke as drawn. */
  const replayInk = (page: Page) =>
    page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="board-replay"] canvas.static');
      const context = canvas?.getContext('2d');
      if (!canvas || !context) return -1;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let ink = 0;
      for (let i = 0; i < data.length; i += 4)
        if (data[i + 3]! > 0 && (data[i]! < 200 || data[i + 1]! < 200 || data[i + 2]! < 200)) ink++;
      return ink;
    });

  it('shows the board as it was at the player’s position: a stroke drawn mid-call appears only after its time', async () => {
    const { agent, customer, callId, ticket } = await connectCall('Draw it on the whiteboard please');
    await agent.getByRole('button', { name: 'Start recording' }).click();
    await agent.getByRole('status', INDICATOR).waitFor();
    // Some recorded time before the stroke, so "before" is a real position in the recording.
    await new Promise((r) => setTimeout(r, 2_500));

    await customer.getByRole('button', { name: 'Whiteboard' }).click();
    await waitForBoard(customer);
    await customer.getByTitle(/^Draw —/).click();
    await customer
      .getByRole('radio', { name: 'Draw' })
      .and(customer.locator(':checked'))
      .waitFor({ state: 'attached' });
    const canvas = customer.locator('[data-testid="whiteboard"] canvas.interactive');
    const box = (await canvas.boundingBox())!;
    const x0 = box.x + box.width * 0.3;
    const y0 = box.y + box.height * 0.5;
    await customer.mouse.move(x0, y0);
    await customer.mouse.down();
    for (let i = 1; i <= 24; i++)
      await customer.mouse.move(x0 + i * 12, y0 + Math.sin(i / 3) * 50, { steps: 2 });
    await customer.mouse.up();
    // The stroke is in the board's log (written within the board's flush interval).
    const { boards, boardUpdates } = await import('../../server/db/schema');
    const { eq } = await import('drizzle-orm');
    const logged = () =>
      e2e.testApp.app.db.db
        .select({ seq: boardUpdates.seq })
        .from(boardUpdates)
        .innerJoin(boards, eq(boards.id, boardUpdates.boardId))
        .where(eq(boards.callId, callId))
        .then((rows) => rows.length);
    await expect.poll(logged, { timeout: 15_000 }).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 2_000));
    await agent.getByRole('button', { name: 'Hang up' }).click();
    await agent.getByRole('heading', { name: 'Call ended' }).waitFor();

    const qaToken = (await apiLogin(e2e.url, DEMO.qa)).token;
    let listed: { id: string; callId: string; status: string } | undefined;
    for (let i = 0; i < 300; i++) {
      const { body } = await api<{ items: Array<{ id: string; callId: string; status: string }> }>(
        qaToken,
        '/api/recordings',
      );
      listed = body.items.find((r) => r.callId === callId);
      if (listed && !['recording', 'processing'].includes(listed.status)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const { body: replay } = await api<{ updates: Array<{ atMs: number; elements: Array<{ id: string }> }> }>(
      qaToken,
      `/api/recordings/${listed!.id}/board`,
    );
    const drawnAt = replay.updates[0]!.atMs;
    const strokeId = replay.updates[0]!.elements[0]!.id;
    expect(drawnAt).toBeGreaterThan(1_000);

    // The ticket links to its recording for QA, not for the customer.
    const { page: qa } = await signedIn(DEMO.qa, `/tickets/${ticket.id}`);
    const watch = qa.getByRole('link', { name: 'Watch the recording' });
    await watch.waitFor();
    await customer.goto(`${e2e.url}/tickets/${ticket.id}`);
    await customer.getByText(ticket.subject).first().waitFor();
    expect(await customer.getByRole('link', { name: 'Watch the recording' }).count()).toBe(0);
    await watch.click();
    await qa.waitForURL(new RegExp(`/qa/recordings/${listed!.id}$`));
    const play = qa.getByRole('button', { name: 'Play', exact: true });
    await expect.poll(() => play.isEnabled(), { timeout: 20_000 }).toBe(true);
    await qa.getByTestId('board-replay').locator('canvas.static').waitFor();
    // At the start the stroke was not drawn yet: the board is empty.
    await expect.poll(() => replayed(qa)).toBe('');
    await expect.poll(() => replayInk(qa)).toBe(0);
    // The whiteboard moment seeks to the stroke's time: now it is there, as pixels too.
    await qa.locator('[data-marker-kind="whiteboard"]').first().click();
    await expect.poll(() => replayed(qa)).toContain(strokeId);
    await expect.poll(() => replayInk(qa), { timeout: 10_000 }).toBeGreaterThan(100);
    await screenshot(qa, 'recording-qa-board-replay');
    // Seeking back before it hides it again (Home: the slider's start).
    const slider = qa.getByRole('slider', { name: 'Position in the recording' });
    await slider.press('Home');
    await expect.poll(() => replayed(qa)).toBe('');
    await expect.poll(() => replayInk(qa)).toBe(0);
    // Playing advances the board: from a second before the stroke, it appears by itself.
    await qa.locator('[data-marker-kind="whiteboard"]').first().click();
    await expect.poll(() => replayed(qa)).toContain(strokeId);
    await slider.focus();
    for (let i = 0; i < 10; i++) await qa.keyboard.press('ArrowLeft');
    await expect.poll(() => replayed(qa)).toBe('');
    await play.click();
    await expect.poll(() => replayed(qa), { timeout: 15_000 }).toContain(strokeId);

    // On a phone the board sits below the tracks, within the screen's width; and in Chinese.
    for (const [language, width] of [
      ['en', 390],
      ['zh-CN', 1440],
      ['zh-CN', 390],
    ] as const) {
      await qa.evaluate((lang) => window.localStorage.setItem('livedesk.language', lang), language);
      await qa.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await qa.reload();
      await qa.getByTestId('board-replay').locator('canvas.static').waitFor();
      const marker = qa.locator('[data-marker-kind="whiteboard"]').first();
      await expect.poll(() => marker.isEnabled(), { timeout: 20_000 }).toBe(true);
      await marker.click();
      await expect.poll(() => replayed(qa)).toContain(strokeId);
      expect(await qa.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(width);
      await screenshot(qa, `recording-qa-board-replay-${width}-${language}`);
    }
  });
});

describe('recording when the organisation requires the customer to agree', () => {
  const ASK = 'May we record this call to train our team?';
  serveApp({ RECORDING_REQUIRE_CONSENT: 'true', RECORDING_CONSENT_TEXT: ASK });

  it('asks the customer first: a refusal records nothing, an agreement starts it, the agent stops it', async () => {
    const { agent, customer } = await connectCall('Record only if I agree');
    const consent = customer.getByRole('dialog', { name: 'May this call be recorded?' });

    await agent.getByRole('button', { name: 'Start recording' }).click();
    await consent.getByText(ASK).waitFor();
    await agent.locator('[data-recording-status="awaiting_consent"]').waitFor();
    await agent.getByText('Waiting for the customer to allow recording.', { exact: false }).waitFor();
    // Nothing is recorded while the customer decides.
    expect(await agent.getByRole('status', INDICATOR).count()).toBe(0);
    expect(await customer.getByRole('status', INDICATOR).count()).toBe(0);
    await screenshot(customer, 'recording-consent-prompt');

    await consent.getByRole('button', { name: "Don't record" }).click();
    await consent.waitFor({ state: 'hidden' });
    await agent.getByText('The customer did not allow recording. Nothing was recorded.').waitFor();
    await agent.getByRole('button', { name: 'Start recording' }).waitFor();
    expect(await customer.getByRole('status', INDICATOR).count()).toBe(0);

    await agent.getByRole('button', { name: 'Start recording' }).click();
    await consent.getByRole('button', { name: 'Allow recording' }).click();
    await consent.waitFor({ state: 'hidden' });
    await customer.getByRole('status', INDICATOR).waitFor();
    await agent.getByRole('status', INDICATOR).waitFor();

    await new Promise((r) => setTimeout(r, 3_000));
    await agent.getByRole('button', { name: 'Stop recording' }).click();
    await agent.locator('[data-recording-status="ready"]').waitFor({ timeout: 45_000 });
    await agent.getByText('The recording is saved and ready for review.').waitFor();
    await customer.getByRole('status', INDICATOR).waitFor({ state: 'detached' });
    await agent.getByRole('button', { name: 'Start recording' }).waitFor();
    await screenshot(agent, 'recording-agent-saved');
    await agent.getByRole('button', { name: 'Hang up' }).click();
    await customer.getByRole('heading', { name: 'Call ended' }).waitFor();
  });
});
