// The browser side of one video call, as a thin phase machine over its parts: each attempt at
// being in the media room is a `CallConnection` (transports, producers, consumers; closing it
// cancels what it started), the local tracks are `LocalMedia`, quality readings come from
// `StatsReporter`, and the e2e hook from `testHook.ts`. Driven by the socket's `call:*` events
// (signaling/shared/protocol.ts). Framework-free: React reads it through `subscribe`/`getSnapshot`
// (client/src/call/hooks.ts). See docs/calls-client.md.

import type { CallJoinResult, CallView, Json } from '../../../../signaling/shared/protocol';
import { codeOf } from '../requests';
import { Store } from '../store';
import { CallConnection } from './CallConnection';
import { openScreen, openTrack, stopTrack } from './devices';
import { StaleError, sameJson, signalingIssue } from './issues';
import { type DeviceLoader, JoinRequests, pageDevice } from './joinRequests';
import { LocalMedia } from './LocalMedia';
import { debugStats, startStatsReporter } from './StatsReporter';
import { installCallTestHook, removeCallTestHook } from './testHook';
import {
  type CallIssue,
  type CallPhase,
  type CallSignaling,
  type CallSnapshot,
  initialSnapshot,
  type JoinOptions,
  NO_QUALITY,
  SETTING_UP_MAX_MS,
  type StagedTracks,
} from './types';

export type {
  CallIssue,
  CallIssueReason,
  CallPhase,
  CallSignaling,
  CallSnapshot,
  JoinOptions,
  LocalTracks,
  RemotePeer,
  RemoteTrack,
} from './types';

export interface CallEngineDeps {
  signaling: CallSignaling;
  /** Where the router's RTP capabilities are cached between calls (see mediaDevice.ts). */
  storage?: Storage | undefined;
  openTrack?: typeof openTrack;
  openScreen?: typeof openScreen;
  logger?: Pick<Console, 'warn' | 'error'>;
  /** The page's Device (mediaDevice.ts by default); the unit tests pass a fake (Node has no WebRTC). */
  device?: DeviceLoader;
}

const STATUS_RANK: Record<CallView['status'], number> = { ringing: 0, connecting: 1, connected: 2, ended: 3 };

/**
 * One call, from joining to the end. Create one per call page; `join()` enters the media room,
 * `destroy()` leaves it and releases the devices.
 */
export class CallEngine {
  readonly store: Store<CallSnapshot>;
  readonly signaling: CallSignaling;
  readonly openTrack: typeof openTrack;
  readonly openScreen: typeof openScreen;
  readonly log: Pick<Console, 'warn' | 'error'>;
  private readonly joins: JoinRequests;
  private readonly media: LocalMedia;
  private readonly unsubscribers: Array<() => void> = [];

  /** The current attempt at being in the media room; closed by every rejoin and teardown. */
  private connection: CallConnection | null = null;
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
  private settingUpTimer: ReturnType<typeof setTimeout> | null = null;
  /** Devices joined without (`JoinOptions.devices`), until they are open and taken. */
  private devicesArriving: Promise<CallIssue | null> | null = null;
  private lastStatus: ReturnType<CallSignaling['getStatus']>;

  constructor(
    readonly callId: string,
    deps: CallEngineDeps,
  ) {
    this.signaling = deps.signaling;
    this.openTrack = deps.openTrack ?? openTrack;
    this.openScreen = deps.openScreen ?? openScreen;
    this.log = deps.logger ?? console;
    this.joins = new JoinRequests({
      callId,
      signaling: this.signaling,
      storage: deps.storage,
      device: deps.device ?? pageDevice,
      log: this.log,
    });
    this.lastStatus = this.signaling.getStatus();
    this.store = new Store<CallSnapshot>(initialSnapshot(callId));
    this.media = new LocalMedia({
      callId,
      signaling: this.signaling,
      log: this.log,
      store: this.store,
      openTrack: this.openTrack,
      openScreen: this.openScreen,
      connection: () => this.connection,
      inCall: () => this.phase === 'in_call',
      over: () => this.over,
    });
    this.listen();
  }

