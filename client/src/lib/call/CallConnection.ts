// One attempt at being in a call's media room: the Device it joined with, its send and receive
// transports, what it sends (producers) and receives (consumers). A rejoin or a teardown closes
// it, and `close()` is what cancels everything it started: work that resumes after an await
// checks `closed` (or calls `check()`), so a slow answer meant for an older attempt cannot touch
// the new one. Like the server's `Peer` (media/Peer.ts). See docs/calls-client.md.

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
  CallConsumerParams,
  CallPrepareResult,
  CallProducerInfo,
  Json,
  MediaSourceName,
} from '../../../../signaling/shared/protocol';
import { StaleError, sameJson } from './issues';
import { startRemoteVideo, stopRemoteVideo } from './remoteVideo';
import type { CallIssue, CallSignaling, RemotePeer } from './types';

/** A transport that stays failed this long after an ICE restart is rebuilt by joining again. */
const ICE_RESTART_GIVE_UP_MS = 10_000;

/** What the connection tells the engine that owns it. */
export interface ConnectionHost {
  readonly callId: string;
  readonly signaling: CallSignaling;
  readonly log: Pick<Console, 'warn' | 'error'>;
  /** The others' tracks changed (received, paused, closed): the view follows. */
  remoteChanged(): void;
  /** A transport failed (issue) or connected again (null). */
  mediaIssue(issue: CallIssue | null): void;
  /** The media cannot be repaired on these transports: join again. */
  failed(issue: CallIssue): void;
}

interface ConsumerEntry {
  consumer: Consumer;
  peerId: string;
  source: MediaSourceName;
  producerId: string;
  paused: boolean;
  /** Its sender is still on the device check: kept out of the view until they join. */
  waiting: boolean;
}

type TransportParams = CallPrepareResult['transports']['send'];

export class CallConnection {
  device: Device | null = null;
  private sendTransport: Transport | null = null;
  private recvTransport: Transport | null = null;
  readonly producers = new Map<MediaSourceName, Producer>();
  private readonly consumers = new Map<string, ConsumerEntry>();
  /** Producers being consumed now (dedupes the join list and `call:producer:new`). */
  private readonly consuming = new Set<string>();
  /** Announced before the receive transport existed; consumed once it does. */
  private readonly pendingProducers = new Map<string, CallProducerInfo>();
  /** Closed while their consume was in flight. */
  private readonly closedProducers = new Set<string>();
  private readonly iceRestarts = new Map<string, ReturnType<typeof setTimeout> | null>();
  private readonly closeHandlers: Array<() => void> = [];
  private isClosed = false;

  constructor(private readonly host: ConnectionHost) {}

  get closed(): boolean {
    return this.isClosed;
  }

  /** Throws `StaleError` once closed: called after each await of work this attempt started. */
  check(): void {
    if (this.isClosed) throw new StaleError();
  }

  /** Runs `handler` when this attempt closes (at once if it has). */
  onClose(handler: () => void): void {
    if (this.isClosed) handler();
    else this.closeHandlers.push(handler);
  }

