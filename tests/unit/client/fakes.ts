// Fakes of the client cores' injection points (client/src/lib/requests.ts `RealtimeRequests`, the
// call engine's `DeviceLoader`), so the cores run in Node: our own seams, not stand-ins for a
// library. Requests are answered by handlers the test sets, or held until the test answers them.

import { EventEmitter } from 'node:events';
import type { Device } from 'mediasoup-client/types';
import type { DeviceLoader } from '../../../client/src/lib/call/joinRequests';
import type { AckData, ConnectionStatus, EmitPayload } from '../../../client/src/lib/requests';
import { SocketRequestError } from '../../../client/src/lib/socket';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../signaling/shared/protocol';

type Event = keyof ClientToServerEvents;
type Handler<E extends Event> = (payload: EmitPayload<E>) => AckData<E> | Promise<AckData<E>>;

interface Held {
  event: Event;
  payload: unknown;
  resolve(data: unknown): void;
  reject(err: unknown): void;
}

/** A request the server refuses, as RealtimeConnection rejects it. */
export function refusal(
  code: ConstructorParameters<typeof SocketRequestError>[0],
  message: string = code,
): SocketRequestError {
  return new SocketRequestError(code, message);
}

export class FakeSignaling {
  status: ConnectionStatus = 'connected';
  /** Every request, in the order sent. */
  readonly sent: Array<{ event: Event; payload: unknown }> = [];
  readonly volatile: Array<{ event: Event; payload: unknown }> = [];
  private readonly handlers = new Map<Event, Handler<never>>();
  private readonly held: Held[] = [];
  private readonly listeners = new Map<string, Set<(payload: never) => void>>();
  private readonly statusListeners = new Set<() => void>();

  /** Answers every later `event` request with `handler` (which may throw a `refusal`). */
  handle<E extends Event>(event: E, handler: Handler<E>): void {
    this.handlers.set(event, handler as Handler<never>);
  }

  /** Stops answering `event`: its requests are held until `answer`/`refuse`. */
  hold(event: Event): void {
    this.handlers.delete(event);
  }

  request<E extends Event>(event: E, payload: EmitPayload<E>): Promise<AckData<E>> {
    this.sent.push({ event, payload });
    if (this.status !== 'connected')
      return Promise.reject(refusal('network', 'The live connection is not available.'));
    const handler = this.handlers.get(event) as Handler<E> | undefined;
    if (handler) {
      try {
        return Promise.resolve(handler(payload));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return new Promise((resolve, reject) => {
      this.held.push({ event, payload, resolve: resolve as (d: unknown) => void, reject });
    });
  }

  emitVolatile<E extends Event>(event: E, payload: EmitPayload<E>): void {
    this.volatile.push({ event, payload });
  }

  /** The held requests of `event`, oldest first. */
  heldOf(event: Event): Held[] {
    return this.held.filter((h) => h.event === event);
  }

  /** Answers the oldest held `event` request. */
  answer<E extends Event>(event: E, data: AckData<E>): void {
    this.take(event).resolve(data);
  }

  refuse(event: Event, err: unknown): void {
    this.take(event).reject(err);
  }

  private take(event: Event): Held {
    const i = this.held.findIndex((h) => h.event === event);
    if (i < 0) throw new Error(`no held ${event} request`);
    return this.held.splice(i, 1)[0]!;
  }

  sentOf<E extends Event>(event: E): Array<EmitPayload<E>> {
    return this.sent.filter((s) => s.event === event).map((s) => s.payload as EmitPayload<E>);
  }

  on<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(handler as (payload: never) => void);
    return () => set.delete(handler as (payload: never) => void);
  }

  /** The server sends `event`. */
  emit<E extends keyof ServerToClientEvents>(
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
  ): void {
    for (const handler of [...(this.listeners.get(event) ?? [])])
      (handler as (p: typeof payload) => void)(payload);
  }

  listenerCount(): number {
    let n = this.statusListeners.size;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  getStatus = (): ConnectionStatus => this.status;

  subscribe = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  };

  setStatus(status: ConnectionStatus): void {
    this.status = status;
    for (const listener of [...this.statusListeners]) listener();
  }
}

// ----- media ------------------------------------------------------------------------------------

let nextId = 1;
const id = (prefix: string) => `${prefix}-${nextId++}`;

export class FakeTrack extends EventEmitter {
  readonly id = id('track');
  readyState: 'live' | 'ended' = 'live';
  constructor(
    readonly kind: 'audio' | 'video',
    readonly label = `${kind} device`,
  ) {
    super();
  }
  stop(): void {
    this.readyState = 'ended';
  }
  /** The device went away by itself (unplugged). */
  unplug(): void {
    this.readyState = 'ended';
    this.emit('ended');
  }
  addEventListener(event: string, handler: () => void, options?: { once?: boolean }): void {
    if (options?.once) this.once(event, handler);
    else this.on(event, handler);
  }
  removeEventListener(event: string, handler: () => void): void {
    this.off(event, handler);
  }
  getSettings(): { deviceId: string } {
    return { deviceId: `${this.label}-id` };
  }
}

export function track(kind: 'audio' | 'video', label?: string): MediaStreamTrack {
  return new FakeTrack(kind, label) as unknown as MediaStreamTrack;
}

class FakeProducer {
  closed = false;
  paused = false;
  constructor(
    readonly id: string,
    public track: MediaStreamTrack | null,
    readonly appData: { source: string },
  ) {}
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  close(): void {
    this.closed = true;
  }
  async replaceTrack({ track }: { track: MediaStreamTrack | null }): Promise<void> {
    this.track = track;
  }
}

class FakeConsumer {
  closed = false;
  readonly observer = new EventEmitter();
  readonly track: MediaStreamTrack;
  constructor(
    readonly id: string,
    readonly producerId: string,
    readonly kind: 'audio' | 'video',
  ) {
    this.track = track(kind);
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.observer.emit('close');
  }
}

/** A transport as mediasoup-client's looks to the engine: events, produce/consume, close. */
export class FakeTransport extends EventEmitter {
  closed = false;
  connectionState = 'new';
  readonly observer = new EventEmitter();
  readonly producers: FakeProducer[] = [];
  readonly consumers: FakeConsumer[] = [];
  iceRestarts = 0;
  private connected = false;

