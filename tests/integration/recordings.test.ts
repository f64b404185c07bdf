import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CallsRepository } from '../../server/calls/repository';
import { boards, boardUpdates, recordings, recordingTracks } from '../../server/db/schema';
import { EventBus } from '../../server/events/bus';
import { createLogger } from '../../server/logger';
import { RecordingsService } from '../../server/recordings/service';
import { TicketsRepository } from '../../server/tickets/repository';
import type { RecordingNotice, TicketView } from '../../signaling/shared/protocol';
import { BROWSER_RTP_CAPABILITIES, ok } from '../helpers/callClient';
import { probe, rtpProducers, startRtpReceiver, startRtpSource } from '../helpers/rtpSource';
import { type ClientSocket, connectSocket, eventually, record } from '../helpers/sockets';
import { DEMO, login, startTestApp, type TestApp } from '../helpers/testApp';

async function setup(env: Record<string, string> = {}) {
  const t = await startTestApp({ env: { CALL_RING_SECONDS: '30', ...env } });
  const tokens: Record<string, string> = {};
  for (const [key, email] of Object.entries(DEMO)) tokens[key] = await login(t.url, email);
  return { t, tokens };
}

/**
 * A call between the demo agent and customer whose agent peer sends real media: FFmpeg's test
 * pattern and tone enter the call's router as the agent's camera and microphone producers.
 */
/** Calls still to end after the test that started them, whatever its outcome. */
const cleanups: Array<() => Promise<void>> = [];

async function liveCall(
  t: TestApp,
  tokens: Record<string, string>,
  sockets: ClientSocket[],
  priority?: string,
) {
  const res = await fetch(`${t.url}/api/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.customer}` },
    body: JSON.stringify({ subject: 'Record me', description: 'Show the QA team', category: 'technical' }),
  });
  const ticket = (await res.json()) as TicketView;
  if (priority) {
    await fetch(`${t.url}/api/tickets/${ticket.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.agentL1}` },
      body: JSON.stringify({ priority }),
    });
  }
  const agent = await connectSocket(t.url, tokens.agentL1!);
  const customer = await connectSocket(t.url, tokens.customer!);
  sockets.push(agent, customer);
  const call = ok(await agent.emitWithAck('call:start', { ticketId: ticket.id }));
  ok(await customer.emitWithAck('call:answer', { callId: call.id, accept: true }));
  for (const s of [agent, customer])
    ok(await s.emitWithAck('call:join', { callId: call.id, rtpCapabilities: BROWSER_RTP_CAPABILITIES }));
  const room = t.app.media.getRoom(call.id)!;
  const agentId = ok(await agent.emitWithAck('session:whoami', {})).id;
  const source = await startRtpSource(room.router, { seconds: 60 });
  const peer = room.getPeer(agentId);
  room.attachProducer(peer, source.video);
  room.attachProducer(peer, source.audio);
  cleanups.push(async () => {
    await agent.emitWithAck('call:hangup', { callId: call.id }).catch(() => {});
    source.stop();
  });
  return { ticket, agent, customer, callId: call.id, source };
}

/**
 * Waits until every track file of a recording has received real media (not a fixed sleep: on a
 * busy machine FFmpeg may take a moment to start).
 */
async function waitForMedia(t: TestApp, recordingId: string, tracks: number, minBytes = 20_000) {
  const dir = path.join(t.app.config.recordings.dir, recordingId);
  const files = () =>
    fs.existsSync(dir)
      ? fs.readdirSync(dir).map((f) => ({ f, size: fs.statSync(path.join(dir, f)).size }))
      : [];
  try {
    await eventually(
      () =>
        files().filter(
          ({ f, size }) =>
            f.endsWith('.part.webm') && size >= (f.includes('-mic-') ? minBytes / 4 : minBytes),
        ).length >= tracks,
      `${tracks} track files with media`,
      20_000,
    );
  } catch (err) {
    // Say what the recording looked like, so a failure names its cause.
    const [row] = await t.app.db.db.select().from(recordings).where(eq(recordings.id, recordingId));
    throw new Error(
      `${(err as Error).message}; recording ${row?.status} (${row?.error ?? 'no error'}); files ${JSON.stringify(files())}`,
    );
  }
}

const get = (t: TestApp, token: string, p: string, headers: Record<string, string> = {}) =>
  fetch(`${t.url}${p}`, { headers: { authorization: `Bearer ${token}`, ...headers } });

