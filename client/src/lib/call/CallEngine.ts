// The browser side of one video call: the call's send and receive transports (made from the page's
// mediasoup-client Device, mediaDevice.ts), the local tracks (microphone, camera, screen) and the
// remote ones, connection statistics, and the socket signaling that drives them
// (signaling/shared/protocol.ts, `call:*`). Framework-free: React reads it through
// `subscribe`/`getSnapshot` (client/src/call/hooks.ts). See docs/calls-client.md.

import type {
  Consumer,
  Device,
  DtlsParameters,
  IceParameters,
  Producer,
  RtpParameters,
  Transport,
} from 'mediasoup-client/types';
import type {
  AckResult,
  CallConsumerParams,
  CallJoinResult,
  CallPrepareResult,
  CallProducerInfo,
  CallStatsReport,
  CallView,
  ClientToServerEvents,
  ErrorCode,
  Json,
  MediaSourceName,
  ServerToClientEvents,
} from '../../../../signaling/shared/protocol';
import {
  isMediaAccessError,
  type MediaAccessError,
  type MediaErrorReason,
  openScreen,
  openTrack,
  stopTrack,
} from './devices';
import {
  cachedRouterCaps,
  cacheRouterCaps,
  getRouterCaps,
  loadDevice,
  loadedDevice,
  preloadCallDevice,
} from './mediaDevice';
import { type CallQuality, qualityOf, type StatsSample, summarizeStats } from './stats';

// ----- what the engine needs from the socket (RealtimeConnection satisfies it) ------------------

type EmitPayload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
type AckData<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1] extends (
  result: AckResult<infer T>,
) => void
  ? T
  : never;

export interface CallSignaling {
  request<E extends keyof ClientToServerEvents>(
    event: E,
    payload: EmitPayload<E>,
    timeoutMs?: number,
  ): Promise<AckData<E>>;
  on<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): () => void;
  getStatus(): 'idle' | 'connecting' | 'connected' | 'offline';
  subscribe(listener: () => void): () => void;
}

// ----- the snapshot React renders ---------------------------------------------------------------

/**
 * `idle`: not joined yet (device check). `joining`: signaling and transports are being set up.
 * `in_call`: joined (media may still be connecting; see `call.status`). `reconnecting`: the live
 * connection or the media room was lost and the engine is joining again. `ended`: the call is
 * over for everyone. `left`: this tab left (the call may go on). `replaced`: the call continued in
 * another tab or device. `failed`: joining failed; `issue` says why and `retry()` tries again.
 */
export type CallPhase =
  | 'idle'
  | 'joining'
  | 'in_call'
  | 'reconnecting'
  | 'ended'
  | 'left'
  | 'replaced'
  | 'failed';

/** Why something went wrong, as a reason the UI can explain and the user can act on (DESIGN §3.11). */
export type CallIssueReason =
  | 'permission_denied' // camera/microphone access refused
  | 'device_busy' // another app holds the device
  | 'no_device' // nothing plugged in, or the chosen device went away
  | 'insecure' // the page is not https
  | 'device_lost' // a device stopped during the call (unplugged)
  | 'screen_failed' // screen sharing could not start
  | 'network' // the live connection to the server is down
  | 'media_failed' // audio/video could not connect (ICE/DTLS)
  | 'not_allowed' // this user may not join this call
  | 'unavailable' // the call cannot be joined now: ended, not answered yet, or the server is busy
  | 'unknown';

export interface CallIssue {
  reason: CallIssueReason;
  /** Which device, for device reasons. */
  device?: 'camera' | 'microphone' | 'screen';
  /** Technical detail for logs and bug reports; never shown as the main message. */
  detail?: string;
}

export interface RemoteTrack {
  producerId: string;
  consumerId: string;
  kind: 'audio' | 'video';
  source: MediaSourceName;
  track: MediaStreamTrack;
  /** The sender paused it (muted, camera off). */
  paused: boolean;
}

export interface RemotePeer {
  peerId: string;
  mic?: RemoteTrack;
  camera?: RemoteTrack;
  screen?: RemoteTrack;
}

export interface LocalTracks {
  mic: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  screen: MediaStreamTrack | null;
}

export interface CallSnapshot {
  callId: string;
  phase: CallPhase;
  /** The server's view of the call (status, participants, times, end reason); null until known. */
  call: CallView | null;
  local: LocalTracks;
  micMuted: boolean;
  cameraOff: boolean;
  sharing: boolean;
  /** The devices in use (or to use when turned on). */
  microphoneId: string | undefined;
  cameraId: string | undefined;
  remote: RemotePeer[];
  /** Others still on their device check, whose tracks are ready but not let through yet. */
  preparing: string[];
  quality: CallQuality;
  /** The latest problem to show; cleared when it no longer applies. */
  issue: CallIssue | null;
  /** This user ended the call (so the ended screen says "You hung up"). */
  endedByMe: boolean;
  /** How long a dropped side may take to come back (ms), from the join result. */
  rejoinGraceMs: number | null;
}

export interface JoinOptions {
  /** Tracks opened by the device check; the engine takes them over (and stops them at the end). */
  microphone?: MediaStreamTrack | null;
  camera?: MediaStreamTrack | null;
  microphoneId?: string | undefined;
  cameraId?: string | undefined;
  /** Join with the camera off (no camera is opened or sent until turned on). */
  cameraOff?: boolean;
  micMuted?: boolean;
}

export interface CallEngineDeps {
  signaling: CallSignaling;
  /** Where the router's RTP capabilities are cached between calls (see mediaDevice.ts). */
  storage?: Storage | undefined;
  openTrack?: typeof openTrack;
  openScreen?: typeof openScreen;
  logger?: Pick<Console, 'warn' | 'error'>;
}

/** A statistics reading and report every 2 s (see `startStats`). */
const STATS_INTERVAL_MS = 2_000;
/** A transport that stays failed this long after an ICE restart is rebuilt by joining again. */
const ICE_RESTART_GIVE_UP_MS = 10_000;

const NO_QUALITY: CallQuality = { level: 'unknown' };
const STATUS_RANK: Record<CallView['status'], number> = { ringing: 0, connecting: 1, connected: 2, ended: 3 };

interface ConsumerEntry {
  consumer: Consumer;
  peerId: string;
  source: MediaSourceName;
  producerId: string;
  paused: boolean;
  /** Its sender is still on the device check: kept out of the view until they join. */
  waiting: boolean;
}

type StagedTracks = { mic: MediaStreamTrack | null; camera: MediaStreamTrack | null };

class StaleError extends Error {
  constructor() {
    super('superseded by a newer join or a teardown');
    this.name = 'StaleError';
  }
}

