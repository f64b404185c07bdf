import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { MediaError } from './errors';
import { CONSUMERS_PER_PEER, MEDIA_LIMITS } from './limits';

export type MediaSource = 'mic' | 'camera' | 'screen';

export interface PeerInfo {
  /** The authenticated user's id: a peer's identity always comes from the server. */
  id: string;
  name: string;
  role: string;
}

/**
 * One participant in a call room and the mediasoup objects that belong to them. Every lookup goes
 * through this peer's own maps and throws when the id is not theirs, so a client can never reach
 * another peer's transport, producer or consumer by guessing an id.
 *
 * Events: `closed` once, after close().
 */
export class Peer extends EventEmitter {
  readonly transports = new Map<string, types.WebRtcTransport>();
  readonly producers = new Map<string, types.Producer>();
  readonly consumers = new Map<string, types.Consumer>();
  /**
   * The browser transport each producer and consumer travels on, for the SFU's own evidence that
   * media flows (MediaFlowWatch). Tracks fed by the server itself (a PlainTransport it made: the
   * tests' and benchmarks' RTP sources and receivers) have none: no DTLS to wait for.
   */
  private readonly carriers = new Map<string, types.WebRtcTransport>();
  rtpCapabilities: types.RtpCapabilities | undefined;
  /**
   * Set when one of its transports first completes DTLS (CallRoom.createTransport), not at join: a
   * peer still without it after JOIN_TIMEOUT_MS never really connected and is removed.
   */
  joinedAt: Date | undefined;
  /**
   * On the device check, not in the call yet (CallRoom.prepare): its transports connect and its
   * tracks are set up, but nothing it sends is forwarded and nothing it receives flows until
   * CallRoom.admit.
   */
  waiting = false;
  private closedFlag = false;
  /**
   * Creations under way, counted against the limits before mediasoup is asked: a client firing
   * many requests at once must not get past a check that only sees finished objects.
   */
  private readonly pendingTransports = { send: 0, recv: 0 };
  private readonly pendingSources = new Set<MediaSource>();
  private readonly consuming = new Map<string, Promise<types.Consumer>>();

  private constructor(readonly info: PeerInfo) {
    super();
  }

  static async create(info: PeerInfo): Promise<Peer> {
    return new Peer(info);
  }

  get id(): string {
    return this.info.id;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  getTransport(id: string): types.WebRtcTransport {
    const transport = this.transports.get(id);
    if (!transport) throw new MediaError('not_found', 'No such transport on this connection.');
    return transport;
  }

  getProducer(id: string): types.Producer {
    const producer = this.producers.get(id);
    if (!producer) throw new MediaError('not_found', 'No such producer on this connection.');
    return producer;
  }

  getConsumer(id: string): types.Consumer {
    const consumer = this.consumers.get(id);
    if (!consumer) throw new MediaError('not_found', 'No such consumer on this connection.');
    return consumer;
  }

  /**
   * Claims a place for a new transport in `direction` (MEDIA_LIMITS), or throws `media_limit`.
   * The returned function gives the place back; adding the transport takes it over.
   */
  reserveTransport(direction: 'send' | 'recv'): () => void {
    let inUse = this.pendingTransports[direction];
    for (const t of this.transports.values()) if (t.appData.direction === direction) inUse++;
    if (inUse >= MEDIA_LIMITS.transportsPerDirection) {
      throw new MediaError(
        'media_limit',
        `You already have a ${direction === 'send' ? 'sending' : 'receiving'} connection in this call.`,
      );
    }
    this.pendingTransports[direction]++;
    return once(() => this.pendingTransports[direction]--);
  }

  /** Claims the place of a track from `source` (one each, at most three), or throws. */
  reserveProducer(source: MediaSource): () => void {
    for (const existing of this.producers.values()) {
      if (existing.appData.source === source) {
        throw new MediaError('conflict', `You are already sending ${source}; stop it first.`);
      }
    }
    if (this.pendingSources.has(source)) {
      throw new MediaError('conflict', `You are already starting ${source}; wait for it.`);
    }
    if (this.producers.size + this.pendingSources.size >= MEDIA_LIMITS.producersPerPeer) {
      throw new MediaError('media_limit', 'You are already sending as many tracks as a call uses.');
    }
    this.pendingSources.add(source);
    return once(() => this.pendingSources.delete(source));
  }

  /**
   * The consumer of `producerId` this peer has, or is being made: each track is received once, and
   * asking again (the server made one with the track's announcement while the browser asked too)
   * gets the same one back instead of a second.
   */
  consumerOf(producerId: string): types.Consumer | Promise<types.Consumer> | undefined {
    for (const consumer of this.consumers.values()) if (consumer.producerId === producerId) return consumer;
    return this.consuming.get(producerId);
  }

  /**
   * Registers a consumer of `producerId` being made, after checking there is room for it; throws
   * `media_limit` when the peer already receives every track a full call has. Call it in the same
   * turn as the request to mediasoup, so a concurrent ask finds it in `consumerOf`.
   */
  startConsuming(producerId: string, making: () => Promise<types.Consumer>): Promise<types.Consumer> {
    if (this.consumers.size + this.consuming.size >= CONSUMERS_PER_PEER) {
      throw new MediaError('media_limit', 'You are already receiving as many tracks as a call has.');
    }
    const promise = making();
    this.consuming.set(producerId, promise);
    const done = () => {
      if (this.consuming.get(producerId) === promise) this.consuming.delete(producerId);
    };
    promise.then(done, done);
    return promise;
  }

  addTransport(transport: types.WebRtcTransport): void {
    this.transports.set(transport.id, transport);
    transport.observer.once('close', () => this.transports.delete(transport.id));
  }

  addProducer(producer: types.Producer, carrier?: types.WebRtcTransport): void {
    this.producers.set(producer.id, producer);
    if (carrier) this.carriers.set(producer.id, carrier);
    producer.observer.once('close', () => {
      this.producers.delete(producer.id);
      this.carriers.delete(producer.id);
    });
  }

  addConsumer(consumer: types.Consumer, carrier?: types.WebRtcTransport): void {
    this.consumers.set(consumer.id, consumer);
    if (carrier) this.carriers.set(consumer.id, carrier);
    consumer.observer.once('close', () => {
      this.consumers.delete(consumer.id);
      this.carriers.delete(consumer.id);
    });
  }

  /**
   * Whether the transport carrying this producer or consumer has finished its DTLS handshake with
   * the browser (mediasoup's own state, not the client's word). Server-fed tracks have no handshake.
   */
  carrierConnected(producerOrConsumerId: string): boolean {
    const carrier = this.carriers.get(producerOrConsumerId);
    return !carrier || (!carrier.closed && carrier.dtlsState === 'connected');
  }

  /** Idempotent. Closing the transports closes their producers and consumers with them. */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
    this.carriers.clear();
    this.emit('closed');
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
