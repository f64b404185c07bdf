import type { types } from 'mediasoup';
import type { Peer } from './Peer';

/** How often the counters are read while a flow is awaited: first quickly, then less often. */
export interface FlowCheckTiming {
  /** The first reading after something changed (a transport connected, a track resumed…). */
  intervalMs: number;
  /** The slowest pace while nothing flows yet (each reading without news doubles the pause). */
  maxIntervalMs: number;
}

export const DEFAULT_FLOW_CHECK: FlowCheckTiming = { intervalMs: 250, maxIntervalMs: 1_000 };

/** What the SFU saw of one track going from one peer to another, from mediasoup's counters. */
export interface FlowReading {
  fromPeerId: string;
  toPeerId: string;
  producerId: string;
  consumerId: string;
  /** Both transports (the sender's and the receiver's) have finished DTLS with their browser. */
  carriersConnected: boolean;
  /** Bytes the SFU received on the producer (from the sender). */
  producerBytes: number;
  /** Bytes the SFU sent on the consumer (to the receiver). */
  consumerBytes: number;
}

/**
 * Decides, from the SFU's own evidence, when media first goes from one peer to another: the
 * sender's and the receiver's transports are DTLS-connected (mediasoup's `dtlsState`), the
 * producer has received bytes and the receiver's consumer of it has sent bytes (mediasoup's
 * `getStats()`). Nothing a client reports counts: a scripted client that never completes DTLS or
 * sends no RTP is never seen flowing, and a one-way call (the customer sends nothing) is.
 *
 * Reading the counters is a request to the worker, so it only runs while a flow is awaited: it is
 * started by `kick()` (a transport connected, a track was consumed, resumed or admitted), reads
 * after `intervalMs`, then backs off to `maxIntervalMs`, and stops once every pair of peers with a
 * track between them over connected transports has been seen flowing.
 */
export class MediaFlowWatch {
  /** `${from}>${to}` of every ordered pair already seen flowing. */
  private readonly seen = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private kicked = false;
  private pause: number;
  private closedFlag = false;

  constructor(
    /** The peers in the call (not those still on the device check: nothing of theirs flows). */
    private readonly peers: () => Iterable<Peer>,
    /** Called once per ordered pair, the first time media from `from` is seen reaching `to`. */
    private readonly onFlow: (from: Peer, to: Peer) => void,
    private readonly timing: FlowCheckTiming = DEFAULT_FLOW_CHECK,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.pause = timing.intervalMs;
  }

  /** Something changed that may let media through: look again soon. */
  kick(): void {
    if (this.closedFlag) return;
    this.pause = this.timing.intervalMs;
    if (this.running) {
      this.kicked = true;
      return;
    }
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.check(), this.pause);
    this.timer.unref();
  }

  private async check(): Promise<void> {
    this.timer = undefined;
    if (this.closedFlag) return;
    this.running = true;
    this.kicked = false;
    let awaited = false;
    try {
      const readings = await this.read();
      if (this.closedFlag) return;
      for (const reading of readings) {
        const key = `${reading.fromPeerId}>${reading.toPeerId}`;
        if (this.seen.has(key)) continue;
        if (reading.carriersConnected && reading.producerBytes > 0 && reading.consumerBytes > 0) {
          this.seen.add(key);
          const from = this.find(reading.fromPeerId);
          const to = this.find(reading.toPeerId);
          if (from && to) this.onFlow(from, to);
        }
      }
      // Pairs still before DTLS need no reading: their transport's `dtlsstatechange` kicks one.
      awaited = readings.some((r) => r.carriersConnected && !this.seen.has(`${r.fromPeerId}>${r.toPeerId}`));
    } catch (err) {
      // Not expected (each track's own failure is caught in `readOne`); keep waiting, and say so.
      this.onError(err);
      awaited = true;
    } finally {
      this.running = false;
    }
    if (this.closedFlag) return;
    if (this.kicked) {
      this.pause = this.timing.intervalMs;
      this.schedule();
    } else if (awaited) {
      this.pause = Math.min(this.pause * 2, this.timing.maxIntervalMs);
      this.schedule();
    }
  }

  private find(peerId: string): Peer | undefined {
    for (const peer of this.peers()) if (peer.id === peerId && !peer.closed) return peer;
    return undefined;
  }

  /**
   * The counters of every track one peer in the call receives from another, except for pairs
   * already seen flowing. Also for tests and operations: what the SFU sees right now.
   */
  async read(options: { all?: boolean } = {}): Promise<FlowReading[]> {
    const peers = [...this.peers()].filter((p) => !p.closed);
    const owners = new Map<string, { peer: Peer; producer: types.Producer }>();
    for (const peer of peers) {
      for (const producer of peer.producers.values()) owners.set(producer.id, { peer, producer });
    }
    const pending: Array<Promise<FlowReading | undefined>> = [];
    for (const to of peers) {
      for (const consumer of to.consumers.values()) {
        const owner = owners.get(consumer.producerId);
        if (!owner || owner.peer === to || consumer.closed) continue;
        if (!options.all && this.seen.has(`${owner.peer.id}>${to.id}`)) continue;
        pending.push(this.readOne(owner.peer, owner.producer, to, consumer));
      }
    }
    return (await Promise.all(pending)).filter((r): r is FlowReading => r !== undefined);
  }

  private async readOne(
    from: Peer,
    producer: types.Producer,
    to: Peer,
    consumer: types.Consumer,
  ): Promise<FlowReading | undefined> {
    const base = {
      fromPeerId: from.id,
      toPeerId: to.id,
      producerId: producer.id,
      consumerId: consumer.id,
      carriersConnected: from.carrierConnected(producer.id) && to.carrierConnected(consumer.id),
    };
    // A consumer's statistics are its own (`outbound-rtp`) followed by its producer's
    // (`inbound-rtp`): one request to the worker gives both sides of the SFU.
    const stats = await consumer.getStats().catch(() => undefined);
    if (!stats) return undefined;
    const bytes = (type: string) =>
      stats.filter((s) => s.type === type).reduce((n, s) => n + (Number(s.byteCount) || 0), 0);
    return { ...base, producerBytes: bytes('inbound-rtp'), consumerBytes: bytes('outbound-rtp') };
  }

  /** Idempotent: no reading after this. */
  close(): void {
    this.closedFlag = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
