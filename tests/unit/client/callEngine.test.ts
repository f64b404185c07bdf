import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallEngine } from '../../../client/src/lib/call/CallEngine';
import { MediaAccessError, type LocalMedia as OpenedDevices } from '../../../client/src/lib/call/devices';
import type {
  CallConsumerParams,
  CallJoinResult,
  CallView,
  RtpCapabilities,
} from '../../../signaling/shared/protocol';
import { deviceLoader, FakeDevice, FakeSignaling, type FakeTrack, refusal, settle, track } from './fakes';

const CALL_ID = 'call-1';
const CAPS: RtpCapabilities = { codecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90_000 }] };

/** The fields of a call's view the engine reads (its id, status and participants). */
function view(status: CallView['status'], extra: Partial<CallView> = {}): CallView {
  return { id: CALL_ID, status, participants: [], ...extra } as CallView;
}

let transportSeq = 0;
function joinResult(consumers: CallConsumerParams[] = []): CallJoinResult {
  transportSeq++;
  const params = (dir: string) => ({
    id: `${dir}-${transportSeq}`,
    iceParameters: { usernameFragment: 'u', password: 'p' },
    iceCandidates: [],
    dtlsParameters: { fingerprints: [] },
  });
  return {
    call: view('connecting'),
    routerRtpCapabilities: CAPS,
    iceServers: [],
    producers: [],
    rejoinGraceMs: 30_000,
    transports: { send: params('send'), recv: params('recv') },
    consumers,
  };
}

function remoteCamera(producerId = 'p-cam'): CallConsumerParams {
  return {
    id: `c-${producerId}`,
    producerId,
    peerId: 'agent',
    kind: 'video',
    rtpParameters: { codecs: [] },
    source: 'camera',
    paused: true,
    producerPaused: false,
  };
}

