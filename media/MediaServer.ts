import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { CallRoom } from './CallRoom';
import { MEDIA_CODECS } from './codecs';
import { MediaError } from './errors';
import { type ListenAddress, portRangeOf, routerAppData, webRtcListenInfos } from './listenInfos';
import type { FlowCheckTiming } from './MediaFlowWatch';

/** How long a new call waits for a media worker when none is alive (see createRouter); less than
 * the 10 s a browser waits for an answer to its join. */
const WORKER_WAIT_MS = 8_000;

export interface MediaServerOptions {
  numWorkers: number;
  logLevel: types.WorkerLogLevel;
  /**
   * Each address WebRTC transports listen on, with the address browsers are told when it differs
   * (a wildcard or NAT). Every entry becomes an ICE candidate, UDP and TCP.
   */
  listenIps: ListenAddress[];
  rtcMinPort: number;
  rtcMaxPort: number;
  /** How often each room reads mediasoup's counters while it waits for media to flow (tests). */
  flowCheck?: FlowCheckTiming;
}

interface Logger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

interface WorkerSlot {
  index: number;
  worker: types.Worker;
  /** Routers alive on this worker; new calls go to the least-loaded slot. */
  routers: Set<types.Router>;
  ports: { min: number; max: number };
  /** Transports alive on this worker (WebRTC and plain): each holds ports of the slot's range. */
  transports: number;
}

export interface WorkerCapacity {
  index: number;
  alive: boolean;
  routers: number;
  /** Transports open on this worker now. */
  transports: number;
  /** How many it can hold: its ports, each transport taking one per listen address. */
  transportCapacity: number;
}

export interface MediaServerHealth {
  workersConfigured: number;
  workersAlive: number;
  routers: number;
  transports: number;
  transportCapacity: number;
  /** No live worker can take one more person's two transports: new calls would fail. */
  exhausted: boolean;
  workers: WorkerCapacity[];
}

/** A person in a call holds a send and a receive transport. */
const TRANSPORTS_PER_PEER = 2;

/**
 * Owns the pool of mediasoup workers (one per core by default) and hands out routers, one per
 * call, on the least-loaded worker. A worker that dies is replaced in its slot instead of taking
 * the process down.
 *
 * Events:
 *  - `workerDied` ({ index, pid, routers }) when a worker process exits unexpectedly; the routers
 *    listed were on it and are now closed, so their calls must rejoin.
 *  - `workerReplaced` ({ index, pid }) once the replacement worker is up.
 *  - `closed` after close().
 */
export class MediaServer extends EventEmitter {
  private readonly slots: WorkerSlot[] = [];
  private readonly rooms = new Map<string, CallRoom>();
  /** Room creations in flight, so two simultaneous joins of one call get the same room. */
  private readonly creating = new Map<string, Promise<CallRoom>>();
  private closedFlag = false;
  private capabilities: Promise<types.RtpCapabilities> | undefined;

  private constructor(
    private readonly options: MediaServerOptions,
    private readonly logger: Logger,
  ) {
    super();
  }

