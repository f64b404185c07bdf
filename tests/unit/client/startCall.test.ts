import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallEngine } from '../../../client/src/lib/call/CallEngine';
import type { LocalMedia } from '../../../client/src/lib/call/devices';
import { handOverEngine, startCall, takeHandedEngine } from '../../../client/src/lib/call/startCall';
import type { CallJoinResult, CallView, RtpCapabilities } from '../../../signaling/shared/protocol';
import { deviceLoader, FakeDevice, FakeSignaling, type FakeTrack, refusal, settle, track } from './fakes';

const CAPS: RtpCapabilities = { codecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90_000 }] };

function view(id: string, status: CallView['status']): CallView {
  return { id, ticketId: 'ticket-1', status, participants: [] } as unknown as CallView;
}

function joinResult(callId: string): CallJoinResult {
  const params = (dir: string) => ({
    id: `${dir}-1`,
    iceParameters: { usernameFragment: 'u', password: 'p' },
    iceCandidates: [],
    dtlsParameters: { fingerprints: [] },
  });
  return {
    call: view(callId, 'ringing'),
    routerRtpCapabilities: CAPS,
    iceServers: [],
    producers: [],
    rejoinGraceMs: 30_000,
    transports: { send: params('send'), recv: params('recv') },
    consumers: [],
  };
}

describe('startCall: the caller joins before the call page is navigated to', () => {
  let signaling: FakeSignaling;
  let engines: CallEngine[];
  const createEngine = (callId: string) => {
    const engine = new CallEngine(callId, {
      signaling,
      device: deviceLoader(new FakeDevice()),
      logger: { warn: () => {}, error: () => {} },
    });
    engines.push(engine);
    return engine;
  };

  beforeEach(() => {
    signaling = new FakeSignaling();
    engines = [];
    signaling.handle('call:capabilities', () => ({ routerRtpCapabilities: CAPS }));
    signaling.handle('call:join', (p) => joinResult(p.callId));
    signaling.handle('call:transport:connect', () => ({}) as never);
    signaling.handle('call:produce', () => ({ producerId: 'mine' }));
    signaling.handle('call:leave', () => ({}) as never);
  });

  afterEach(() => {
    vi.useRealTimers();
    for (const e of engines) e.destroy();
    takeHandedEngine('call-1');
  });

  it('joins as soon as call:start answers, with the devices still opening, and hands the engine to the page', async () => {
    signaling.hold('call:start');
    let open: (m: LocalMedia) => void = () => {};
    const devices = new Promise<LocalMedia>((resolve) => {
      open = resolve;
    });
    const remembered: string[] = [];
    const starting = startCall('ticket-1', {
      signaling,
      createEngine,
      devices,
      remember: (id) => remembered.push(id),
    });
    await settle();
    expect(signaling.sentOf('call:start')).toEqual([{ ticketId: 'ticket-1' }]);
    expect(signaling.sentOf('call:join')).toEqual([]);

    signaling.answer('call:start', view('call-1', 'ringing'));
    const { call, engine } = await starting;
    // What the button does next is navigate; the join is already under way by then.
    expect(call.id).toBe('call-1');
    expect(remembered).toEqual(['call-1']);
    expect(engine.getSnapshot().phase).toBe('joining');
    await settle();
    expect(signaling.sentOf('call:join')).toHaveLength(1);
    expect(signaling.sentOf('call:join')[0]).toMatchObject({ callId: 'call-1' });

    // The call page takes that very engine (once), not a new one.
    expect(takeHandedEngine('call-1')).toBe(engine);
    expect(takeHandedEngine('call-1')).toBeNull();

    // The devices are sent once they open.
    const mic = track('audio');
    const camera = track('video');
    open({ microphone: mic, camera, errors: {} });
    await settle();
    expect(signaling.sentOf('call:produce').map((p) => p.source)).toEqual(['camera', 'mic']);
  });

  it('a refused start joins nothing and releases the devices', async () => {
    signaling.handle('call:start', () => {
      throw refusal('conflict');
    });
    const mic = track('audio');
    const camera = track('video');
    await expect(
      startCall('ticket-1', {
        signaling,
        createEngine,
        devices: Promise.resolve({ microphone: mic, camera, errors: {} }),
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await settle();
    expect(engines).toHaveLength(0);
    expect(signaling.sentOf('call:join')).toEqual([]);
    expect((mic as unknown as FakeTrack).readyState).toBe('ended');
    expect((camera as unknown as FakeTrack).readyState).toBe('ended');
  });

  it('an engine no page takes leaves the call; one parked and taken back at once (StrictMode) stays', async () => {
    vi.useFakeTimers();
    const unclaimed = createEngine('call-1');
    await unclaimed.join({});
    handOverEngine(unclaimed, 0, 10_000);
    vi.advanceTimersByTime(10_000);
    expect(takeHandedEngine('call-1')).toBeNull();
    expect(signaling.sentOf('call:leave')).toHaveLength(1);

    const parked = createEngine('call-2');
    await parked.join({});
    handOverEngine(parked, 0, 0);
    expect(takeHandedEngine('call-2')).toBe(parked);
    vi.advanceTimersByTime(1);
    expect(signaling.sentOf('call:leave')).toHaveLength(1);
    // Another round of the same call page is a fresh engine, not the parked one.
    handOverEngine(parked, 0, 0);
    expect(takeHandedEngine('call-2', 1)).toBeNull();
    vi.advanceTimersByTime(1);
    expect(signaling.sentOf('call:leave')).toHaveLength(2);
  });

  it('the page of an ended call parking its engine does not end the next call handed over ("Call again")', async () => {
    vi.useFakeTimers();
    const next = createEngine('call-next');
    await next.join({});
    handOverEngine(next);
    const ended = createEngine('call-ended');
    handOverEngine(ended, 0, 0);
    vi.advanceTimersByTime(1);
    expect(takeHandedEngine('call-ended')).toBeNull();
    expect(takeHandedEngine('call-next')).toBe(next);
    expect(signaling.sentOf('call:leave')).toHaveLength(0);
  });
});
