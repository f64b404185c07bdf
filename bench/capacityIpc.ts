// bench:capacity's driver and its load process (bench/capacityLoad.ts) talk over Node's IPC
// channel: the messages, and the driver's side (`startLoad`).
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReceiverCount } from './capacityMath';

export type StreamName = 'camera' | 'mic' | 'screen';

/** What the clip is made of (one FFmpeg encode, captured as RTP, replayed by every source). */
export interface MediaProfile {
  camera: { width: number; height: number; fps: number; kbps: number };
  screen: { width: number; height: number; fps: number; kbps: number };
  audioKbps: number;
  clipSeconds: number;
}

/** A source the load process sends: one stream of the clip to a producer's PlainTransport. */
export interface SourceSpec {
  port: number;
  ssrc: number;
  payloadType: number;
  stream: StreamName;
}

export interface LoadStats {
  /** Packets sent per source, by producer port (cumulative). */
  sent: Array<[number, number]>;
  /** Per receiver, by its own port (cumulative): RTP of the consumer's SSRC. */
  received: Array<[number, ReceiverCount]>;
  /** The latest a packet left after it was due since the previous stats request, ms. */
  lagMaxMs: number;
}

export interface StreamInfo {
  packets: number;
  packetsPerSecond: number;
  kbps: number;
}

export type DriverToLoad =
  | { type: 'prepare'; id: number; media: MediaProfile }
  | { type: 'receivers'; id: number; count: number }
  | { type: 'watch'; id: number; receivers: Array<{ port: number; ssrc: number }> }
  | { type: 'sources'; id: number; sources: SourceSpec[] }
  | { type: 'stop'; id: number; ports: number[] }
  | { type: 'stats'; id: number };

export type LoadToDriver =
  | { type: 'reply'; id: number; data: unknown }
  | { type: 'error'; id: number; message: string };

type Request = DriverToLoad extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

/** The load process, forked with tsx; `request` sends a message and resolves with its reply. */
export function startLoad() {
  const child = fork(path.join(BENCH_DIR, 'capacityLoad.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (data: unknown) => void; reject: (err: Error) => void }>();
  let nextId = 1;
  let exited = false;
  child.on('message', (raw) => {
    const message = raw as LoadToDriver;
    const waiter = waiting.get(message.id);
    if (!waiter) return;
    waiting.delete(message.id);
    if (message.type === 'reply') waiter.resolve(message.data);
    else waiter.reject(new Error(`load process: ${message.message}`));
  });
  child.once('exit', (code) => {
    exited = true;
    for (const waiter of waiting.values()) waiter.reject(new Error(`the load process exited (${code})`));
    waiting.clear();
  });
  const request = <T>(message: Request): Promise<T> => {
    if (exited) return Promise.reject(new Error('the load process has exited'));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (data: unknown) => void, reject });
      child.send({ ...message, id });
    });
  };
  return {
    pid: child.pid!,
    prepare: (media: MediaProfile) => request<Record<StreamName, StreamInfo>>({ type: 'prepare', media }),
    receivers: (count: number) => request<number[]>({ type: 'receivers', count }),
    watch: (receivers: Array<{ port: number; ssrc: number }>) => request<null>({ type: 'watch', receivers }),
    sources: (sources: SourceSpec[]) => request<null>({ type: 'sources', sources }),
    stop: (ports: number[]) => request<null>({ type: 'stop', ports }),
    stats: () => request<LoadStats>({ type: 'stats' }),
    kill: () => {
      if (!exited) child.kill('SIGKILL');
    },
  };
}

export type Load = ReturnType<typeof startLoad>;
