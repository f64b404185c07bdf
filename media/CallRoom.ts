import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { MediaError } from './errors';
import { MEDIA_LIMITS } from './limits';
import { DEFAULT_FLOW_CHECK, type FlowCheckTiming, type FlowReading, MediaFlowWatch } from './MediaFlowWatch';
import { type MediaSource, Peer, type PeerInfo } from './Peer';

/** See `produce`: a little over libwebrtc's minimum interval between keyframes sent on request. */
const KEYFRAME_REQUEST_DELAY_MS = 350;

export interface TransportParams {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
}

export interface ProducerInfo {
  peerId: string;
  producerId: string;
  kind: types.MediaKind;
  source: MediaSource;
  paused: boolean;
  /** Its peer is still on the device check: nothing flows until the peer is admitted. */
  waiting: boolean;
}

export interface ConsumerParams {
  id: string;
  producerId: string;
  peerId: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
  source: MediaSource;
  /** Always true: the client resumes it once its track is wired up. */
  paused: true;
  producerPaused: boolean;
  /** The sending peer is still on the device check (see CallRoom.prepare). */
  waiting: boolean;
}

/** A peer must set up a transport within this time after joining, or it is removed. */
export const JOIN_TIMEOUT_MS = 30_000;

/**
 * One call: one mediasoup router and its peers. Built for any number of peers (a supervisor can
 * join a one-to-one call), although the product's call is one-to-one.
 *
 * A peer on the device check may get ready ahead (`prepare`): it is kept apart from `peers` (it is
 * not in the call: not present, not recorded, not counted) until `admit`. Its transports connect
 * and its tracks are set up meanwhile, so that joining then only lets the media through.
 *
 * Events:
 *  - `peerJoined` (peer), `peerLeft` (peer, reason) — reason `left`, `replaced` or `timeout`;
 *  - `newProducer` (ProducerInfo) when a peer starts sending a track, and again for each of a
 *    waiting peer's tracks when it is admitted (`waiting` says which);
 *  - `producerClosed` (ProducerInfo), `producerPaused` / `producerResumed` (ProducerInfo);
 *  - `consumerClosed` (peer, consumerId) when what a peer was receiving went away;
 *  - `mediaFlow` (from, to) the first time the SFU itself sees media from one peer in the call
 *    reach another (see MediaFlowWatch): once per ordered pair, whatever the clients report;
 *  - `closed` once, after close() or when the router's worker died (`workerDied` is true then).
 */
export class CallRoom extends EventEmitter {
  /** The peers in the call. */
  readonly peers = new Map<string, Peer>();
  /** The peers getting ready on the device check (see `prepare`). */
  readonly waiting = new Map<string, Peer>();
  private closedFlag = false;
  workerDied = false;
  private readonly flow: MediaFlowWatch;

  private constructor(
    readonly callId: string,
    readonly router: types.Router,
    private readonly transportOptions: types.WebRtcTransportOptions,
    flowCheck: FlowCheckTiming,
  ) {
    super();
    this.flow = new MediaFlowWatch(
      () => this.peers.values(),
      (from, to) => this.emit('mediaFlow', from, to),
      flowCheck,
    );
    router.observer.once('close', () => {
      // The router closes on its own only when its worker dies.
      if (!this.closedFlag) {
        this.workerDied = true;
        this.close();
      }
    });
  }

  static async create(
    callId: string,
    router: types.Router,
    transportOptions: types.WebRtcTransportOptions,
    flowCheck: FlowCheckTiming = DEFAULT_FLOW_CHECK,
  ): Promise<CallRoom> {
    return new CallRoom(callId, router, transportOptions, flowCheck);
  }

  /** What the SFU sees flowing between the peers in the call now (mediasoup's counters). */
  readFlows(): Promise<FlowReading[]> {
    return this.flow.read({ all: true });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.router.rtpCapabilities;
  }

  /** The user's peer, in the call or getting ready. */
  getPeer(id: string): Peer {
    const peer = this.peers.get(id) ?? this.waiting.get(id);
    if (!peer || peer.closed) throw new MediaError('not_found', 'You are not in this call. Join it first.');
    return peer;
  }