  constructor(
    readonly id: string,
    readonly direction: 'send' | 'recv',
    /** False: ICE and DTLS never finish by themselves (the test calls `setState`). */
    private readonly autoConnect = true,
  ) {
    super();
  }

  /** As the browser does on the first produce/consume: DTLS parameters to the server, then ICE. */
  private connectOnce(): void {
    if (this.connected) return;
    this.connected = true;
    this.emit(
      'connect',
      { dtlsParameters: {} },
      () => {},
      () => {},
    );
    if (this.autoConnect) queueMicrotask(() => this.setState('connected'));
  }

  setState(state: string): void {
    if (this.closed) return;
    this.connectionState = state;
    this.emit('connectionstatechange', state);
  }

  async produce(options: { track: MediaStreamTrack; appData: { source: string } }): Promise<FakeProducer> {
    if (this.closed) throw new Error('transport closed');
    this.connectOnce();
    const producerId = await new Promise<string>((resolve, reject) => {
      this.emit(
        'produce',
        { kind: options.track.kind, rtpParameters: {}, appData: options.appData },
        ({ id }: { id: string }) => resolve(id),
        reject,
      );
    });
    const producer = new FakeProducer(producerId, options.track, options.appData);
    this.producers.push(producer);
    return producer;
  }

  async consume(options: { id: string; producerId: string; kind: 'audio' | 'video' }): Promise<FakeConsumer> {
    if (this.closed) throw new Error('transport closed');
    this.connectOnce();
    const consumer = new FakeConsumer(options.id, options.producerId, options.kind);
    this.consumers.push(consumer);
    return consumer;
  }

  async restartIce(): Promise<void> {
    this.iceRestarts++;
  }

  async getStats(): Promise<Map<string, unknown>> {
    return new Map();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.producers) p.close();
    for (const c of this.consumers) c.close();
    this.observer.emit('close');
  }
}

export class FakeDevice {
  readonly recvRtpCapabilities = { codecs: [{ mimeType: 'video/VP8' }] };
  readonly transports: FakeTransport[] = [];
  /** False: transports stay connecting until the test says otherwise (FakeTransport.setState). */
  autoConnect = true;
  createSendTransport(options: { id: string }): FakeTransport {
    const t = new FakeTransport(options.id, 'send', this.autoConnect);
    this.transports.push(t);
    return t;
  }
  createRecvTransport(options: { id: string }): FakeTransport {
    const t = new FakeTransport(options.id, 'recv', this.autoConnect);
    this.transports.push(t);
    return t;
  }
  transport(transportId: string): FakeTransport {
    const t = this.transports.find((x) => x.id === transportId);
    if (!t) throw new Error(`no transport ${transportId}`);
    return t;
  }
}

export function deviceLoader(device: FakeDevice): DeviceLoader {
  return {
    loaded: () => device as unknown as Device,
    load: async () => device as unknown as Device,
    preload: () => {},
  };
}

/** Lets every pending promise callback run (the cores chain a few awaits per step). */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