  /** Closes the transports (and with them producers and consumers). Idempotent. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const timer of this.iceRestarts.values()) if (timer) clearTimeout(timer);
    this.iceRestarts.clear();
    this.resetMedia();
    for (const handler of this.closeHandlers.splice(0)) handler();
  }

  /** Drops the transports and what was on them, keeping the attempt (a prepared join not admitted). */
  resetMedia(): void {
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

  get recvTransportId(): string | undefined {
    return this.recvTransport?.id;
  }

  /** The open transports (for statistics and the test hook's ICE restart). */
  transports(): { send: Transport | null; recv: Transport | null } {
    const open = (t: Transport | null) => (t && !t.closed ? t : null);
    return { send: open(this.sendTransport), recv: open(this.recvTransport) };
  }

  makeTransports(send: TransportParams, recv: TransportParams, iceServers: RTCIceServer[]): void {
    const device = this.device!;
    const transportOptions = (p: TransportParams) => ({
      id: p.id,
      iceParameters: p.iceParameters as unknown as IceParameters,
      iceCandidates: p.iceCandidates as never,
      dtlsParameters: p.dtlsParameters as unknown as DtlsParameters,
      iceServers,
    });
    this.sendTransport = device.createSendTransport(transportOptions(send));
    this.recvTransport = device.createRecvTransport(transportOptions(recv));
    this.wireTransport(this.sendTransport);
    this.wireTransport(this.recvTransport);
  }

  private wireTransport(transport: Transport): void {
    const { signaling, callId, log } = this.host;
    transport.on('connect', ({ dtlsParameters }, callback) => {
      // Not waiting for the ack: the request leaves on the same socket before the produce or the
      // consumer resume that follows it, and the server handles a transport's requests in order,
      // so the browser may start ICE and DTLS at once instead of a round trip later. Should the
      // server refuse (the transport went away meanwhile), the media never connects and the
      // engine joins again.
      callback();
      signaling
        .request('call:transport:connect', {
          callId,
          transportId: transport.id,
          dtlsParameters: dtlsParameters as unknown as Json,
        })
        .catch((err) => {
          if (this.isClosed || transport.closed) return;
          log.warn('the server refused the transport connect; joining again', err);
          this.host.failed({ reason: 'media_failed', detail: String(err) });
        });
    });
    if (transport.direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        signaling
          .request('call:produce', {
            callId,
            transportId: transport.id,
            kind,
            rtpParameters: rtpParameters as unknown as Json,
            source: appData.source as MediaSourceName,
          })
          .then(({ producerId }) => callback({ id: producerId }), errback);
      });
    }
    transport.on('connectionstatechange', (state) => {
      if (this.isClosed) return;
      if (state === 'connected') {
        const timer = this.iceRestarts.get(transport.id);
        if (timer) clearTimeout(timer);
        this.iceRestarts.delete(transport.id);
        this.host.mediaIssue(null);
      } else if (state === 'disconnected' || state === 'failed') {
        void this.restartIce(transport, state);
      }
    });
  }

  /** New ICE credentials for the same transport; if it stays failed, join again from scratch. */
  async restartIce(transport: Transport, state: string): Promise<void> {
    if (this.iceRestarts.has(transport.id)) return;
    if (state === 'failed') this.host.mediaIssue({ reason: 'media_failed', detail: `transport ${state}` });
    if (this.host.signaling.getStatus() !== 'connected') return; // the reconnect path rebuilds everything
    this.iceRestarts.set(transport.id, null);
    try {
      const { iceParameters } = await this.host.signaling.request('call:transport:restart-ice', {
        callId: this.host.callId,
        transportId: transport.id,
      });
      if (this.isClosed || transport.closed) return;
      await transport.restartIce({ iceParameters: iceParameters as unknown as IceParameters });
      const giveUp = setTimeout(() => {
        if (this.isClosed || transport.closed) return;
        this.iceRestarts.delete(transport.id);
        if (transport.connectionState !== 'connected') this.host.failed({ reason: 'media_failed' });
      }, ICE_RESTART_GIVE_UP_MS);
      this.iceRestarts.set(transport.id, giveUp);
    } catch (err) {
      this.iceRestarts.delete(transport.id);
      if (this.isClosed) return;
      this.host.log.warn('ICE restart failed; joining again', err);
      this.host.failed({ reason: 'media_failed' });
    }
  }

  /** New ICE credentials for both transports (the test hook's repair path); their ids. */
  async restartAllIce(): Promise<string[]> {
    const { send, recv } = this.transports();
    const transports = [send, recv].filter((t) => t !== null);
    await Promise.all(transports.map((t) => this.restartIce(t, 'disconnected')));
    return transports.map((t) => t.id);
  }

  // ----- sending ------------------------------------------------------------------------------

  async produce(
    source: MediaSourceName,
    track: MediaStreamTrack,
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
    if (this.isClosed) {
      producer.close();
      throw new StaleError();
    }
    this.producers.set(source, producer);
    return producer;
  }

  async pauseProducer(producer: Producer, paused: boolean): Promise<void> {
    if (paused) producer.pause();
    else producer.resume();
    try {
      await this.host.signaling.request('call:producer:set-paused', {
        callId: this.host.callId,
        producerId: producer.id,
        paused,
      });
    } catch (err) {
      // The local pause already keeps the media from going out; the other side just keeps its picture.
      this.host.log.warn('could not tell the server about a pause', err);
    }
  }

  /** Stops sending `source` here and on the server (best effort). */
  closeProducer(source: MediaSourceName): Producer | undefined {
    const producer = this.producers.get(source);
    this.producers.delete(source);
    if (!producer || producer.closed) return undefined;
    producer.close();
    return producer;
  }

  /** After the join let them through: the held tracks start sending (a muted mic stays paused). */
  releaseHeldProducers(micMuted: boolean): void {
    for (const [source, producer] of this.producers) {
      if (producer.closed || !producer.paused) continue;
      if (source === 'mic' && micMuted) continue;
      producer.resume();
    }
  }

  // ----- receiving ----------------------------------------------------------------------------

  /** A track the others send was announced; `consumer` when the server made it for our transport. */
  producerAdded(info: CallProducerInfo, consumer?: CallConsumerParams, consumerTransportId?: string): void {
    // Made for our current receive transport: just receive it. Otherwise (a rejoin under way, or
    // none made) ask for one.
    if (consumer && consumerTransportId && consumerTransportId === this.recvTransport?.id) {
      this.receive(consumer);
    } else {
      this.consume(info);
    }
  }

  producerClosed(producerId: string): void {
    this.pendingProducers.delete(producerId);
    if (this.consuming.has(producerId)) this.closedProducers.add(producerId);
    for (const [id, entry] of this.consumers) if (entry.producerId === producerId) this.dropConsumer(id);
  }

  producerPaused(producerId: string, paused: boolean, waiting: boolean): void {
    let changed = false;
    for (const entry of this.consumers.values()) {
      if (entry.producerId === producerId && (entry.paused !== paused || entry.waiting !== waiting)) {
        entry.paused = paused;
        entry.waiting = waiting;
        changed = true;
      }
    }
    const pending = this.pendingProducers.get(producerId);
    if (pending) Object.assign(pending, { paused, waiting });
    if (changed) this.host.remoteChanged();
  }

  /** What the join answered: consumers the server made already, and the others' producers. */
  receiveJoined(consumers: CallConsumerParams[], producers: CallProducerInfo[]): void {
    const prepared = new Set(consumers.map((c) => c.producerId));
    for (const params of consumers) this.receive(params);
    for (const info of producers) {
      if (!prepared.has(info.producerId)) this.pendingProducers.set(info.producerId, info);
    }
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
    this.receiveOnce(info.producerId, info, async (transport) => {
      const params = await this.host.signaling.request('call:consume', {
        callId: this.host.callId,
        transportId: transport.id,
        producerId: info.producerId,
      });
      this.check();
      await this.attachConsumer(transport, params);
    });
  }

  /** Receives a track whose (paused) consumer the server has already made. */
  receive(params: CallConsumerParams): void {
    this.receiveOnce(params.producerId, params, (transport) => this.attachConsumer(transport, params));
  }

  /**
   * Runs `work` to receive one of the others' tracks on the current receive transport, unless that
   * track is already received or on its way (the join's list and `call:producer:new` may both
   * name it).
   */
  private receiveOnce(
    producerId: string,
    what: unknown,
    work: (transport: Transport) => Promise<void>,
  ): void {
    const transport = this.recvTransport;
    if (!transport || transport.closed || this.consuming.has(producerId)) return;
    for (const entry of this.consumers.values()) if (entry.producerId === producerId) return;
    this.consuming.add(producerId);
    void work(transport)
      .catch((err) => {
        if (!(err instanceof StaleError) && !this.isClosed)
          this.host.log.warn('could not receive a track', what, err);
      })
      .finally(() => {
        this.consuming.delete(producerId);
        this.closedProducers.delete(producerId);
      });
  }

  private async attachConsumer(transport: Transport, params: CallConsumerParams): Promise<void> {
    const consumer = await transport.consume({
      id: params.id,
      producerId: params.producerId,
      kind: params.kind,
      rtpParameters: params.rtpParameters as unknown as RtpParameters,
      appData: { peerId: params.peerId, source: params.source },
    });
    if (this.isClosed || this.closedProducers.has(params.producerId)) {
      consumer.close();
      return;
    }
    // Its player starts now: the view that shows it may render well after (remoteVideo.ts).
    startRemoteVideo(consumer.track);
    consumer.observer.once('close', () => stopRemoteVideo(consumer.track));
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
    this.host.remoteChanged();
    // Resumed at once, on a transport that may still be connecting: the server's consumer then
    // forwards nothing until its DTLS is up, and the worker asks the sender for a keyframe at that
    // moment (SimpleConsumer on connect). Waiting for the browser's own `connected` first, as
    // before, cost a main-thread turn and a round trip after DTLS on every track, which on a busy
    // machine was 30-100 ms of the first picture (bench:join, decisions "join path ratio"). Should
    // that first keyframe arrive before this browser can decrypt it, the browser's own keyframe
    // request reaches the sender within the producer's keyframe delay (350 ms, CallRoom).
    await this.host.signaling.request('call:consumer:resume', {
      callId: this.host.callId,
      consumerId: consumer.id,
    });
  }

  dropConsumer(consumerId: string): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) return;
    this.consumers.delete(consumerId);
    entry.consumer.close();
    this.host.remoteChanged();
  }

  /** The others as the view shows them; `previous` is kept when the waiting list is unchanged. */
  remoteView(previous: string[]): { remote: RemotePeer[]; preparing: string[] } {
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
    // The same list again keeps the same array, so the view does not re-render for it.
    return { remote: [...peers.values()], preparing: sameJson(ready, previous) ? previous : ready };
  }

  /** Which remote track each inbound stream belongs to (by the receiver's track id). */
  trackSources(): Map<string, { source: MediaSourceName; peerId: string }> {
    const map = new Map<string, { source: MediaSourceName; peerId: string }>();
    for (const entry of this.consumers.values()) {
      map.set(entry.consumer.track.id, { source: entry.source, peerId: entry.peerId });
    }
    return map;
  }
}