  /**
   * Adds the peer. A second join by the same user (another tab, a reload) replaces the first,
   * because identity is the user, not the connection.
   */
  async join(info: PeerInfo, rtpCapabilities: types.RtpCapabilities): Promise<Peer> {
    if (this.closedFlag) throw new MediaError('conflict', 'This call has ended.');
    const previous = this.peers.get(info.id) ?? this.waiting.get(info.id);
    // The old peer's transports, tracks and consumers close before the new one may make any.
    if (previous) this.removePeer(previous, 'replaced');
    this.checkRoomForOneMore();
    const peer = await Peer.create(info);
    peer.rtpCapabilities = rtpCapabilities;
    this.enter(peer);
    return peer;
  }

  /**
   * Adds the peer as getting ready (device check): it may create transports, send tracks (held
   * paused here, so nothing is forwarded or recorded) and receive the others' tracks (consumers
   * it resumes stay paused) until `admit`. Someone already in the call is not replaced by this:
   * their `join` from the new connection does that.
   */
  async prepare(info: PeerInfo, rtpCapabilities: types.RtpCapabilities): Promise<Peer> {
    if (this.closedFlag) throw new MediaError('conflict', 'This call has ended.');
    if (this.peers.has(info.id)) {
      throw new MediaError('conflict', 'You are already in this call on another connection.');
    }
    const previous = this.waiting.get(info.id);
    if (previous) this.removePeer(previous, 'replaced');
    this.checkRoomForOneMore();
    const peer = await Peer.create(info);
    peer.rtpCapabilities = rtpCapabilities;
    peer.waiting = true;
    this.waiting.set(peer.id, peer);
    return peer;
  }

  /**
   * Lets a prepared peer into the call: what it resumed starts flowing, the tracks it sends are
   * let through (unless it paused them meanwhile), and the room hears of them as new tracks.
   */
  async admit(peer: Peer): Promise<void> {
    if (this.waiting.get(peer.id) !== peer || peer.closed) {
      throw new MediaError('not_found', 'Nothing was prepared for this call on this connection.');
    }
    this.waiting.delete(peer.id);
    peer.waiting = false;
    this.enter(peer);
    const held = [...peer.producers.values()];
    await Promise.all([
      ...held.map((producer) =>
        producer.appData.pausedBySender ? undefined : producer.resume().catch(() => undefined),
      ),
      ...[...peer.consumers.values()].map((consumer) =>
        consumer.appData.resumeOnAdmit ? consumer.resume().catch(() => undefined) : undefined,
      ),
    ]);
    for (const producer of held) if (!producer.closed) this.emit('newProducer', producerInfo(peer, producer));
    this.flow.kick();
  }

  private checkRoomForOneMore(): void {
    if (this.peers.size + this.waiting.size >= MEDIA_LIMITS.peersPerRoom) {
      throw new MediaError('media_limit', 'This call already has as many people as it can take.');
    }
  }

  private enter(peer: Peer): void {
    this.peers.set(peer.id, peer);
    const timer = setTimeout(() => {
      if (!peer.joinedAt && !peer.closed) this.removePeer(peer, 'timeout');
    }, JOIN_TIMEOUT_MS);
    timer.unref();
    peer.once('closed', () => clearTimeout(timer));
    this.emit('peerJoined', peer);
  }

  leave(peerId: string): void {
    const peer = this.peers.get(peerId) ?? this.waiting.get(peerId);
    if (peer) this.removePeer(peer, 'left');
  }

  private removePeer(peer: Peer, reason: 'left' | 'replaced' | 'timeout'): void {
    if (this.peers.get(peer.id) === peer) this.peers.delete(peer.id);
    if (this.waiting.get(peer.id) === peer) this.waiting.delete(peer.id);
    peer.close();
    this.emit('peerLeft', peer, reason);
  }

  /** Everyone with a media connection: in the call or getting ready. */
  allPeers(): Peer[] {
    return [...this.peers.values(), ...this.waiting.values()];
  }