/** A signaling failure with the server's code (or `network`). */
function codeOf(err: unknown): ErrorCode | 'network' | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (code as ErrorCode | 'network') : undefined;
}

function mediaIssue(err: MediaAccessError): CallIssue {
  const map: Record<MediaErrorReason, CallIssueReason> = {
    denied: 'permission_denied',
    busy: 'device_busy',
    no_device: 'no_device',
    insecure: 'insecure',
    cancelled: 'screen_failed',
    unknown: err.kind === 'screen' ? 'screen_failed' : 'device_busy',
  };
  return { reason: map[err.reason], device: err.kind, detail: err.message };
}

function signalingIssue(err: unknown): CallIssue {
  const code = codeOf(err);
  const detail = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'network':
      return { reason: 'network', detail };
    case 'forbidden':
    case 'not_found':
    case 'unauthenticated':
      return { reason: 'not_allowed', detail };
    case 'conflict':
    case 'unavailable':
    case 'rate_limited':
      return { reason: 'unavailable', detail };
    default:
      return { reason: 'unknown', detail };
  }
}

/**
 * One call, from joining to the end. Create one per call page; `join()` enters the media room,
 * `destroy()` leaves it and releases the devices.
 */
export class CallEngine {
  private snapshot: CallSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly signaling: CallSignaling;
  private readonly openTrackFn: typeof openTrack;
  private readonly openScreenFn: typeof openScreen;
  private readonly storage: Storage | undefined;
  private readonly log: Pick<Console, 'warn' | 'error'>;
  private readonly unsubscribers: Array<() => void> = [];

  /** Bumped by every (re)join and teardown; async work started under an older value stops. */
  private generation = 0;
  private device: Device | null = null;
  private sendTransport: Transport | null = null;
  private recvTransport: Transport | null = null;
  private readonly producers = new Map<MediaSourceName, Producer>();
  private readonly consumers = new Map<string, ConsumerEntry>();
  /** Producers being consumed now (dedupes the join list and `call:producer:new`). */
  private readonly consuming = new Set<string>();
  /** Announced before the receive transport existed; consumed once it does. */
  private readonly pendingProducers = new Map<string, CallProducerInfo>();
  /** Closed while their consume was in flight. */
  private readonly closedProducers = new Set<string>();
  private readonly iceRestarts = new Map<string, ReturnType<typeof setTimeout> | null>();
  private statsTimer: ReturnType<typeof setTimeout> | undefined;
  private lastSample: StatsSample | null = null;
  /**
   * The head start taken on the device check (`prepare`): resolves true once the transports are
   * made and the check's tracks are being sent (held by the server). `staged` is true from then
   * until the join or a teardown.
   */
  private staging: Promise<boolean> | null = null;
  private staged = false;
  /** The device check's current tracks (`stageTracks`), sent held while staged. */
  private stagedTracks: StagedTracks = { mic: null, camera: null };
  private stageQueue: Promise<void> = Promise.resolve();
  private destroyed = false;
  private lastStatus: ReturnType<CallSignaling['getStatus']>;

  constructor(
    readonly callId: string,
    deps: CallEngineDeps,
  ) {
    this.signaling = deps.signaling;
    this.openTrackFn = deps.openTrack ?? openTrack;
    this.openScreenFn = deps.openScreen ?? openScreen;
    this.storage = deps.storage;
    this.log = deps.logger ?? console;
    this.lastStatus = this.signaling.getStatus();
    this.snapshot = {
      callId,
      phase: 'idle',
      call: null,
      local: { mic: null, camera: null, screen: null },
      micMuted: false,
      cameraOff: false,
      sharing: false,
      microphoneId: undefined,
      cameraId: undefined,
      remote: [],
      preparing: [],
      quality: NO_QUALITY,
      issue: null,
      endedByMe: false,
      rejoinGraceMs: null,
    };
    this.listen();
  }

  // ----- store --------------------------------------------------------------------------------