  // ----- store --------------------------------------------------------------------------------

  getSnapshot = (): CallSnapshot => this.store.getSnapshot();

  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  private get snapshot(): CallSnapshot {
    return this.store.getSnapshot();
  }

  private update(patch: Partial<CallSnapshot>): void {
    this.store.update(patch);
  }

  private get phase(): CallPhase {
    return this.snapshot.phase;
  }

  private get over(): boolean {
    return this.destroyed || this.phase === 'ended' || this.phase === 'left' || this.phase === 'replaced';
  }

  private joined(): boolean {
    return this.phase === 'in_call' || this.phase === 'joining' || this.phase === 'reconnecting';
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
        this.connection?.producerAdded(info, consumer, consumerTransportId);
      }),
      s.on('call:producer:closed', ({ callId, producerId }) => {
        if (callId === this.callId) this.connection?.producerClosed(producerId);
      }),
      s.on('call:producer:paused', (info) => {
        if (info.callId !== this.callId) return;
        this.connection?.producerPaused(info.producerId, info.paused, info.waiting ?? false);
      }),
      s.on('call:consumer:closed', ({ callId, consumerId }) => {
        if (callId === this.callId) this.connection?.dropConsumer(consumerId);
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

  /** A new connection attempt; the one before it (if any) is closed. */
  private openConnection(): CallConnection {
    this.connection?.close();
    const connection = new CallConnection({
      callId: this.callId,
      signaling: this.signaling,
      log: this.log,
      remoteChanged: () => {
        if (this.connection === connection) this.publishRemote();
      },
      mediaIssue: (issue) => {
        if (issue) this.update({ issue });
        else if (this.snapshot.issue?.reason === 'media_failed') this.update({ issue: null });
      },
      failed: (issue) => this.reconnect(issue),
    });
    this.connection = connection;
    return connection;
  }

  private publishRemote(): void {
    this.update(this.connection?.remoteView(this.snapshot.preparing) ?? { remote: [], preparing: [] });
  }

  // ----- joining ------------------------------------------------------------------------------

  /** Enters the call with the tracks from the device check (or none). */
  async join(options: JoinOptions = {}): Promise<void> {
    if (this.over) return;
    if (this.phase === 'joining' || this.phase === 'in_call') return;
    const cameraOff = options.cameraOff ?? false;
    const camera = cameraOff ? null : (options.camera ?? null);
    if (cameraOff) stopTrack(options.camera);
    this.media.adopt(options.microphone ?? null, camera);
    this.update({
      local: { mic: options.microphone ?? null, camera, screen: null },
      micMuted: options.micMuted ?? false,
      cameraOff,
      microphoneId: options.microphoneId,
      cameraId: options.cameraId,
      issue: null,
      settingUp: true,
    });
    this.settingUpTimer = setTimeout(() => this.setUp(), SETTING_UP_MAX_MS);
    if (options.devices) this.devicesArriving = this.media.takeOpened(options.devices, cameraOff);
    this.installTestHook();
    // What the device check prepared sends these tracks (held until the join lets them through).
    this.stagedTracks = { mic: options.microphone ?? null, camera };
    if (this.staged && this.connection) void this.syncStaged(this.connection);
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
    const connection = staged && this.connection ? this.connection : this.openConnection();
    const wasReconnecting = this.phase === 'reconnecting';
    // The join leaves before the screen switches to the call view: that render is heavy, and with
    // a loaded device the request goes out at once instead of waiting behind it.
    const joining = staged ? this.joinPrepared(connection) : this.joins.join(connection);
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
          connection.resetMedia();
          this.publishRemote();
        }
        const iceServers = result.iceServers as RTCIceServer[];
        const [sendParams, recvParams] = result.transports
          ? [result.transports.send, result.transports.recv]
          : await Promise.all([
              this.signaling.request('call:transport:create', { callId: this.callId, direction: 'send' }),
              this.signaling.request('call:transport:create', { callId: this.callId, direction: 'recv' }),
            ]);
        connection.check();
        connection.makeTransports(sendParams, recvParams, iceServers);
      }
      this.update({ phase: 'in_call', issue: null });

      // What the others already send (the server may have made those consumers already), and
      // anything announced while we were setting up.
      connection.receiveJoined(result.consumers ?? [], result.producers);

      // Joined before the devices were open: they are sent as soon as they are.
      const deviceIssue = await this.devicesArriving;
      this.devicesArriving = null;
      connection.check();
      if (deviceIssue) this.update({ issue: deviceIssue });
      await this.media.sendAll(connection, () => {
        if (!connection.closed) this.setUp();
      });
      this.setUp();
      startStatsReporter(connection, {
        callId: this.callId,
        signaling: this.signaling,
        log: this.log,
        quality: () => this.snapshot.quality,
        setQuality: (quality) => this.update({ quality }),
      });
    } catch (err) {
      if (err instanceof StaleError || connection.closed || this.over) return;
      this.setUp();
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

  /** The join's set-up is over (done, failed or too slow): the page may show the call view. */
  private setUp(): void {
    if (this.settingUpTimer) clearTimeout(this.settingUpTimer);
    this.settingUpTimer = null;
    if (this.snapshot.settingUp) this.update({ settingUp: false });
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
    this.joins.preload();
    if (options.media === false) return;
    if (this.staging || this.phase !== 'idle' || this.signaling.getStatus() !== 'connected') return;
    const connection = this.openConnection();
    this.staging = this.stage(connection).catch((err) => {
      if (err instanceof StaleError || connection.closed) return false;
      // `conflict`: this person is in the call on another connection; joining replaces it.
      if (codeOf(err) !== 'conflict') this.log.warn('could not prepare the call; joining will', err);
      this.teardown(false);
      return false;
    });
  }

  /** The device check's tracks changed: the held ones follow (see `prepare`). */
  stageTracks = (tracks: StagedTracks): void => {
    this.stagedTracks = tracks;
    if (this.staged && this.connection) this.syncStaged(this.connection);
  };

  private async stage(connection: CallConnection): Promise<boolean> {
    const caps = this.joins.cachedCaps() ?? (await this.joins.routerCaps());
    const device = this.joins.device.loaded(caps) ?? (await this.joins.device.load(caps));
    connection.check();
    const result = await this.signaling.request('call:prepare', {
      callId: this.callId,
      rtpCapabilities: device.recvRtpCapabilities as unknown as Json,
    });
    connection.check();
    if (!sameJson(result.routerRtpCapabilities, caps)) {
      // A new server build: the join loads the device again and starts afresh.
      this.joins.cacheCaps(result.routerRtpCapabilities);
      return false;
    }
    connection.device = device;
    connection.makeTransports(
      result.transports.send,
      result.transports.recv,
      result.iceServers as RTCIceServer[],
    );
    this.staged = true;
    this.installTestHook();
    for (const params of result.consumers) connection.receive(params);
    await this.syncStaged(connection);
    return !connection.closed && this.staged;
  }

  /** Sends each of the device check's tracks held (one producer per source), in order. */
  private syncStaged(connection: CallConnection): Promise<void> {
    const run = async () => {
      for (const source of ['camera', 'mic'] as const) {
        if (!this.staged || connection.closed) return;
        const track = this.stagedTracks[source];
        if (track?.readyState !== 'live') continue; // settled at the join (joinPrepared)
        const producer = connection.producers.get(source);
        if (!producer) await connection.produce(source, track, { held: true });
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
  private async joinPrepared(connection: CallConnection): Promise<CallJoinResult> {
    await this.stageQueue;
    connection.check();
    const { local, cameraOff, micMuted } = this.snapshot;
    for (const source of ['camera', 'mic'] as const) {
      const producer = connection.producers.get(source);
      if (!producer || producer.closed) continue;
      const track = source === 'camera' ? (cameraOff ? null : local.camera) : local.mic;
      if (track?.readyState === 'live') {
        if (producer.track !== track) await producer.replaceTrack({ track });
        continue;
      }
      connection.closeProducer(source);
      this.signaling
        .request('call:producer:close', { callId: this.callId, producerId: producer.id })
        .catch(() => {});
    }
    const mic = connection.producers.get('mic');
    if (mic && micMuted) {
      this.signaling
        .request('call:producer:set-paused', { callId: this.callId, producerId: mic.id, paused: true })
        .catch(() => {});
    }
    connection.check();
    const joining = this.joins.request(connection, connection.device!, true);
    // The server lets the held tracks through the moment the join arrives, ahead of the keyframe
    // the encoder sends when it starts again: sent now, they reach the others a round trip sooner
    // than after the answer (which waits for the server's bookkeeping).
    connection.releaseHeldProducers(this.snapshot.micMuted);
    return joining;
  }

  /** Tears the media down and joins again, keeping the local devices open. */
  private reconnect(issue?: CallIssue): void {
    if (this.over || this.phase === 'idle') return;
    this.teardown(false);
    this.update({ phase: 'reconnecting', ...(issue ? { issue } : {}) });
    if (this.signaling.getStatus() === 'connected') void this.connect();
  }

  // ----- local media (LocalMedia.ts) ----------------------------------------------------------

  setMicMuted = (muted: boolean): Promise<void> => this.media.setMicMuted(muted);
  setCameraOff = (off: boolean): Promise<void> => this.media.setCameraOff(off);
  switchCamera = (deviceId: string): Promise<void> => this.media.switchCamera(deviceId);
  switchMicrophone = (deviceId: string): Promise<void> => this.media.switchMicrophone(deviceId);
  startScreenShare = (): Promise<void> => this.media.startScreenShare();
  stopScreenShare = (): Promise<void> => this.media.stopScreenShare();

  // ----- diagnostics --------------------------------------------------------------------------

  /** Per inbound track counters, for the end-to-end tests and for bug reports. */
  debugStats(): ReturnType<typeof debugStats> {
    return debugStats(this.connection, this.phase);
  }

  private installTestHook(): void {
    installCallTestHook({
      callId: this.callId,
      stats: () => this.debugStats(),
      phase: () => this.phase,
      ending: () => this.snapshot.endedByMe && !this.over,
      prepared: () => this.staged && (this.connection?.producers.size ?? 0) > 0,
      localDevices: () => ({
        mic: this.snapshot.local.mic?.label ?? null,
        camera: this.snapshot.local.camera?.label ?? null,
      }),
      restartIce: async () => (this.connection ? this.connection.restartAllIce() : []),
    });
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
    this.setUp();
  }

  /** Leaves if needed and releases everything; the engine is unusable afterwards. */
  destroy(): void {
    if (this.destroyed) return;
    if (!this.over) this.leave();
    this.teardown(true);
    this.setUp();
    this.destroyed = true;
    for (const stop of this.unsubscribers.splice(0)) stop();
    this.store.clear();
  }

  /** Closes the current attempt (and with it transports, producers, consumers, statistics); `releaseDevices` stops the tracks. */
  private teardown(releaseDevices: boolean): void {
    this.connection?.close();
    this.connection = null;
    this.staged = false;
    this.staging = null;
    let patch: Partial<CallSnapshot> = { remote: [], preparing: [], quality: NO_QUALITY };
    if (releaseDevices) {
      patch = { ...patch, ...this.media.releaseAll() };
      removeCallTestHook(this.callId);
    }
    this.update(patch);
  }
}