  /** What the other peers (in the call or getting ready) are sending now, for `peer`. */
  producersFor(peer: Peer): ProducerInfo[] {
    const list: ProducerInfo[] = [];
    for (const other of this.allPeers()) {
      if (other === peer) continue;
      for (const producer of other.producers.values()) list.push(producerInfo(other, producer));
    }
    return list;
  }

  async createTransport(peer: Peer, direction: 'send' | 'recv'): Promise<TransportParams> {
    const release = peer.reserveTransport(direction);
    let transport: types.WebRtcTransport;
    try {
      transport = await this.router.createWebRtcTransport({
        ...this.transportOptions,
        appData: { direction },
      });
    } catch (err) {
      // What mediasoup refuses here is the worker's state, not the client's request: in practice
      // its port range is used up by other calls (readiness says so too).
      throw new MediaError('unavailable', 'The media server has no room for another connection now.', {
        cause: err,
      });
    } finally {
      release();
    }
    // The peer went (replaced, left) while this was being made: nobody would ever close it.
    if (peer.closed) {
      transport.close();
      throw new MediaError('conflict', 'You are no longer in this call on this connection.');
    }
    peer.addTransport(transport);
    transport.on('dtlsstatechange', (state) => {
      if (state !== 'connected') return;
      peer.joinedAt ??= new Date();
      this.flow.kick();
    });
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(
    peer: Peer,
    transportId: string,
    dtlsParameters: types.DtlsParameters,
  ): Promise<void> {
    const transport = peer.getTransport(transportId);
    try {
      await transport.connect({ dtlsParameters });
    } catch (err) {
      throw new MediaError('bad_request', 'The connection parameters were not accepted.', { cause: err });
    }
  }

  async restartIce(peer: Peer, transportId: string): Promise<types.IceParameters> {
    return peer.getTransport(transportId).restartIce();
  }

  async produce(
    peer: Peer,
    transportId: string,
    kind: types.MediaKind,
    rtpParameters: types.RtpParameters,
    source: MediaSource,
  ): Promise<ProducerInfo> {
    const transport = peer.getTransport(transportId);
    if (transport.appData.direction !== 'send')
      throw new MediaError('bad_request', 'That transport does not send.');
    const release = peer.reserveProducer(source);
    let producer: types.Producer;
    try {
      producer = await transport.produce({
        kind,
        rtpParameters,
        // Held until the peer is admitted (see `prepare`).
        paused: peer.waiting,
        appData: { source },
        // A browser's encoder ignores a keyframe request that comes within 300 ms of the last
        // one it honoured (libwebrtc), and mediasoup then holds every later request for this
        // track, the receiver's own included, for a second. Requests closer together than this
        // are sent as one when the delay ends, so none is wasted (bench:join: 1 s first-frame
        // stalls). Audio has no keyframes; the option only applies to video.
        ...(kind === 'video' ? { keyFrameRequestDelay: KEYFRAME_REQUEST_DELAY_MS } : {}),
      });
    } catch (err) {
      throw new MediaError('bad_request', 'The track could not be sent: its format was not accepted.', {
        cause: err,
      });
    } finally {
      release();
    }
    // The peer went (replaced, left) while this was being made: closing its transport closed it.
    if (producer.closed)
      throw new MediaError('conflict', 'You are no longer in this call on this connection.');
    // Admitted while this was being made: `admit` did not see it.
    if (producer.paused && !peer.waiting) await producer.resume();
    return this.attachProducer(peer, producer, transport);
  }

  /**
   * Makes `producer` one of `peer`'s tracks and tells the room, as `produce` does. Also for
   * producers fed from outside a browser (RTP into a PlainTransport of this router: the tests'
   * and benchmarks' media sources).
   */
  attachProducer(peer: Peer, producer: types.Producer, carrier?: types.WebRtcTransport): ProducerInfo {
    peer.addProducer(producer, carrier);
    const info = producerInfo(peer, producer);
    producer.observer.once('close', () => this.emit('producerClosed', info));
    this.emit('newProducer', info);
    this.flow.kick();
    return info;
  }

  async consume(peer: Peer, transportId: string, producerId: string): Promise<ConsumerParams> {
    const transport = peer.getTransport(transportId);
    if (transport.appData.direction !== 'recv')
      throw new MediaError('bad_request', 'That transport does not receive.');
    const owner = this.allPeers().find((p) => p !== peer && p.producers.has(producerId));
    if (!owner) throw new MediaError('not_found', 'No such track in this call.');
    const producer = owner.getProducer(producerId);
    if (
      !peer.rtpCapabilities ||
      !this.router.canConsume({ producerId, rtpCapabilities: peer.rtpCapabilities })
    ) {
      throw new MediaError('bad_request', 'Your browser cannot receive this track.');
    }
    const known = peer.consumerOf(producerId);
    let consumer: types.Consumer;
    if (known) {
      // Each track once: the same consumer again (MEDIA_LIMITS).
      consumer = await known;
    } else {
      const rtpCapabilities = peer.rtpCapabilities;
      // Consumers start paused and are resumed when the client has attached the track, so no
      // keyframe is lost before anyone can render it.
      consumer = await peer.startConsuming(producerId, () =>
        transport.consume({
          producerId,
          rtpCapabilities,
          paused: true,
          appData: { source: producer.appData.source },
        }),
      );
      this.attachConsumer(peer, consumer, transport);
    }
    return {
      id: consumer.id,
      producerId,
      peerId: owner.id,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
      source: producer.appData.source as MediaSource,
      paused: true,
      producerPaused: consumer.producerPaused,
      waiting: owner.waiting,
    };
  }

  /**
   * Makes `consumer` one of `peer`'s received tracks, as `consume` does. Also for receivers outside
   * a browser (a PlainTransport of this router sending to a local socket: the tests' receivers).
   */
  attachConsumer(peer: Peer, consumer: types.Consumer, carrier?: types.WebRtcTransport): void {
    peer.addConsumer(consumer, carrier);
    consumer.on('producerclose', () => {
      consumer.close();
      this.emit('consumerClosed', peer, consumer.id);
    });
    this.flow.kick();
  }

  async resumeConsumer(peer: Peer, consumerId: string): Promise<void> {
    const consumer = peer.getConsumer(consumerId);
    // Getting ready: it flows once the peer is admitted.
    if (peer.waiting) {
      consumer.appData.resumeOnAdmit = true;
      return;
    }
    // No keyframe request of our own: the worker asks the producer for one on resume when the
    // transport is connected, and on connect otherwise (SimpleConsumer). A second request would
    // reach the sending browser within 300 ms of the first, which it ignores, and mediasoup then
    // holds every further request (the receiver's own included) for a second.
    await consumer.resume();
    this.flow.kick();
  }

  async setProducerPaused(peer: Peer, producerId: string, paused: boolean): Promise<ProducerInfo> {
    const producer = peer.getProducer(producerId);
    // Held while the peer gets ready (nobody hears of it yet); `admit` goes by this.
    producer.appData.pausedBySender = paused;
    if (peer.waiting) return producerInfo(peer, producer);
    if (paused) await producer.pause();
    else {
      await producer.resume();
      this.flow.kick();
    }
    const info = producerInfo(peer, producer);
    this.emit(paused ? 'producerPaused' : 'producerResumed', info);
    return info;
  }

  closeProducer(peer: Peer, producerId: string): void {
    peer.getProducer(producerId).close();
  }

  /** Idempotent: closes every peer and the router. */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.flow.close();
    for (const peer of this.allPeers()) peer.close();
    this.peers.clear();
    this.waiting.clear();
    if (!this.router.closed) this.router.close();
    this.emit('closed');
  }
}

function producerInfo(peer: Peer, producer: types.Producer): ProducerInfo {
  return {
    peerId: peer.id,
    producerId: producer.id,
    kind: producer.kind,
    source: (producer.appData.source as MediaSource) ?? 'camera',
    paused: producer.paused,
    waiting: peer.waiting,
  };
}