describe('CallEngine', () => {
  let signaling: FakeSignaling;
  let device: FakeDevice;
  let engine: CallEngine;
  let produced: number;

  beforeEach(() => {
    signaling = new FakeSignaling();
    device = new FakeDevice();
    produced = 0;
    signaling.handle('call:capabilities', () => ({ routerRtpCapabilities: CAPS }));
    signaling.handle('call:join', () => joinResult());
    signaling.handle('call:transport:connect', () => ({}) as never);
    signaling.handle('call:produce', () => ({ producerId: `mine-${++produced}` }));
    signaling.handle('call:consumer:resume', () => ({}) as never);
    signaling.handle('call:producer:set-paused', () => ({}) as never);
    signaling.handle('call:leave', () => ({}) as never);
    engine = new CallEngine(CALL_ID, {
      signaling,
      device: deviceLoader(device),
      logger: { warn: () => {}, error: () => {} },
    });
  });

  afterEach(() => engine.destroy());

  it('goes idle → joining → in_call, sends its tracks and shows what the others send', async () => {
    signaling.handle('call:join', () => joinResult([remoteCamera()]));
    const phases: string[] = [];
    engine.subscribe(() => {
      const { phase } = engine.getSnapshot();
      if (phases.at(-1) !== phase) phases.push(phase);
    });
    const mic = track('audio');
    const camera = track('video');
    await engine.join({ microphone: mic, camera });
    await settle();

    expect(phases).toEqual(['idle', 'joining', 'in_call']);
    const [join] = signaling.sentOf('call:join');
    expect(join).toMatchObject({
      callId: CALL_ID,
      rtpCapabilities: device.recvRtpCapabilities,
      transports: true,
    });
    // Camera first (the picture is what both wait for), then the microphone.
    expect(signaling.sentOf('call:produce').map((p) => p.source)).toEqual(['camera', 'mic']);
    const snapshot = engine.getSnapshot();
    expect(snapshot.rejoinGraceMs).toBe(30_000);
    expect(snapshot.remote).toHaveLength(1);
    expect(snapshot.remote[0]).toMatchObject({
      peerId: 'agent',
      camera: { producerId: 'p-cam', paused: false },
    });
    expect(signaling.sentOf('call:consumer:resume')).toEqual([{ callId: CALL_ID, consumerId: 'c-p-cam' }]);
  });

  it('resumes a received track at once, while its transport is still connecting (the server forwards from DTLS on)', async () => {
    device.autoConnect = false;
    signaling.handle('call:join', () => joinResult([remoteCamera()]));
    await engine.join({ camera: track('video') });
    await settle();
    const recv = device.transports.find((t) => t.direction === 'recv')!;
    expect(recv.connectionState).toBe('new');
    expect(signaling.sentOf('call:consumer:resume')).toEqual([{ callId: CALL_ID, consumerId: 'c-p-cam' }]);
    // The transport's DTLS parameters went first, on the same socket (the server handles them in order).
    const order = signaling.sent.map((s) => s.event);
    expect(order.indexOf('call:transport:connect')).toBeLessThan(order.indexOf('call:consumer:resume'));
  });

  it('is setting up from Join until its camera is offered, so the page keeps the device check meanwhile', async () => {
    signaling.hold('call:produce');
    const joining = engine.join({ microphone: track('audio'), camera: track('video') });
    await settle();
    expect(engine.getSnapshot()).toMatchObject({ phase: 'in_call', settingUp: true });
    signaling.answer('call:produce', { producerId: 'cam' });
    await settle();
    // The call view may show now; the microphone's offer is still waiting for its answer.
    expect(engine.getSnapshot().settingUp).toBe(false);
    expect(signaling.sentOf('call:produce').map((p) => p.source)).toEqual(['camera', 'mic']);
    signaling.answer('call:produce', { producerId: 'mic' });
    await joining;
    expect(engine.getSnapshot().settingUp).toBe(false);
  });

  it('joined with the camera off, the set-up ends without waiting for the microphone', async () => {
    signaling.hold('call:produce');
    const joining = engine.join({ microphone: track('audio'), camera: null, cameraOff: true });
    await settle();
    expect(engine.getSnapshot()).toMatchObject({ phase: 'in_call', settingUp: false });
    expect(signaling.sentOf('call:produce').map((p) => p.source)).toEqual(['mic']);
    signaling.answer('call:produce', { producerId: 'mic' });
    await joining;
  });

  it('a failed join ends the set-up too (the page shows the failure, not the device check)', async () => {
    signaling.handle('call:join', () => {
      throw refusal('forbidden');
    });
    await engine.join({ camera: track('video') });
    expect(engine.getSnapshot()).toMatchObject({ phase: 'failed', settingUp: false });
  });

  it('joins before its devices are open (the caller) and sends them once they are', async () => {
    let open: (media: OpenedDevices) => void = () => {};
    const devices = new Promise<OpenedDevices>((resolve) => {
      open = resolve;
    });
    const joining = engine.join({ devices });
    await settle();
    // In the room with transports, nothing sent yet, still setting up.
    expect(signaling.sentOf('call:join')).toHaveLength(1);
    expect(device.transports).toHaveLength(2);
    expect(signaling.sentOf('call:produce')).toEqual([]);
    expect(engine.getSnapshot()).toMatchObject({ phase: 'in_call', settingUp: true });

    const mic = track('audio');
    const camera = track('video');
    open({ microphone: mic, camera, errors: {} });
    await joining;
    expect(signaling.sentOf('call:produce').map((p) => p.source)).toEqual(['camera', 'mic']);
    expect(engine.getSnapshot()).toMatchObject({
      settingUp: false,
      cameraOff: false,
      micMuted: false,
      issue: null,
      local: { mic, camera },
    });
  });

  it('a device that cannot be opened after joining is the call’s issue; the call goes on with the other', async () => {
    const mic = track('audio');
    const denied = new MediaAccessError('denied', 'camera', 'Permission denied');
    await engine.join({
      devices: Promise.resolve({ microphone: mic, camera: null, errors: { camera: denied } }),
    });
    await settle();
    expect(engine.getSnapshot()).toMatchObject({
      phase: 'in_call',
      settingUp: false,
      cameraOff: true,
      micMuted: false,
      issue: { reason: 'permission_denied', device: 'camera' },
    });
    expect(signaling.sentOf('call:produce').map((p) => p.source)).toEqual(['mic']);
  });

  it('joined with the camera off, a camera that opens anyway is stopped, not sent', async () => {
    const camera = track('video');
    await engine.join({
      cameraOff: true,
      devices: Promise.resolve({ microphone: track('audio'), camera, errors: {} }),
    });
    await settle();
    expect(camera.readyState).toBe('ended');
    expect(engine.getSnapshot()).toMatchObject({ cameraOff: true, local: { camera: null } });
    expect(signaling.sentOf('call:produce').map((p) => p.source)).toEqual(['mic']);
  });

  it('devices that open after the person left are stopped at once', async () => {
    let open: (media: OpenedDevices) => void = () => {};
    const devices = new Promise<OpenedDevices>((resolve) => {
      open = resolve;
    });
    void engine.join({ devices });
    await settle();
    engine.leave();
    const mic = track('audio');
    const camera = track('video');
    open({ microphone: mic, camera, errors: {} });
    await settle();
    expect([mic.readyState, camera.readyState]).toEqual(['ended', 'ended']);
    expect(signaling.sentOf('call:produce')).toEqual([]);
  });

  it('joins muted: the microphone is sent paused and the server is told', async () => {
    await engine.join({ microphone: track('audio'), micMuted: true });
    await settle();
    expect(signaling.sentOf('call:producer:set-paused')).toEqual([
      { callId: CALL_ID, producerId: 'mine-1', paused: true },
    ]);
    const send = device.transports.find((t) => t.direction === 'send')!;
    expect(send.producers[0]?.paused).toBe(true);
  });

  it('reconnects when the live connection drops and joins again on fresh transports when it is back', async () => {
    await engine.join({ microphone: track('audio') });
    await settle();
    const first = [...device.transports];
    expect(first).toHaveLength(2);

    signaling.setStatus('offline');
    expect(engine.getSnapshot()).toMatchObject({ phase: 'reconnecting', issue: { reason: 'network' } });
    expect(first.every((t) => t.closed)).toBe(true);

    signaling.setStatus('connected');
    await settle();
    expect(engine.getSnapshot().phase).toBe('in_call');
    expect(engine.getSnapshot().issue).toBeNull();
    expect(signaling.sentOf('call:join')).toHaveLength(2);
    const second = device.transports.slice(2);
    expect(second).toHaveLength(2);
    expect(second.every((t) => !t.closed)).toBe(true);
    // The same microphone track is sent again on the new transport.
    expect(signaling.sentOf('call:produce').map((p) => p.source)).toEqual(['mic', 'mic']);
  });

  it('a join answered after the attempt was dropped changes nothing (the attempt was closed)', async () => {
    signaling.hold('call:join');
    const joining = engine.join({ microphone: track('audio') });
    await settle();
    expect(engine.getSnapshot().phase).toBe('joining');

    // The server asks for a rejoin while the first join is still on its way.
    signaling.emit('call:media-lost', { callId: CALL_ID, rejoin: true, reason: 'worker_died' } as never);
    await settle();
    expect(signaling.heldOf('call:join')).toHaveLength(2);

    // The stale answer arrives first: no transports are made from it.
    signaling.answer('call:join', joinResult());
    await joining;
    await settle();
    expect(device.transports).toHaveLength(0);
    expect(engine.getSnapshot().phase).toBe('reconnecting');

    signaling.answer('call:join', joinResult());
    await settle();
    expect(engine.getSnapshot().phase).toBe('in_call');
    expect(device.transports).toHaveLength(2);
    expect(signaling.sentOf('call:produce')).toHaveLength(1);
  });

  it('a refused join fails with a reason the page explains, and retry() joins', async () => {
    signaling.handle('call:join', () => {
      throw refusal('forbidden');
    });
    await engine.join({});
    expect(engine.getSnapshot()).toMatchObject({ phase: 'failed', issue: { reason: 'not_allowed' } });

    signaling.handle('call:join', () => joinResult());
    await engine.retry();
    await settle();
    expect(engine.getSnapshot()).toMatchObject({ phase: 'in_call', issue: null });
  });

  it('a join refused because the call is full says so (media_limit), not a generic failure', async () => {
    signaling.handle('call:join', () => {
      throw refusal('media_limit');
    });
    await engine.join({});
    expect(engine.getSnapshot()).toMatchObject({ phase: 'failed', issue: { reason: 'media_limit' } });
  });

  it('a transport that fails is repaired with an ICE restart, and cleared when it connects again', async () => {
    signaling.handle('call:transport:restart-ice', () => ({ iceParameters: {} }) as never);
    await engine.join({ microphone: track('audio') });
    await settle();
    const send = device.transports.find((t) => t.direction === 'send')!;
    send.setState('failed');
    expect(engine.getSnapshot().issue).toMatchObject({ reason: 'media_failed' });
    await settle();
    expect(send.iceRestarts).toBe(1);
    send.setState('connected');
    expect(engine.getSnapshot().issue).toBeNull();
    expect(engine.getSnapshot().phase).toBe('in_call');
  });

  it('another tab taking over ends this one as replaced and releases the devices', async () => {
    const mic = track('audio');
    await engine.join({ microphone: mic });
    await settle();
    signaling.emit('call:media-lost', { callId: CALL_ID, rejoin: false, reason: 'replaced' } as never);
    expect(engine.getSnapshot().phase).toBe('replaced');
    expect((mic as unknown as FakeTrack).readyState).toBe('ended');
    expect(device.transports.every((t) => t.closed)).toBe(true);
  });

  it('ends when the server says the call ended, and a late "connecting" view cannot move it back', async () => {
    await engine.join({});
    await settle();
    signaling.emit('call:updated', view('connected'));
    signaling.emit('call:updated', view('connecting', { participants: [{ id: 'x' } as never] }));
    expect(engine.getSnapshot().call?.status).toBe('connected');
    expect(engine.getSnapshot().call?.participants).toHaveLength(1);

    signaling.emit('call:updated', view('ended', { endReason: 'hangup' as never }));
    expect(engine.getSnapshot()).toMatchObject({ phase: 'ended', issue: null, remote: [] });
  });

  it('hanging up ends the call for everyone and says so', async () => {
    signaling.handle('call:hangup', () => view('ended'));
    await engine.join({});
    await settle();
    await engine.hangup();
    expect(engine.getSnapshot()).toMatchObject({ phase: 'ended', endedByMe: true });
  });

  it('the device check prepares the call; joining lets the held tracks through on the same transports', async () => {
    signaling.handle('call:prepare', () => {
      const { transports, ...rest } = joinResult([remoteCamera()]);
      return { ...rest, transports: transports!, consumers: [remoteCamera()] };
    });
    signaling.handle('call:join', () => ({
      ...joinResult(),
      transports: undefined,
      consumers: undefined,
      prepared: true,
    }));
    const camera = track('video');
    engine.stageTracks({ mic: null, camera });
    engine.prepare();
    await settle(40);
    const send = device.transports.find((t) => t.direction === 'send')!;
    expect(send.producers).toHaveLength(1);
    expect(send.producers[0]?.paused).toBe(true); // held: nothing leaves before the join

    await engine.join({ camera });
    await settle();
    expect(engine.getSnapshot().phase).toBe('in_call');
    expect(signaling.sentOf('call:join')[0]).toMatchObject({ prepared: true });
    expect(device.transports).toHaveLength(2); // no new transports
    expect(send.producers[0]?.paused).toBe(false);
    expect(signaling.sentOf('call:produce')).toHaveLength(1);
  });

  it('unplugging the camera mid-call is reported as a lost device', async () => {
    const camera = track('video');
    await engine.join({ camera });
    await settle();
    (camera as unknown as FakeTrack).unplug();
    expect(engine.getSnapshot()).toMatchObject({
      cameraOff: true,
      issue: { reason: 'device_lost', device: 'camera' },
      local: { camera: null },
    });
  });

  it('destroy() leaves the room and stops listening to the socket', async () => {
    await engine.join({});
    await settle();
    engine.destroy();
    expect(engine.getSnapshot().phase).toBe('left');
    expect(signaling.sentOf('call:leave')).toEqual([{ callId: CALL_ID }]);
    expect(signaling.listenerCount()).toBe(0);
  });
});