describe('call recording with FFmpeg', () => {
  let t: TestApp;
  let tokens: Record<string, string>;
  const sockets: ClientSocket[] = [];
  beforeAll(async () => {
    ({ t, tokens } = await setup({ RECORDING_AUTO_PRIORITIES: 'P1', RECORDING_AUTO_TIERS: '' }));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
  });

  it('records both tracks without re-encoding, announces it to both sides, and serves it to QA with ranges', async () => {
    const { ticket, agent, customer, callId } = await liveCall(t, tokens, sockets);
    const atCustomer = record(customer, 'recording:state');
    const notice = ok(await agent.emitWithAck('recording:start', { callId })) as RecordingNotice;
    expect(notice).toMatchObject({ status: 'recording', consentText: expect.stringContaining('recorded') });
    await eventually(() => atCustomer.some((n) => n.status === 'recording'), 'the indicator at the customer');
    await waitForMedia(t, notice.recordingId, 2);
    const flowing = Date.now();
    await new Promise((r) => setTimeout(r, 2000));
    ok(
      await customer.emitWithAck('message:send', {
        ticketId: ticket.id,
        body: 'Can you see my screen?',
        clientMessageId: 'rec-1',
      }),
    );
    await new Promise((r) => setTimeout(r, 2000));
    ok(await agent.emitWithAck('call:hangup', { callId }));
    const recordedWhileFlowing = (Date.now() - flowing) / 1000;

    let items: any[] = [];
    for (let i = 0; i < 150 && !items.some((x) => x.status === 'ready'); i++) {
      items = ((await (await get(t, tokens.qa!, '/api/recordings')).json()) as any).items;
      await new Promise((r) => setTimeout(r, 100));
    }
    const listed = items.find((i) => i.callId === callId);
    expect(listed).toMatchObject({ status: 'ready', trigger: 'manual', agent: { name: 'Lee L1' } });
    const detail = (await (await get(t, tokens.qa!, `/api/recordings/${listed.id}`)).json()) as any;
    expect(detail.tracks.map((x: any) => `${x.kind}/${x.source}/${x.status}`).sort()).toEqual([
      'audio/mic/ready',
      'video/camera/ready',
    ]);
    const span = (Date.parse(detail.endedAt) - Date.parse(detail.startedAt)) / 1000;
    for (const track of detail.tracks) {
      const file = await findFile(t, listed.id, track.id);
      const info = await probe(file);
      // Nothing is lost once media flows: the file holds at least the time from then to the hang-up,
      // and never more than its own span (recording end minus its start offset).
      const duration = info.duration ?? 0;
      const label = `${track.kind}: file ${duration} s, flowing ${recordedWhileFlowing} s, span ${span} s, offset ${track.offsetMs} ms`;
      expect(duration, label).toBeGreaterThan(recordedWhileFlowing - 0.5);
      const ownSpan = (Date.parse(track.endedAt) - Date.parse(track.startedAt)) / 1000;
      expect(duration, `${label}, own span ${ownSpan} s`).toBeLessThan(ownSpan + 0.5);
      expect(info.streams.map((s) => s.codec_name)).toEqual([track.kind === 'video' ? 'vp8' : 'opus']);
    }
    const video = detail.tracks.find((x: any) => x.kind === 'video');
    const ranged = await get(t, tokens.qa!, video.url, { Range: 'bytes=0-99' });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toMatch(/^bytes 0-99\//);
    expect((await ranged.arrayBuffer()).byteLength).toBe(100);
    // The customer cannot list, read or stream it.
    expect((await get(t, tokens.customer!, '/api/recordings')).status).toBe(403);
    expect((await get(t, tokens.customer!, `/api/recordings/${listed.id}`)).status).toBe(403);
    expect((await get(t, tokens.customer!, video.url)).status).toBe(403);
    // The agent on the call may; the L2 agent who was not may not.
    expect((await get(t, tokens.agentL1!, video.url)).status).toBe(200);
    expect((await get(t, tokens.agentL2!, `/api/recordings/${listed.id}`)).status).toBe(403);
  });

  it('plays a track through a streaming link that opens only that track, for its user', async () => {
    const items = ((await (await get(t, tokens.qa!, '/api/recordings')).json()) as any).items;
    const detail = (await (await get(t, tokens.qa!, `/api/recordings/${items[0].id}`)).json()) as any;
    const [video, audio] = [
      detail.tracks.find((x: any) => x.kind === 'video'),
      detail.tracks.find((x: any) => x.kind === 'audio'),
    ];
    const linkFor = (token: string, track: any) =>
      get(t, token, `/api/recordings/${detail.id}/tracks/${track.id}/stream-url`);
    const res = await linkFor(tokens.qa!, video);
    expect(res.status).toBe(200);
    const { url, expiresAt } = (await res.json()) as { url: string; expiresAt: string };
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    // No header needed: what a <video src> does, with ranges for seeking.
    const whole = await fetch(`${t.url}${url}`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/webm');
    const bytes = Buffer.from(await whole.arrayBuffer());
    const ranged = await fetch(`${t.url}${url}`, { headers: { Range: 'bytes=100-199' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(bytes.subarray(100, 200));

    const token = new URL(url, t.url).searchParams.get('access')!;
    // The link's token opens this track only: not the other track, not the API as a session.
    const otherTrack = await fetch(
      `${t.url}/api/recordings/${detail.id}/tracks/${audio.id}/stream?access=${encodeURIComponent(token)}`,
    );
    expect(otherTrack.status).toBe(401);
    expect((await get(t, token, '/api/recordings')).status).toBe(401);
    // A session token is not a link token, and a tampered or missing one is refused.
    const withSession = `${t.url}/api/recordings/${detail.id}/tracks/${video.id}/stream?access=${tokens.qa}`;
    expect((await fetch(withSession)).status).toBe(401);
    expect((await fetch(`${t.url}${url.slice(0, -3)}abc`)).status).toBe(401);
    expect((await fetch(`${t.url}/api/recordings/${detail.id}/tracks/${video.id}/stream`)).status).toBe(400);
    // Only who may play the track gets a link: not the customer, not an agent who was not on it.
    expect((await linkFor(tokens.customer!, video)).status).toBe(403);
    expect((await linkFor(tokens.agentL2!, video)).status).toBe(403);
  });

  it('lets QA score against the rubric and comment at a time; the list filters by score', async () => {
    const items = ((await (await get(t, tokens.qa!, '/api/recordings')).json()) as any).items;
    const id = items[0].id;
    const put = (token: string, scores: Record<string, number>) =>
      fetch(`${t.url}/api/recordings/${id}/review`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ scores }),
      });
    const full = { greeting: 5, diagnosis: 4, clarity: 4, resolution: 5, empathy: 3 };
    expect((await put(tokens.agentL1!, full)).status).toBe(403);
    const partial = await put(tokens.qa!, { greeting: 5 });
    expect(partial.status).toBe(400);
    const scored = await put(tokens.qa!, full);
    expect(await scored.json()).toMatchObject({ total: 21, max: 25 });
    const comment = await fetch(`${t.url}/api/recordings/${id}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.qa}` },
      body: JSON.stringify({ atMs: 2500, body: 'Good explanation here' }),
    });
    expect(comment.status).toBe(201);
    const detail = (await (await get(t, tokens.qa!, `/api/recordings/${id}`)).json()) as any;
    expect(detail.comments).toEqual([
      expect.objectContaining({ atMs: 2500, body: 'Good explanation here', author: 'Quinn QA' }),
    ]);
    expect(detail.reviews[0]).toMatchObject({ total: 21 });
    expect(detail.markers.length).toBeGreaterThan(0);
    const high = ((await (await get(t, tokens.qa!, '/api/recordings?minScore=21')).json()) as any).items;
    expect(high.map((x: any) => x.id)).toContain(id);
    const higher = ((await (await get(t, tokens.qa!, '/api/recordings?minScore=22')).json()) as any).items;
    expect(higher.map((x: any) => x.id)).not.toContain(id);
  });

  it('says a recorder could not start in its own words; the system error stays in the log', async () => {
    const { agent, customer, callId } = await liveCall(t, tokens, sockets);
    const states = record(customer, 'recording:state');
    // The recordings directory is a file now: making the recording's folder fails with the
    // operating system's error, which names the server's paths.
    const dir = t.app.config.recordings.dir;
    const kept = `${dir}.kept`;
    fs.renameSync(dir, kept);
    fs.writeFileSync(dir, 'not a directory');
    try {
      ok(await agent.emitWithAck('recording:start', { callId }));
      await eventually(() => states.some((s) => s.error !== null), 'a visible error', 10000);
    } finally {
      fs.rmSync(dir);
      fs.renameSync(kept, dir);
    }
    const error = states.find((s) => s.error !== null)!.error!;
    expect(error).toMatch(
      /^A recorder could not start for the (mic|camera|screen); the server log has the reason\.$/,
    );
    expect(error).not.toContain('ENOTDIR');
    expect(error).not.toContain(t.app.config.dataDir);
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  it('keeps a playable file and shows a visible failure when FFmpeg dies mid-call', async () => {
    const { agent, customer, callId } = await liveCall(t, tokens, sockets);
    const states = record(customer, 'recording:state');
    const started = ok(await agent.emitWithAck('recording:start', { callId })) as RecordingNotice;
    await waitForMedia(t, started.recordingId, 2);
    const pids = t.app.recordings.recorderPids(callId);
    expect(pids.length).toBe(2);
    process.kill(pids[0]!, 'SIGKILL');
    await eventually(() => states.some((s) => s.error !== null), 'a visible error', 10000);
    ok(await agent.emitWithAck('call:hangup', { callId }));
    let detail: any;
    for (let i = 0; i < 150; i++) {
      const items = ((await (await get(t, tokens.qa!, '/api/recordings')).json()) as any).items;
      const mine = items.find((x: any) => x.callId === callId);
      if (mine && mine.status !== 'recording' && mine.status !== 'processing') {
        detail = (await (await get(t, tokens.qa!, `/api/recordings/${mine.id}`)).json()) as any;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(detail.status).toBe('partial');
    expect(detail.error).toMatch(/stopped unexpectedly/);
    const crashed = detail.tracks.find((x: any) => x.status === 'partial');
    expect(crashed).toBeDefined();
    const res = await get(t, tokens.qa!, crashed.url);
    expect(res.status).toBe(200);
    const tmp = path.join(t.app.config.dataDir, 'crashed-track.webm');
    fs.writeFileSync(tmp, Buffer.from(await res.arrayBuffer()));
    const info = await probe(tmp);
    expect(info.streams.length).toBe(1);
    // What was captured before the kill plays (the kill comes as soon as media flows: under a second
    // on a fast machine).
    expect(info.duration ?? 0).toBeGreaterThan(0.2);
  });

  it('saves a recording stopped at once: tracks that got no frame yet are empty, not failed', async () => {
    // Real media, stopped as soon as the recorders run: whatever had no keyframe yet is empty.
    const { agent, callId } = await liveCall(t, tokens, sockets);
    const started = ok(await agent.emitWithAck('recording:start', { callId })) as RecordingNotice;
    expect(t.app.recordings.recorderPids(callId).length).toBe(2);
    const stopped = ok(await agent.emitWithAck('recording:stop', { callId })) as RecordingNotice;
    expect(stopped).toMatchObject({ recordingId: started.recordingId, status: 'ready', error: null });
    const detail = (await (await get(t, tokens.qa!, `/api/recordings/${started.recordingId}`)).json()) as any;
    expect(detail.status).toBe('ready');
    expect(detail.tracks).toHaveLength(2);
    for (const track of detail.tracks) expect(['ready', 'empty']).toContain(track.status);
  });

  it('records tracks that never sent media as empty, the recording as saved, and serves no file for them', async () => {
    // Producers whose sender never sends: FFmpeg gets no packet at all, however long it waits.
    const ticket = (await (
      await fetch(`${t.url}/api/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.customer}` },
        body: JSON.stringify({ subject: 'Silent call', description: 'No media', category: 'technical' }),
      })
    ).json()) as TicketView;
    const agent = await connectSocket(t.url, tokens.agentL1!);
    const customer = await connectSocket(t.url, tokens.customer!);
    sockets.push(agent, customer);
    const call = ok(await agent.emitWithAck('call:start', { ticketId: ticket.id }));
    ok(await customer.emitWithAck('call:answer', { callId: call.id, accept: true }));
    for (const s of [agent, customer])
      ok(await s.emitWithAck('call:join', { callId: call.id, rtpCapabilities: BROWSER_RTP_CAPABILITIES }));
    const room = t.app.media.getRoom(call.id)!;
    const silent = await rtpProducers(room.router);
    const peer = room.getPeer(ok(await agent.emitWithAck('session:whoami', {})).id);
    room.attachProducer(peer, silent.video);
    room.attachProducer(peer, silent.audio);
    cleanups.push(async () => {
      await agent.emitWithAck('call:hangup', { callId: call.id }).catch(() => {});
      silent.close();
    });
    const started = ok(await agent.emitWithAck('recording:start', { callId: call.id })) as RecordingNotice;
    expect(t.app.recordings.recorderPids(call.id).length).toBe(2);
    const stopped = ok(await agent.emitWithAck('recording:stop', { callId: call.id })) as RecordingNotice;
    expect(stopped).toMatchObject({ status: 'ready', error: null });
    const detail = (await (await get(t, tokens.qa!, `/api/recordings/${started.recordingId}`)).json()) as any;
    expect(detail.tracks.map((x: any) => `${x.kind}/${x.status}/${x.sizeBytes}`).sort()).toEqual([
      'audio/empty/0',
      'video/empty/0',
    ]);
    for (const track of detail.tracks) expect((await get(t, tokens.qa!, track.url)).status).toBe(404);
    // Nothing is left on disk for them.
    const dir = path.join(t.app.config.recordings.dir, started.recordingId);
    expect(fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.webm')) : []).toEqual([]);
  });

  it('serves the call’s whiteboard for replay: the scene at the start, then updates at their offsets until the end', async () => {
    const { agent, callId, ticket } = await liveCall(t, tokens, sockets);
    const started = ok(await agent.emitWithAck('recording:start', { callId })) as RecordingNotice;
    ok(await agent.emitWithAck('recording:stop', { callId }));
    const [row] = await t.app.db.db.select().from(recordings).where(eq(recordings.id, started.recordingId));
    const start = row!.startedAt.getTime();
    const end = row!.endedAt!.getTime();
    // The board's log: one stroke before the recording, one during it (and the first one erased
    // then), one after it ended.
    const [board] = await t.app.db.db.insert(boards).values({ ticketId: ticket.id, callId }).returning();
    const element = (id: string, version: number, isDeleted = false) => ({
      id,
      type: 'freedraw',
      version,
      versionNonce: version,
      isDeleted,
      index: `a${id}`,
      x: 0,
      y: 0,
    });
    const mid = Math.floor((end - start) / 2);
    await t.app.db.db.insert(boardUpdates).values([
      { boardId: board!.id, elements: [element('A', 1)], createdAt: new Date(start - 5000) },
      {
        boardId: board!.id,
        elements: [element('B', 1), element('A', 2, true)],
        createdAt: new Date(start + mid),
      },
      { boardId: board!.id, elements: [element('C', 1)], createdAt: new Date(end + 5000) },
    ]);

    const res = await get(t, tokens.qa!, `/api/recordings/${started.recordingId}/board`);
    expect(res.status).toBe(200);
    const replay = (await res.json()) as any;
    expect(replay.boardId).toBe(board!.id);
    expect(replay.initial.map((e: any) => `${e.id}${e.version}`)).toEqual(['A1']);
    expect(
      replay.updates.map((u: any) => [u.atMs, u.elements.map((e: any) => `${e.id}${e.version}`)]),
    ).toEqual([[mid, ['B1', 'A2']]]);
    // Those who may watch the recording may replay its board; nobody else.
    expect((await get(t, tokens.agentL1!, `/api/recordings/${started.recordingId}/board`)).status).toBe(200);
    expect((await get(t, tokens.agentL2!, `/api/recordings/${started.recordingId}/board`)).status).toBe(403);
    expect((await get(t, tokens.customer!, `/api/recordings/${started.recordingId}/board`)).status).toBe(403);
    expect(
      (await get(t, tokens.qa!, '/api/recordings/00000000-0000-4000-8000-000000000000/board')).status,
    ).toBe(404);
    expect((await get(t, tokens.qa!, '/api/recordings/not-an-id/board')).status).toBe(400);
  });

  it('starts by rule for a P1 ticket once the call connects', async () => {
    const { agent, customer, callId, source } = await liveCall(t, tokens, sockets, 'P1');
    const states = record(agent, 'recording:state');
    // The call connects when the SFU sees the agent's media reach the customer.
    const room = t.app.media.getRoom(callId)!;
    const customerId = ok(await customer.emitWithAck('session:whoami', {})).id;
    const receiver = await startRtpReceiver(room, room.getPeer(customerId), source.video.id);
    cleanups.push(async () => receiver.stop());
    await eventually(
      () => states.some((s) => s.status === 'recording'),
      'the rule to start recording',
      10000,
    );
    await waitForMedia(t, states.find((s) => s.status === 'recording')!.recordingId, 2);
    ok(await agent.emitWithAck('call:hangup', { callId }));
    await eventually(
      () => states.some((s) => s.status === 'ready' || s.status === 'partial' || s.status === 'failed'),
      'the recording to finish',
      15000,
    );
    const finished = states.find((s) => s.status !== 'recording' && s.status !== 'processing')!;
    const detail = (await (
      await get(t, tokens.qa!, `/api/recordings/${finished.recordingId}`)
    ).json()) as any;
    expect(finished.status, JSON.stringify(detail.tracks)).toBe('ready');
    const items = ((await (await get(t, tokens.qa!, '/api/recordings?priority=P1')).json()) as any).items;
    expect(items.find((x: any) => x.callId === callId)).toMatchObject({ trigger: 'rule', status: 'ready' });
  });

  it('after a server crash, concludes the recording from the files left behind: playable and marked partial', async () => {
    const { agent, callId } = await liveCall(t, tokens, sockets);
    const notice = ok(await agent.emitWithAck('recording:start', { callId })) as RecordingNotice;
    await waitForMedia(t, notice.recordingId, 2);
    // The crash: every recorder dies at once and the service that ran them is gone. A fresh
    // service over the same database and files stands in for the restarted server.
    for (const pid of t.app.recordings.recorderPids(callId)) process.kill(pid, 'SIGKILL');
    const restarted = new RecordingsService(
      t.app.db.db,
      new TicketsRepository(t.app.db.db),
      new CallsRepository(t.app.db.db),
      t.app.media,
      new EventBus(createLogger({ logLevel: 'silent' })),
      t.app.config.recordings,
      createLogger({ logLevel: 'silent' }),
    );
    // Only what was still running is concluded; finished recordings are left as they are.
    const finished = ((await (await get(t, tokens.qa!, '/api/recordings')).json()) as any).items
      .filter((x: any) => !['recording', 'processing'].includes(x.status))
      .map((x: any) => x.id);
    const recovered = await restarted.recover();
    expect(recovered).toContain(notice.recordingId);
    for (const id of finished) expect(recovered).not.toContain(id);
    const detail = (await (await get(t, tokens.qa!, `/api/recordings/${notice.recordingId}`)).json()) as any;
    expect(detail.status).toBe('partial');
    // The old process's own crash handling may also have recorded its view of the failure.
    expect(detail.error).toMatch(/server stopped|stopped unexpectedly/);
    expect(detail.tracks.map((x: any) => x.status)).toEqual(['partial', 'partial']);
    const file = await findFile(t, notice.recordingId, detail.tracks[0].id);
    expect((await probe(file)).streams.length).toBe(1);
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  it('records a screen share that starts during the recording, and finishes it whole when the call ends right after it stops', async () => {
    const { agent, callId } = await liveCall(t, tokens, sockets);
    const room = t.app.media.getRoom(callId)!;
    const agentId = ok(await agent.emitWithAck('session:whoami', {})).id;
    const screen = await startRtpSource(room.router, { seconds: 30, appData: { source: 'screen' } });
    cleanups.push(async () => screen.stop());
    const states = record(agent, 'recording:state');
    const notice = ok(await agent.emitWithAck('recording:start', { callId })) as RecordingNotice;
    // The share begins while recording: the recording picks it up as a track of its own.
    room.attachProducer(room.getPeer(agentId), screen.video);
    await waitForMedia(t, notice.recordingId, 3);
    // The share stops and the call is hung up at once: the screen's recorder is still finishing.
    screen.video.close();
    ok(await agent.emitWithAck('call:hangup', { callId }));
    await eventually(
      () =>
        states.some(
          (s) => s.recordingId === notice.recordingId && !['recording', 'processing'].includes(s.status),
        ),
      'the recording to finish',
      15_000,
    );
    const detail = (await (await get(t, tokens.qa!, `/api/recordings/${notice.recordingId}`)).json()) as any;
    expect(detail.status, JSON.stringify(detail.tracks)).toBe('ready');
    expect(detail.tracks.map((x: any) => `${x.kind}/${x.source}/${x.status}`).sort()).toEqual([
      'audio/mic/ready',
      'video/camera/ready',
      'video/screen/ready',
    ]);
    const screenTrack = detail.tracks.find((x: any) => x.source === 'screen');
    const info = await probe(await findFile(t, notice.recordingId, screenTrack.id));
    expect(info.streams.map((s) => s.codec_name)).toEqual(['vp8']);
    expect(info.duration ?? 0).toBeGreaterThan(0.3);
  });

  it('deletes recordings and their files after the retention period', async () => {
    const before = ((await (await get(t, tokens.qa!, '/api/recordings')).json()) as any).items.filter(
      (x: any) => !['recording', 'processing'].includes(x.status),
    );
    expect(before.length).toBeGreaterThan(0);
    const deleted = await t.app.recordings.sweepRetention(new Date(Date.now() + 91 * 86_400_000));
    expect(deleted).toBe(before.length);
    for (const r of before) expect(fs.existsSync(path.join(t.app.config.recordings.dir, r.id))).toBe(false);
    expect((await get(t, tokens.qa!, `/api/recordings/${before[0].id}`)).status).toBe(404);
  });
});

describe('recording consent required by the organisation', () => {
  let t: TestApp;
  let tokens: Record<string, string>;
  const sockets: ClientSocket[] = [];
  beforeAll(async () => {
    ({ t, tokens } = await setup({
      RECORDING_REQUIRE_CONSENT: 'true',
      RECORDING_CONSENT_TEXT: 'May we record this call?',
    }));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
  });

  it('waits for the customer: a decline records nothing, an accept starts it', async () => {
    const { agent, customer, callId } = await liveCall(t, tokens, sockets);
    const asked = ok(await agent.emitWithAck('recording:start', { callId }));
    expect(asked).toMatchObject({ status: 'awaiting_consent', consentText: 'May we record this call?' });
    expect(t.app.recordings.recorderPids(callId)).toEqual([]);
    expect(ok(await customer.emitWithAck('recording:consent', { callId, accept: false }))).toMatchObject({
      status: 'declined',
    });
    // The agent may not answer for the customer.
    ok(await agent.emitWithAck('recording:start', { callId }));
    const impostor = await agent.emitWithAck('recording:consent', { callId, accept: true } as never);
    expect(impostor).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(ok(await customer.emitWithAck('recording:consent', { callId, accept: true }))).toMatchObject({
      status: 'recording',
    });
    await eventually(() => t.app.recordings.recorderPids(callId).length === 2, 'two recorders');
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  it('tells a participant who comes back mid-recording its state: on the device check and on joining', async () => {
    const { agent, customer, callId } = await liveCall(t, tokens, sockets);
    const join = { callId, rtpCapabilities: BROWSER_RTP_CAPABILITIES };
    ok(await agent.emitWithAck('recording:start', { callId }));

    // The customer reloads while the request for consent is open: the new connection joins again.
    // The server sends the state before the join's answer, on the same connection.
    customer.close();
    const back = await connectSocket(t.url, tokens.customer!);
    sockets.push(back);
    const heardOnJoin = record(back, 'recording:state');
    ok(await back.emitWithAck('call:join', join));
    expect(heardOnJoin).toEqual([
      expect.objectContaining({
        callId,
        status: 'awaiting_consent',
        consentText: 'May we record this call?',
      }),
    ]);
    ok(await back.emitWithAck('recording:consent', { callId, accept: true }));
    await eventually(() => t.app.recordings.recorderPids(callId).length === 2, 'two recorders');

    // Reloaded again, now while it records: the device check (prepare) already shows it.
    back.close();
    const again = await connectSocket(t.url, tokens.customer!);
    sockets.push(again);
    const heardOnCheck = record(again, 'recording:state');
    ok(await again.emitWithAck('call:prepare', join));
    expect(heardOnCheck).toEqual([expect.objectContaining({ callId, status: 'recording' })]);
    const heardOnRejoin = record(again, 'recording:state');
    ok(await again.emitWithAck('call:join', { ...join, prepared: true }));
    expect(heardOnRejoin.at(-1)).toMatchObject({ callId, status: 'recording' });
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });
});

async function findFile(t: TestApp, _recordingId: string, trackId: string): Promise<string> {
  const [row] = await t.app.db.db.select().from(recordingTracks).where(eq(recordingTracks.id, trackId));
  return path.join(t.app.config.recordings.dir, row!.file);
}