  static async create(options: MediaServerOptions, logger: Logger): Promise<MediaServer> {
    const server = new MediaServer(options, logger);
    try {
      for (let i = 0; i < options.numWorkers; i++) await server.startWorker(i);
    } catch (err) {
      server.close();
      throw err;
    }
    return server;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /**
   * Splits the configured RTC port range evenly between workers so two workers never race for
   * the same port.
   */
  private portsFor(index: number): { min: number; max: number } {
    const { rtcMinPort, rtcMaxPort, numWorkers } = this.options;
    const span = Math.floor((rtcMaxPort - rtcMinPort + 1) / numWorkers);
    if (span < 1) return { min: rtcMinPort, max: rtcMaxPort };
    const min = rtcMinPort + index * span;
    return { min, max: index === numWorkers - 1 ? rtcMaxPort : min + span - 1 };
  }

  private async startWorker(index: number): Promise<WorkerSlot> {
    const ports = this.portsFor(index);
    // The worker's ports are given to each transport (see listenInfos.ts), not to the worker.
    const worker = await mediasoup.createWorker({ logLevel: this.options.logLevel });
    const slot: WorkerSlot = { index, worker, routers: new Set(), ports, transports: 0 };
    this.slots[index] = slot;
    worker.on('died', (error) => void this.onWorkerDied(slot, error));
    this.logger.info({ index, pid: worker.pid, ports }, 'mediasoup worker started');
    return slot;
  }

  private async onWorkerDied(slot: WorkerSlot, error: Error): Promise<void> {
    const routers = [...slot.routers];
    slot.routers.clear();
    this.logger.error(
      { index: slot.index, pid: slot.worker.pid, err: error, routers: routers.length },
      'mediasoup worker died; replacing it',
    );
    this.emit('workerDied', { index: slot.index, pid: slot.worker.pid, routers });
    if (this.closedFlag) return;
    // Retry with a growing pause: a worker that cannot start must not spin the CPU.
    for (let attempt = 0; !this.closedFlag; attempt++) {
      try {
        const replacement = await this.startWorker(slot.index);
        this.emit('workerReplaced', { index: slot.index, pid: replacement.worker.pid });
        return;
      } catch (err) {
        this.logger.error({ index: slot.index, err, attempt }, 'could not start a replacement worker');
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 500 * 2 ** attempt)));
      }
    }
  }

  /**
   * A new router (one per call) on the worker that currently carries the fewest routers. When no
   * worker is alive (they all died, the replacements are starting), it waits for one up to
   * `WORKER_WAIT_MS`: the calls told to rejoin after a worker death do so at once, and on a busy
   * machine a replacement takes a moment.
   */
  async createRouter(appData: Record<string, unknown> = {}): Promise<types.Router> {
    if (this.closedFlag) throw new Error('the media server is closed');
    let slot = this.leastLoadedSlot();
    if (!slot) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.off('workerReplaced', done);
          this.off('closed', done);
          resolve();
        };
        const timer = setTimeout(done, WORKER_WAIT_MS);
        this.on('workerReplaced', done);
        this.on('closed', done);
      });
      slot = this.closedFlag ? undefined : this.leastLoadedSlot();
    }
    if (!slot)
      throw new MediaError('unavailable', 'No media server is available right now; try again shortly.');
    const router = await slot.worker.createRouter({
      mediaCodecs: MEDIA_CODECS,
      appData: routerAppData(appData, slot.ports),
    });
    slot.routers.add(router);
    const worker = slot.worker;
    router.observer.on('newtransport', (transport: types.Transport) => {
      // Counted against the worker the router lives on, not the slot (a replacement reuses it).
      if (slot.worker !== worker) return;
      slot.transports++;
      transport.observer.once('close', () => {
        if (slot.worker === worker) slot.transports--;
      });
    });
    // When the worker dies, mediasoup closes its routers *before* emitting 'died'; keep them in
    // the set then, so onWorkerDied can report which calls were lost.
    router.observer.on('close', () => {
      if (!slot.worker.closed) slot.routers.delete(router);
    });
    return router;
  }

  private leastLoadedSlot(): WorkerSlot | undefined {
    const alive = this.slots.filter((s) => s && !s.worker.closed);
    return alive.sort((a, b) => a.routers.size - b.routers.size)[0];
  }

  /**
   * The RTP capabilities every router of this server has (they follow from MEDIA_CODECS alone), so
   * a browser can load its device before it joins a call. Learned once from a short-lived router.
   */
  routerRtpCapabilities(): Promise<types.RtpCapabilities> {
    this.capabilities ??= (async () => {
      const router = await this.createRouter({ purpose: 'capabilities' });
      const caps = router.rtpCapabilities;
      router.close();
      return caps;
    })().catch((err) => {
      this.capabilities = undefined;
      throw err;
    });
    return this.capabilities;
  }

  /** The call's room, creating it (on the least-loaded worker) when it does not exist yet. */
  getOrCreateRoom(callId: string): Promise<CallRoom> {
    const existing = this.rooms.get(callId);
    if (existing && !existing.closed) return Promise.resolve(existing);
    let pending = this.creating.get(callId);
    if (!pending) {
      pending = (async () => {
        const router = await this.createRouter({ callId });
        const room = await CallRoom.create(
          callId,
          router,
          this.webRtcTransportOptions(router),
          this.options.flowCheck,
        );
        this.rooms.set(callId, room);
        room.once('closed', () => {
          if (this.rooms.get(callId) === room) this.rooms.delete(callId);
        });
        return room;
      })().finally(() => this.creating.delete(callId));
      this.creating.set(callId, pending);
    }
    return pending;
  }

  getRoom(callId: string): CallRoom | undefined {
    const room = this.rooms.get(callId);
    return room && !room.closed ? room : undefined;
  }

  /**
   * Transport options for browsers on one of this server's routers (in its worker's port range):
   * UDP preferred, TCP as a fallback for strict networks.
   */
  webRtcTransportOptions(router: types.Router): types.WebRtcTransportOptions {
    return {
      listenInfos: webRtcListenInfos(this.options.listenIps, portRangeOf(router)),
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: 1_000_000,
    };
  }

  /**
   * What the workers hold against what they can: mediasoup gives every WebRTC transport one port
   * of its worker's range per listen address (UDP and TCP each from their own port space), so a
   * worker holds (ports in its slice) / (listen addresses) transports. Plain transports (the
   * recorder's) take fewer, so the figure errs on the safe side.
   */
  health(): MediaServerHealth & { rooms: number } {
    const perTransport = Math.max(1, this.options.listenIps.length);
    const workers = this.slots
      .filter((s) => s)
      .map((s) => ({
        index: s.index,
        alive: !s.worker.closed,
        routers: s.routers.size,
        transports: s.worker.closed ? 0 : s.transports,
        transportCapacity: Math.floor((s.ports.max - s.ports.min + 1) / perTransport),
      }));
    const alive = workers.filter((w) => w.alive);
    return {
      workersConfigured: this.options.numWorkers,
      workersAlive: alive.length,
      routers: alive.reduce((n, w) => n + w.routers, 0),
      transports: alive.reduce((n, w) => n + w.transports, 0),
      transportCapacity: alive.reduce((n, w) => n + w.transportCapacity, 0),
      exhausted: !alive.some((w) => w.transportCapacity - w.transports >= TRANSPORTS_PER_PEER),
      workers,
      rooms: this.rooms.size,
    };
  }

  /** The worker process ids, slot by slot (for tests and operations). */
  workerPids(): number[] {
    return this.slots.map((s) => s.worker.pid);
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const room of this.rooms.values()) room.close();
    for (const slot of this.slots) slot?.worker.close();
    this.emit('closed');
  }
}