  getSnapshot = (): CallSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  private update(patch: Partial<CallSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of [...this.listeners]) listener();
  }

  private get phase(): CallPhase {
    return this.snapshot.phase;
  }

  private get over(): boolean {
    return this.destroyed || this.phase === 'ended' || this.phase === 'left' || this.phase === 'replaced';
  }

  /** Seeds the view of the call before joining (e.g. from the answer), so the page can show it. */
  setCall(call: CallView): void {
    if (call.id !== this.callId || this.over) return;
    this.applyCall(call);
  }

  // ----- socket events ------------------------------------------------------------------------

  private listen(): void {
    const s = this.signaling;
    this.unsubscribers.push(
      s.on('call:updated', (call) => {
        if (call.id === this.callId && !this.destroyed) this.applyCall(call);
      }),
      s.on('call:producer:new', ({ consumer, consumerTransportId, ...info }) => {
        if (!this.joined() && !this.staged) return;
        // Made for our current receive transport: just receive it. Otherwise (a rejoin under way,
        // or none made) ask for one.
        if (consumer && consumerTransportId && consumerTransportId === this.recvTransport?.id) {
          this.receive(consumer);
        } else {
          this.consume(info);
        }
      }),
      s.on('call:producer:closed', ({ callId, producerId }) => {
        if (callId !== this.callId) return;
        this.pendingProducers.delete(producerId);
        if (this.consuming.has(producerId)) this.closedProducers.add(producerId);
        for (const [id, entry] of this.consumers) if (entry.producerId === producerId) this.dropConsumer(id);
      }),
      s.on('call:producer:paused', (info) => {
        if (info.callId !== this.callId) return;
        const waiting = info.waiting ?? false;
        let changed = false;
        for (const entry of this.consumers.values()) {
          if (
            entry.producerId === info.producerId &&
            (entry.paused !== info.paused || entry.waiting !== waiting)
          ) {
            entry.paused = info.paused;
            entry.waiting = waiting;
            changed = true;
          }
        }
        const pending = this.pendingProducers.get(info.producerId);
        if (pending) Object.assign(pending, { paused: info.paused, waiting });
        if (changed) this.publishRemote();
      }),
      s.on('call:consumer:closed', ({ callId, consumerId }) => {
        if (callId === this.callId) this.dropConsumer(consumerId);
      }),
      s.on('call:media-lost', ({ callId, rejoin, reason }) => {
        if (callId !== this.callId || this.over) return;
        if (this.phase === 'idle') {
          // What the device check prepared is gone with the room (or another tab took over):
          // joining starts afresh.
          if (this.staged || this.staging) this.teardown(false);
          return;
        }
        if (rejoin) {
          this.reconnect();
        } else if (reason === 'replaced') {
          // Same person, newer connection (another tab or device): this one steps aside for good.
          this.teardown(true);
          this.update({ phase: 'replaced', issue: null });
        }
      }),
      s.subscribe(() => this.onConnectionStatus()),
    );
  }

  private onConnectionStatus(): void {
    const status = this.signaling.getStatus();
    if (status === this.lastStatus) return;
    this.lastStatus = status;
    if (this.over) return;
    if (this.phase === 'idle') {
      // The server dropped what was prepared with the connection; joining starts afresh.
      if (status !== 'connected' && (this.staged || this.staging)) this.teardown(false);
      return;
    }
    if (status === 'connected') {
      // The server dropped our peer when the socket went away: join again.
      if (this.phase === 'reconnecting') void this.connect();
    } else if (this.phase === 'in_call' || this.phase === 'joining') {
      this.reconnect({ reason: 'network' });
    }
  }

  private applyCall(call: CallView): void {
    if (call.status === 'ended') {
      this.finish(call);
      return;
    }
    // A view built from a row read before a concurrent change (e.g. a join's update racing the
    // "connected" one) must not move the call backwards; its participants are still the freshest.
    const current = this.snapshot.call;
    if (current && STATUS_RANK[call.status] < STATUS_RANK[current.status]) {
      this.update({ call: { ...current, participants: call.participants } });
      return;
    }
    this.update({ call });
  }

  private joined(): boolean {
    return this.phase === 'in_call' || this.phase === 'joining' || this.phase === 'reconnecting';
  }

  // ----- joining ------------------------------------------------------------------------------

  /** Enters the call with the tracks from the device check (or none). */
  async join(options: JoinOptions = {}): Promise<void> {
    if (this.over) return;
    if (this.phase === 'joining' || this.phase === 'in_call') return;
    const cameraOff = options.cameraOff ?? false;
    const camera = cameraOff ? null : (options.camera ?? null);
    if (cameraOff) stopTrack(options.camera);
    this.watchLocalTrack(options.microphone ?? null, 'mic');
    this.watchLocalTrack(camera, 'camera');
    this.update({
      local: { mic: options.microphone ?? null, camera, screen: null },
      micMuted: options.micMuted ?? false,
      cameraOff,
      microphoneId: options.microphoneId,
      cameraId: options.cameraId,
      issue: null,
    });
    this.installTestHook();
    // What the device check prepared sends these tracks (held until the join lets them through).
    this.stagedTracks = { mic: options.microphone ?? null, camera };
    if (this.staged) void this.syncStaged(this.generation);
    await this.connect();
  }

  /** After a failure: tries to join again with the same tracks. */
  async retry(): Promise<void> {
    if (this.phase !== 'failed' && this.phase !== 'reconnecting') return;
    await this.connect();
  }

  private async connect(): Promise<void> {
    // The head start from the device check, if its transports are there (after a few seconds on the
    // check they are). One still waiting for the server is dropped: joining now is quicker than
    // waiting for it, and the server replaces the prepared peer.
    const staged = this.phase === 'idle' && this.staged && this.staging ? await this.staging : false;
    if (this.over) return;
    if (!staged) this.teardown(false);
    const generation = this.generation;
    const wasReconnecting = this.phase === 'reconnecting';
    // The join leaves before the screen switches to the call view: that render is heavy, and with
    // a loaded device the request goes out at once instead of waiting behind it.
    const joining = staged ? this.joinPrepared(generation) : this.signalJoin(generation);
    this.update({ phase: wasReconnecting ? 'reconnecting' : 'joining' });
    try {
      const result = await joining;
      this.update({ rejoinGraceMs: result.rejoinGraceMs });
      this.applyCall(result.call);
      if (this.over) return;
      const admitted = staged && result.prepared === true;
      this.staged = false;
      this.staging = null;
      if (!admitted) {
        // Nothing prepared (or it was gone, and the server joined us afresh): new transports.
        if (staged) {
          this.closeMedia();
          this.publishRemote();
        }
        const iceServers = result.iceServers as RTCIceServer[];
        const [sendParams, recvParams] = result.transports
          ? [result.transports.send, result.transports.recv]
          : await Promise.all([
              this.signaling.request('call:transport:create', { callId: this.callId, direction: 'send' }),
              this.signaling.request('call:transport:create', { callId: this.callId, direction: 'recv' }),
            ]);
        this.check(generation);
        this.makeTransports(sendParams, recvParams, iceServers, generation);
      }
      this.update({ phase: 'in_call', issue: null });

      // What the others already send (the server may have made those consumers already), and
      // anything announced while we were setting up.
      const prepared = new Set((result.consumers ?? []).map((c) => c.producerId));
      for (const params of result.consumers ?? []) this.receive(params);
      for (const info of result.producers) {
        if (!prepared.has(info.producerId)) this.pendingProducers.set(info.producerId, info);
      }
      this.drainPending();

      await this.produceLocal(generation);
      this.startStats(generation);
    } catch (err) {
      if (err instanceof StaleError || generation !== this.generation || this.over) return;
      this.log.warn('call join failed', err);
      const issue = signalingIssue(err);
      // Lost the connection half-way: wait for it and join again (onConnectionStatus).
      if (issue.reason === 'network' && this.signaling.getStatus() !== 'connected') {
        this.teardown(false);
        this.update({ phase: 'reconnecting', issue });
        return;
      }
      this.teardown(false);
      this.update({ phase: 'failed', issue });
    }
  }

  /**
   * `call:join` wants this browser's RTP capabilities, which the Device computes from the router's
   * capabilities. Those are the same for every call of a server build: cached (localStorage), or
   * asked for with `call:capabilities` the first time. The join also creates both transports. If
   * the server's capabilities changed since they were cached, the device is loaded again and the
   * join repeated.
   */
  private async signalJoin(generation: number): Promise<CallJoinResult> {
    // With cached capabilities and the page's Device loaded (preloaded while idle, or `prepare`),
    // nothing is awaited before the request is sent.
    const cached = cachedRouterCaps(this.storage);
    const ready = cached ? loadedDevice(cached) : null;
    const caps = cached ?? (await this.routerCaps());
    this.check(generation);
    const result = ready ? await this.requestJoin(generation, ready) : await this.joinWith(generation, caps);
    if (result.call.status === 'ended' || sameJson(result.routerRtpCapabilities, caps)) return result;
    this.log.warn('the router capabilities changed; joining again with the new ones');
    cacheRouterCaps(this.storage, result.routerRtpCapabilities);
    return this.joinWith(generation, result.routerRtpCapabilities);
  }

  private makeTransports(
    sendParams: CallPrepareResult['transports']['send'],
    recvParams: CallPrepareResult['transports']['recv'],
    iceServers: RTCIceServer[],
    generation: number,
  ): void {
    const device = this.device!;
    const transportOptions = (p: typeof sendParams) => ({
      id: p.id,
      iceParameters: p.iceParameters as unknown as IceParameters,
      iceCandidates: p.iceCandidates as never,
      dtlsParameters: p.dtlsParameters as unknown as DtlsParameters,
      iceServers,
    });
    this.sendTransport = device.createSendTransport(transportOptions(sendParams));
    this.recvTransport = device.createRecvTransport(transportOptions(recvParams));
    this.wireTransport(this.sendTransport, generation);
    this.wireTransport(this.recvTransport, generation);
  }

  /**
   * Gets the call ready while the person is still on the device check, so that "Join call" only
   * has to let the media through: the page's Device (normally preloaded while idle,
   * `preloadCallDevice`), then `call:prepare` — both transports connected, the others' tracks
   * received (paused), and the check's own tracks sent held (`stageTracks`). Nothing reaches
   * anyone before the join: the server forwards nothing, and the tracks are paused here too.
   * Best effort: if any of it fails, joining does it all itself.
   */
  prepare(options: { media?: boolean } = {}): void {
    if (this.over || this.destroyed) return;
    preloadCallDevice(this.storage, () => this.signaling.request('call:capabilities', {}));
    if (options.media === false) return;
    if (this.staging || this.phase !== 'idle' || this.signaling.getStatus() !== 'connected') return;
    const generation = this.generation;
    this.staging = this.stage(generation).catch((err) => {
      if (err instanceof StaleError || generation !== this.generation) return false;
      // `conflict`: this person is in the call on another connection; joining replaces it.
      if (codeOf(err) !== 'conflict') this.log.warn('could not prepare the call; joining will', err);
      this.teardown(false);
      return false;
    });
  }

  /** The device check's tracks changed: the held ones follow (see `prepare`). */
  stageTracks = (tracks: StagedTracks): void => {
    this.stagedTracks = tracks;
    if (this.staged) this.syncStaged(this.generation);
  };

  private async stage(generation: number): Promise<boolean> {
    const caps = cachedRouterCaps(this.storage) ?? (await this.routerCaps());
    const device = loadedDevice(caps) ?? (await loadDevice(caps));
    this.check(generation);
    const result = await this.signaling.request('call:prepare', {
      callId: this.callId,
      rtpCapabilities: device.recvRtpCapabilities as unknown as Json,
    });
    this.check(generation);
    if (!sameJson(result.routerRtpCapabilities, caps)) {
      // A new server build: the join loads the device again and starts afresh.
      cacheRouterCaps(this.storage, result.routerRtpCapabilities);
      return false;
    }
    this.device = device;
    this.makeTransports(
      result.transports.send,
      result.transports.recv,
      result.iceServers as RTCIceServer[],
      generation,
    );
    this.staged = true;
    this.installTestHook();
    for (const params of result.consumers) this.receive(params);
    await this.syncStaged(generation);
    return generation === this.generation && this.staged;
  }

  /** Sends each of the device check's tracks held (one producer per source), in order. */
  private syncStaged(generation: number): Promise<void> {
    const run = async () => {
      for (const source of ['camera', 'mic'] as const) {
        if (!this.staged || generation !== this.generation) return;
        const track = this.stagedTracks[source];
        if (track?.readyState !== 'live') continue; // settled at the join (joinPrepared)
        const producer = this.producers.get(source);
        if (!producer) await this.produce(source, track, generation, { held: true });
        else if (producer.track !== track) await producer.replaceTrack({ track });
      }
    };
    this.stageQueue = this.stageQueue.then(run).catch((err) => {
      if (!(err instanceof StaleError))
        this.log.warn('could not prepare a track; it is sent on joining', err);
    });
    return this.stageQueue;
  }

  /**
   * Joins with what the device check prepared. First the held tracks are made to match what the
   * person joins with (camera off, muted, another device); those requests leave before the join
   * on the same socket, and the server applies them on arrival, so they are in effect when it
   * admits the peer.
   */
  private async joinPrepared(generation: number): Promise<CallJoinResult> {
    await this.stageQueue;
    this.check(generation);
    const { local, cameraOff, micMuted } = this.snapshot;
    for (const source of ['camera', 'mic'] as const) {
      const producer = this.producers.get(source);
      if (!producer || producer.closed) continue;
      const track = source === 'camera' ? (cameraOff ? null : local.camera) : local.mic;
      if (track?.readyState === 'live') {
        if (producer.track !== track) await producer.replaceTrack({ track });
        continue;
      }
      producer.close();
      this.producers.delete(source);
      this.signaling
        .request('call:producer:close', { callId: this.callId, producerId: producer.id })
        .catch(() => {});
    }
    const mic = this.producers.get('mic');
    if (mic && micMuted) {
      this.signaling
        .request('call:producer:set-paused', { callId: this.callId, producerId: mic.id, paused: true })
        .catch(() => {});
    }
    this.check(generation);
    const joining = this.requestJoin(generation, this.device!, true);
    // The server lets the held tracks through the moment the join arrives, ahead of the keyframe
    // the encoder sends when it starts again: sent now, they reach the others a round trip sooner
    // than after the answer (which waits for the server's bookkeeping).
    this.releaseHeldProducers();
    return joining;
  }

  /** After the join let them through: the held tracks start sending (a muted mic stays paused). */
  private releaseHeldProducers(): void {
    for (const [source, producer] of this.producers) {
      if (producer.closed || !producer.paused) continue;
      if (source === 'mic' && this.snapshot.micMuted) continue;
      producer.resume();
    }
  }

  /** The router's capabilities: cached, or asked for (and cached). */
  private routerCaps(): Promise<Json> {
    return getRouterCaps(this.storage, () => this.signaling.request('call:capabilities', {}));
  }

  private async joinWith(generation: number, routerCaps: Json): Promise<CallJoinResult> {
    const device = await loadDevice(routerCaps);
    this.check(generation);
    return this.requestJoin(generation, device);
  }

  private async requestJoin(generation: number, device: Device, prepared = false): Promise<CallJoinResult> {
    this.device = device;
    const result = await this.signaling.request('call:join', {
      callId: this.callId,
      rtpCapabilities: device.recvRtpCapabilities as unknown as Json,
      transports: true,
      ...(prepared ? { prepared: true } : {}),
    });
    this.check(generation);
    return result;
  }

  private check(generation: number): void {
    if (generation !== this.generation || this.destroyed) throw new StaleError();
  }

  private wireTransport(transport: Transport, generation: number): void {
    transport.on('connect', ({ dtlsParameters }, callback) => {
      // Not waiting for the ack: the request leaves on the same socket before the produce or the
      // consumer resume that follows it, and the server handles a transport's requests in order,
      // so the browser may start ICE and DTLS at once instead of a round trip later. Should the
      // server refuse (the transport went away meanwhile), the media never connects and the
      // engine joins again.
      callback();
      this.signaling
        .request('call:transport:connect', {
          callId: this.callId,
          transportId: transport.id,
          dtlsParameters: dtlsParameters as unknown as Json,
        })
        .catch((err) => {
          if (generation !== this.generation || transport.closed || this.over) return;
          this.log.warn('the server refused the transport connect; joining again', err);
          this.reconnect({ reason: 'media_failed', detail: String(err) });
        });
    });
    if (transport.direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        this.signaling
          .request('call:produce', {
            callId: this.callId,
            transportId: transport.id,
            kind,
            rtpParameters: rtpParameters as unknown as Json,
            source: appData.source as MediaSourceName,
          })
          .then(({ producerId }) => callback({ id: producerId }), errback);
      });
    }
    transport.on('connectionstatechange', (state) => {
      if (generation !== this.generation) return;
      if (state === 'connected') {
        const timer = this.iceRestarts.get(transport.id);
        if (timer) clearTimeout(timer);
        this.iceRestarts.delete(transport.id);
        if (this.snapshot.issue?.reason === 'media_failed') this.update({ issue: null });
      } else if (state === 'disconnected' || state === 'failed') {
        void this.restartIce(transport, generation, state);
      }
    });
  }

  /** New ICE credentials for the same transport; if it stays failed, join again from scratch. */
  private async restartIce(transport: Transport, generation: number, state: string): Promise<void> {
    if (this.iceRestarts.has(transport.id)) return;
    if (state === 'failed') this.update({ issue: { reason: 'media_failed', detail: `transport ${state}` } });
    if (this.signaling.getStatus() !== 'connected') return; // the reconnect path rebuilds everything
    this.iceRestarts.set(transport.id, null);
    try {
      const { iceParameters } = await this.signaling.request('call:transport:restart-ice', {
        callId: this.callId,
        transportId: transport.id,
      });
      if (generation !== this.generation || transport.closed) return;
      await transport.restartIce({ iceParameters: iceParameters as unknown as IceParameters });
      const giveUp = setTimeout(() => {
        if (generation !== this.generation || transport.closed) return;
        this.iceRestarts.delete(transport.id);
        if (transport.connectionState !== 'connected') this.reconnect({ reason: 'media_failed' });
      }, ICE_RESTART_GIVE_UP_MS);
      this.iceRestarts.set(transport.id, giveUp);
    } catch (err) {
      this.iceRestarts.delete(transport.id);
      if (generation !== this.generation || this.over) return;
      this.log.warn('ICE restart failed; joining again', err);
      this.reconnect({ reason: 'media_failed' });
    }
  }

  /** Tears the media down and joins again, keeping the local devices open. */
  private reconnect(issue?: CallIssue): void {
    if (this.over || this.phase === 'idle') return;
    this.teardown(false);
    this.update({ phase: 'reconnecting', ...(issue ? { issue } : {}) });
    if (this.signaling.getStatus() === 'connected') void this.connect();
  }

  // ----- sending ------------------------------------------------------------------------------

  /** Sends the local tracks; one that fails is reported and the call goes on without it. */
  private async produceLocal(generation: number): Promise<void> {
    const { local, micMuted, cameraOff } = this.snapshot;
    const attempt = async (source: MediaSourceName, track: MediaStreamTrack | null) => {
      // Already sent (prepared on the device check) or nothing to send.
      if (track?.readyState !== 'live' || this.producers.has(source)) return;
      try {
        const producer = await this.produce(source, track, generation);
        if (source === 'mic' && micMuted) await this.pauseProducer(producer, true);
      } catch (err) {
        if (err instanceof StaleError || generation !== this.generation) throw new StaleError();
        this.log.warn(`could not send ${source}`, err);
        this.update({
          issue: source === 'screen' ? { reason: 'screen_failed', device: 'screen' } : signalingIssue(err),
        });
      }
    };
    // The camera goes first: a picture is what both people wait for, and each produce is its own
    // offer/answer and round trip (mediasoup-client runs them one after the other).
    if (!cameraOff) await attempt('camera', local.camera);
    await attempt('mic', local.mic);
    await attempt('screen', local.screen);
  }

  private async produce(
    source: MediaSourceName,
    track: MediaStreamTrack,
    generation: number,
    options: { held?: boolean } = {},
  ): Promise<Producer> {
    const transport = this.sendTransport;
    if (!transport || transport.closed) throw new StaleError();
    const producer = await transport.produce({
      track,
      // The engine owns its tracks: a rejoin closes the transport but keeps the devices open
      // (and before the join they are the device check's).
      stopTracks: false,
      appData: { source },
      ...(track.kind === 'video' ? { codecOptions: { videoGoogleStartBitrate: 1000 } } : {}),
      // Held (device check): paused here too, so the browser stops sending once the producer
      // exists (what left while it was being made, the server dropped), while the track keeps
      // playing in the check's preview and level meter.
      ...(options.held ? { zeroRtpOnPause: true, disableTrackOnPause: false } : {}),
    });
    if (options.held) producer.pause();
    if (generation !== this.generation) {
      producer.close();
      throw new StaleError();
    }
    this.producers.set(source, producer);
    return producer;
  }

  private async pauseProducer(producer: Producer, paused: boolean): Promise<void> {
    if (paused) producer.pause();
    else producer.resume();
    try {
      await this.signaling.request('call:producer:set-paused', {
        callId: this.callId,
        producerId: producer.id,
        paused,
      });
    } catch (err) {
      // The local pause already keeps the media from going out; the other side just keeps its picture.
      this.log.warn('could not tell the server about a pause', err);
    }
  }

  /** Mute: nothing from the microphone reaches anyone. Unmuting without a working mic opens one. */
  async setMicMuted(muted: boolean): Promise<void> {
    if (this.over) return;
    this.update({ micMuted: muted });
    const mic = this.snapshot.local.mic;
    if (!muted && mic?.readyState !== 'live') {
      // Joined without a microphone, or it stopped (unplugged): open one now.
      try {
        const track = await this.openTrackFn('microphone', this.snapshot.microphoneId);
        await this.applyTrack('mic', track);
      } catch (err) {
        this.update({ micMuted: true });
        this.reportLocalFailure(err);
        return;
      }
    }
    const producer = this.producers.get('mic');
    if (producer && !producer.closed) await this.pauseProducer(producer, muted);
  }

  /** Camera off stops the camera (its light goes out); on opens it again. */
  async setCameraOff(off: boolean): Promise<void> {
    if (this.over) return;
    const producer = this.producers.get('camera');
    if (off) {
      const track = this.snapshot.local.camera;
      this.update({ cameraOff: true, local: { ...this.snapshot.local, camera: null } });
      if (producer) {
        await this.pauseProducer(producer, true);
        await producer.replaceTrack({ track: null }).catch(() => {});
      }
      stopTrack(track);
      return;
    }
    let track: MediaStreamTrack;
    try {
      track = await this.openTrackFn('camera', this.snapshot.cameraId);
    } catch (err) {
      this.reportLocalFailure(err);
      return;
    }
    if (this.over) {
      stopTrack(track);
      return;
    }
    this.watchLocalTrack(track, 'camera');
    this.update({ cameraOff: false, local: { ...this.snapshot.local, camera: track }, issue: null });
    const current = this.producers.get('camera');
    if (current && !current.closed) {
      await current.replaceTrack({ track });
      await this.pauseProducer(current, false);
    } else if (this.phase === 'in_call') {
      await this.produce('camera', track, this.generation).catch((err) => this.reportLocalFailure(err));
    }
  }

  /** Switches to another camera during the call, without renegotiating. */
  async switchCamera(deviceId: string): Promise<void> {
    this.update({ cameraId: deviceId });
    if (this.snapshot.cameraOff || this.over) return;
    await this.switchTrack('camera', deviceId);
  }

  async switchMicrophone(deviceId: string): Promise<void> {
    this.update({ microphoneId: deviceId });
    if (this.over) return;
    await this.switchTrack('microphone', deviceId);
  }

  private async switchTrack(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    const slot = kind === 'camera' ? 'camera' : 'mic';
    const old = this.snapshot.local[slot];
    let track: MediaStreamTrack;
    try {
      track = await this.openTrackFn(kind, deviceId);
    } catch (err) {
      // Some devices (phones) cannot open a second camera while the first is open.
      if (isMediaAccessError(err) && err.reason === 'busy' && old) {
        stopTrack(old);
        try {
          track = await this.openTrackFn(kind, deviceId);
        } catch (again) {
          this.reportLocalFailure(again);
          const restored = await this.openTrackFn(kind, deviceIdOf(old)).catch(() => null);
          if (restored) await this.applyTrack(slot, restored);
          return;
        }
      } else {
        this.reportLocalFailure(err);
        return;
      }
    }
    await this.applyTrack(slot, track);
    if (old !== track) stopTrack(old);
  }

  private async applyTrack(slot: 'mic' | 'camera', track: MediaStreamTrack): Promise<void> {
    if (this.over) {
      stopTrack(track);
      return;
    }
    this.watchLocalTrack(track, slot);
    this.update({ local: { ...this.snapshot.local, [slot]: track }, issue: null });
    const producer = this.producers.get(slot);
    if (producer && !producer.closed) {
      await producer.replaceTrack({ track });
    } else if (this.phase === 'in_call') {
      const created = await this.produce(slot, track, this.generation).catch((err) => {
        this.reportLocalFailure(err);
        return null;
      });
      if (created && slot === 'mic' && this.snapshot.micMuted) await this.pauseProducer(created, true);
    }
  }

  /** A device that stops by itself (unplugged, taken by the OS) is reported, not silently lost. */
  private watchLocalTrack(track: MediaStreamTrack | null, slot: 'mic' | 'camera'): void {
    track?.addEventListener(
      'ended',
      () => {
        if (this.snapshot.local[slot] !== track || this.over) return;
        this.update({
          local: { ...this.snapshot.local, [slot]: null },
          issue: { reason: 'device_lost', device: slot === 'mic' ? 'microphone' : 'camera' },
          ...(slot === 'camera' ? { cameraOff: true } : { micMuted: true }),
        });
      },
      { once: true },
    );
  }

  private reportLocalFailure(err: unknown): void {
    if (err instanceof StaleError) return;
    this.log.warn('local media failed', err);
    this.update({
      issue: isMediaAccessError(err) ? mediaIssue(err) : { reason: 'unknown', detail: String(err) },
    });
  }

  /** Shares a screen, window or tab as its own track; the browser's own "Stop sharing" ends it too. */
  async startScreenShare(): Promise<void> {
    if (this.over || this.snapshot.sharing) return;
    this.update({ sharing: true });
    let track: MediaStreamTrack;
    try {
      track = await this.openScreenFn();
    } catch (err) {
      this.update({ sharing: false });
      if (isMediaAccessError(err) && err.reason === 'cancelled') return; // the user changed their mind
      this.reportLocalFailure(err);
      return;
    }
    if (this.over || !this.snapshot.sharing) {
      stopTrack(track);
      return;
    }
    track.addEventListener('ended', () => {
      if (this.snapshot.local.screen === track) void this.stopScreenShare();
    });
    this.update({ local: { ...this.snapshot.local, screen: track } });
    if (this.phase !== 'in_call') return; // produced when the (re)join finishes
    try {
      await this.produce('screen', track, this.generation);
    } catch (err) {
      if (err instanceof StaleError) return;
      stopTrack(track);
      this.update({
        sharing: false,
        local: { ...this.snapshot.local, screen: null },
        issue: { reason: 'screen_failed', device: 'screen', detail: String(err) },
      });
    }
  }

  async stopScreenShare(): Promise<void> {
    const track = this.snapshot.local.screen;
    const producer = this.producers.get('screen');
    this.producers.delete('screen');
    this.update({ sharing: false, local: { ...this.snapshot.local, screen: null } });
    stopTrack(track);
    if (!producer || producer.closed) return;
    producer.close();
    try {
      await this.signaling.request('call:producer:close', { callId: this.callId, producerId: producer.id });
    } catch (err) {
      // Our side stopped sending; the server closes it with the transport at the latest.
      this.log.warn('could not close the screen producer on the server', err);
    }
  }

  // ----- receiving ----------------------------------------------------------------------------

  private drainPending(): void {
    const pending = [...this.pendingProducers.values()];
    this.pendingProducers.clear();
    for (const info of pending) this.consume(info);
  }

  /** Asks the server for a consumer of a track the others send, then receives it. */
  private consume(info: CallProducerInfo): void {
    if (!this.recvTransport || this.recvTransport.closed) {
      this.pendingProducers.set(info.producerId, info);
      return;
    }
    this.receiveOnce(info.producerId, info, async (transport, generation) => {
      const params = await this.signaling.request('call:consume', {
        callId: this.callId,
        transportId: transport.id,
        producerId: info.producerId,
      });
      this.check(generation);
      await this.attachConsumer(transport, params, generation);
    });
  }

  /** Receives a track whose (paused) consumer the server has already made. */
  private receive(params: CallConsumerParams): void {
    this.receiveOnce(params.producerId, params, (transport, generation) =>
      this.attachConsumer(transport, params, generation),
    );
  }

  /**
   * Runs `work` to receive one of the others' tracks on the current receive transport, unless that
   * track is already received or on its way (the join's list and `call:producer:new` may both
   * name it).
   */
  private receiveOnce(
    producerId: string,
    what: unknown,
    work: (transport: Transport, generation: number) => Promise<void>,
  ): void {
    const transport = this.recvTransport;
    if (!transport || transport.closed || this.consuming.has(producerId)) return;
    for (const entry of this.consumers.values()) if (entry.producerId === producerId) return;
    this.consuming.add(producerId);
    const generation = this.generation;
    void work(transport, generation)
      .catch((err) => {
        if (!(err instanceof StaleError) && generation === this.generation) {
          this.log.warn('could not receive a track', what, err);
        }
      })
      .finally(() => {
        this.consuming.delete(producerId);
        this.closedProducers.delete(producerId);
      });
  }

  private async attachConsumer(
    transport: Transport,
    params: CallConsumerParams,
    generation: number,
  ): Promise<void> {
    const consumer = await transport.consume({
      id: params.id,
      producerId: params.producerId,
      kind: params.kind,
      rtpParameters: params.rtpParameters as unknown as RtpParameters,
      appData: { peerId: params.peerId, source: params.source },
    });
    if (generation !== this.generation || this.closedProducers.has(params.producerId)) {
      consumer.close();
      return;
    }
    this.consumers.set(consumer.id, {
      consumer,
      peerId: params.peerId,
      source: params.source,
      producerId: params.producerId,
      paused: params.producerPaused,
      waiting: params.waiting ?? false,
    });
    // The track is in the snapshot (and so on screen) before the server lets media flow, so
    // the keyframe sent on resume is not lost.
    this.publishRemote();
    // Nor lost before this browser can decrypt it: on a transport still connecting, the server's
    // DTLS may finish first and send the keyframe while the browser cannot read SRTP yet; the
    // browser then waits for another keyframe, which mediasoup asks for only a second later
    // (bench:join saw 1 s stalls in a third of the runs). So a consumer is resumed once its
    // transport is connected.
    await whenConnected(transport);
    this.check(generation);
    await this.signaling.request('call:consumer:resume', {
      callId: this.callId,
      consumerId: consumer.id,
    });
  }

  private dropConsumer(consumerId: string): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) return;
    this.consumers.delete(consumerId);
    entry.consumer.close();
    this.publishRemote();
  }

  private publishRemote(): void {
    const peers = new Map<string, RemotePeer>();
    const preparing = new Set<string>();
    for (const entry of this.consumers.values()) {
      if (entry.waiting) {
        preparing.add(entry.peerId); // still on their device check: not shown
        continue;
      }
      let peer = peers.get(entry.peerId);
      if (!peer) {
        peer = { peerId: entry.peerId };
        peers.set(entry.peerId, peer);
      }
      peer[entry.source] = {
        producerId: entry.producerId,
        consumerId: entry.consumer.id,
        kind: entry.consumer.kind as 'audio' | 'video',
        source: entry.source,
        track: entry.consumer.track,
        paused: entry.paused,
      };
    }
    const ready = [...preparing];
    this.update({
      remote: [...peers.values()],
      // The same list again keeps the same array, so the view does not re-render for it.
      preparing: sameJson(ready, this.snapshot.preparing) ? this.snapshot.preparing : ready,
    });
  }

  // ----- statistics ---------------------------------------------------------------------------

  /**
   * Reads and reports connection quality every 2 s, for the quality indicator and the call's
   * statistics summary. Nothing depends on it arriving early: the server decides that the call is
   * connected from what its media server sees, so the page does not spend `getStats` readings on
   * it while the picture is starting.
   */
  private startStats(generation: number): void {
    clearTimeout(this.statsTimer);
    this.lastSample = null;
    const tick = async () => {
      if (generation !== this.generation) return;
      try {
        await this.sampleAndReport();
      } catch (err) {
        this.log.warn('statistics failed', err);
      }
      if (generation !== this.generation) return;
      this.statsTimer = setTimeout(tick, STATS_INTERVAL_MS);
    };
    this.statsTimer = setTimeout(tick, STATS_INTERVAL_MS);
  }

  private async readStats(): Promise<{ send: RTCStatsReport | null; recv: RTCStatsReport | null }> {
    const [send, recv] = await Promise.all([
      this.sendTransport && !this.sendTransport.closed
        ? this.sendTransport.getStats().catch(() => null)
        : null,
      this.recvTransport && !this.recvTransport.closed
        ? this.recvTransport.getStats().catch(() => null)
        : null,
    ]);
    return { send, recv };
  }

  /** Which remote track each inbound stream belongs to (by the receiver's track id). */
  private trackSources(): Map<string, { source: MediaSourceName; peerId: string }> {
    const map = new Map<string, { source: MediaSourceName; peerId: string }>();
    for (const entry of this.consumers.values()) {
      map.set(entry.consumer.track.id, { source: entry.source, peerId: entry.peerId });
    }
    return map;
  }

  private async sampleAndReport(): Promise<void> {
    const { send, recv } = await this.readStats();
    const now = performance.now();
    const { report, sample } = summarizeStats({
      send,
      recv,
      sources: this.trackSources(),
      previous: this.lastSample,
      now,
    });
    this.lastSample = sample;
    // Unchanged figures (nothing flowing yet, mostly) do not re-render the call view.
    const quality = qualityOf(report);
    if (!sameJson(quality, this.snapshot.quality)) this.update({ quality });
    try {
      await this.signaling.request('call:stats', { callId: this.callId, stats: report });
    } catch (err) {
      // Between a drop and the rejoin the server has no peer for us; the next report goes through.
      if (codeOf(err) !== 'conflict') this.log.warn('could not send statistics', err);
    }
  }

  /** Per inbound track counters, for the end-to-end tests and for bug reports. */
  async debugStats(): Promise<{
    phase: CallPhase;
    inbound: Array<{
      kind: string;
      source: MediaSourceName | null;
      peerId: string | null;
      packetsReceived: number;
      bytesReceived: number;
      framesDecoded: number;
      frameWidth: number;
      frameHeight: number;
    }>;
    report: CallStatsReport;
  }> {
    const { send, recv } = await this.readStats();
    const sources = this.trackSources();
    const inbound: Awaited<ReturnType<CallEngine['debugStats']>>['inbound'] = [];
    recv?.forEach((s: Record<string, unknown>) => {
      if (s.type !== 'inbound-rtp') return;
      const owner = sources.get(String(s.trackIdentifier ?? ''));
      inbound.push({
        kind: String(s.kind ?? s.mediaType ?? ''),
        source: owner?.source ?? null,
        peerId: owner?.peerId ?? null,
        packetsReceived: Number(s.packetsReceived ?? 0),
        bytesReceived: Number(s.bytesReceived ?? 0),
        framesDecoded: Number(s.framesDecoded ?? 0),
        frameWidth: Number(s.frameWidth ?? 0),
        frameHeight: Number(s.frameHeight ?? 0),
      });
    });
    const { report } = summarizeStats({ send, recv, sources, previous: null, now: performance.now() });
    return { phase: this.phase, inbound, report };
  }

  /**
   * `window.__livedeskCall.stats()` for the end-to-end tests: read-only counters, installed only in
   * a browser driven by automation (navigator.webdriver), so it does nothing for real users.
   */
  private installTestHook(): void {
    if (typeof window === 'undefined' || !navigator.webdriver) return;
    (window as unknown as { __livedeskCall?: unknown }).__livedeskCall = {
      callId: this.callId,
      stats: () => this.debugStats(),
      phase: () => this.phase,
      /** The device check's head start is in place: transports made, tracks sent held (`prepare`). */
      prepared: () => this.staged && this.producers.size > 0,
      /** The labels of the devices being sent (which microphone and camera are in use). */
      localDevices: () => ({
        mic: this.snapshot.local.mic?.label ?? null,
        camera: this.snapshot.local.camera?.label ?? null,
      }),
      // The path a dropped connection takes (new ICE credentials from the server, the browser
      // checks again), started on demand: the tests cannot cut loopback traffic.
      restartIce: async () => {
        const transports = [this.sendTransport, this.recvTransport].filter(
          (t): t is Transport => t !== null && !t.closed,
        );
        await Promise.all(transports.map((t) => this.restartIce(t, this.generation, 'disconnected')));
        return transports.map((t) => t.id);
      },
    };
  }

  private removeTestHook(): void {
    if (typeof window === 'undefined') return;
    const w = window as unknown as { __livedeskCall?: { callId?: string } };
    if (w.__livedeskCall?.callId === this.callId) delete w.__livedeskCall;
  }

  // ----- ending -------------------------------------------------------------------------------

  /** Ends the call for everyone. */
  async hangup(): Promise<void> {
    if (this.over) return;
    this.update({ endedByMe: true });
    try {
      const call = await this.signaling.request('call:hangup', { callId: this.callId });
      this.finish(call);
    } catch (err) {
      // Could not reach the server: leave locally; the grace period ends the call for the other side.
      this.log.warn('hang-up failed; leaving', err);
      this.leave();
    }
  }

  /** Stops ringing (the caller, before anyone answered). */
  async cancel(): Promise<void> {
    if (this.over) return;
    this.update({ endedByMe: true });
    try {
      const call = await this.signaling.request('call:cancel', { callId: this.callId });
      this.finish(call);
    } catch (err) {
      // Answered in the meantime (conflict): hang up instead, as the user wanted out.
      if (codeOf(err) === 'conflict') await this.hangup();
      else this.update({ issue: signalingIssue(err), endedByMe: false });
    }
  }

  /** Leaves the media room; the call goes on for the others (and ends after the grace period). */
  leave(): void {
    if (this.over) return;
    const wasInRoom =
      (this.phase !== 'idle' && this.phase !== 'failed') || this.staged || this.staging !== null;
    this.teardown(true);
    this.update({ phase: 'left' });
    if (wasInRoom) {
      this.signaling.request('call:leave', { callId: this.callId }).catch(() => {
        // Offline: the server noticed the socket go away and has already taken us out.
      });
    }
  }

  private finish(call: CallView): void {
    if (this.phase === 'ended' && this.snapshot.call?.status === 'ended') return;
    this.teardown(true);
    this.update({ phase: 'ended', call, issue: null });
  }

  /** Leaves if needed and releases everything; the engine is unusable afterwards. */
  destroy(): void {
    if (this.destroyed) return;
    if (!this.over) this.leave();
    this.teardown(true);
    this.destroyed = true;
    for (const stop of this.unsubscribers.splice(0)) stop();
    this.listeners.clear();
  }

  /** Closes the transports (and with them producers and consumers) and forgets what was on them. */
  private closeMedia(): void {
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = null;
    this.recvTransport = null;
    this.producers.clear();
    this.consumers.clear();
    this.consuming.clear();
    this.closedProducers.clear();
    this.pendingProducers.clear();
  }

  /** Closes transports (and with them producers and consumers); `releaseDevices` stops the tracks. */
  private teardown(releaseDevices: boolean): void {
    this.generation++;
    clearTimeout(this.statsTimer);
    for (const timer of this.iceRestarts.values()) if (timer) clearTimeout(timer);
    this.iceRestarts.clear();
    this.staged = false;
    this.staging = null;
    this.closeMedia();
    const patch: Partial<CallSnapshot> = { remote: [], preparing: [], quality: NO_QUALITY };
    if (releaseDevices) {
      const { mic, camera, screen } = this.snapshot.local;
      stopTrack(mic);
      stopTrack(camera);
      stopTrack(screen);
      patch.local = { mic: null, camera: null, screen: null };
      patch.sharing = false;
      this.removeTestHook();
    }
    this.update(patch);
  }
}

/** Resolves when the transport is connected (ICE and DTLS), at once if it is; rejects if it closes. */
function whenConnected(transport: Transport): Promise<void> {
  if (transport.connectionState === 'connected') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onState = (state: string) => {
      if (state !== 'connected') return;
      transport.removeListener('connectionstatechange', onState);
      transport.observer.removeListener('close', onClose);
      resolve();
    };
    const onClose = () => {
      transport.removeListener('connectionstatechange', onState);
      reject(new StaleError());
    };
    transport.on('connectionstatechange', onState);
    transport.observer.once('close', onClose);
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function deviceIdOf(track: MediaStreamTrack): string | undefined {
  return track.getSettings().deviceId || undefined;
}
