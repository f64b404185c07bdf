import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { MediaError } from './errors';

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
