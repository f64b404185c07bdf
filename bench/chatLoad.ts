// bench:join's background chat (see bench/join.ts): customer/agent pairs chatting at bench:chat's
// paced rate against the join benchmark's server, from a process of its own so that neither the
// Playwright driver nor this load shares an event loop with the other. Forked with an IPC channel:
//
//   → { type: 'start', url, pairs, intervalMs }   connect and subscribe every pair's two sockets
//   ← { type: 'connected', sockets }
//   → { type: 'run' }                              chat: each pair one message every intervalMs
//   → { type: 'pause' }                            no new message until resumed
//   ← { type: 'paused' }                           … and none is in flight any more
//   → { type: 'resume' }                           chat again, on the paced schedule from now
//   ← { type: 'resumed' }
//   → { type: 'stop' }                             finish the messages in flight
//   ← { type: 'result', run }                      delivery, ack and slip figures (bench/chatClient.ts);
//                                                  the rate is over the time it chatted, pauses left out
//
// The client code is bench:chat's own (bench/chatClient.ts), so "the bench:chat paced rate" means
// the same load model: 1,000 sockets at 2,500 ms is 200 messages per second.
import { connectPairs, disconnectPairs, PacedPause, type Pair, pacedRun, type RunResult } from './chatClient';
import type { BenchPair } from './serverProbe';
import { round } from './stats';

export type ChatLoadCommand =
  | { type: 'start'; url: string; pairs: BenchPair[]; intervalMs: number }
  | { type: 'run' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' };
export type ChatLoadReport =
  | { type: 'connected'; sockets: number }
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'result'; run: RunResult }
  | { type: 'error'; message: string };

// Nothing to tell once the driver is gone (this process exits on disconnect).
const send = (message: ChatLoadReport) => process.connected && process.send?.(message);

let pairs: Pair[] = [];
let intervalMs = 2500;
const pause = new PacedPause();
let stop: () => void = () => {};
const stopped = new Promise<void>((resolve) => {
  stop = resolve;
});

async function handle(command: ChatLoadCommand) {
  if (command.type === 'start') {
    intervalMs = command.intervalMs;
    pairs = await connectPairs(
      { customer: command.url, agent: command.url },
      command.pairs,
      0,
      command.pairs.length,
      200,
    );
    send({ type: 'connected', sockets: pairs.length * 2 });
  } else if (command.type === 'run') {
    const run = await pacedRun(
      { servers: [], sockets: pairs.length * 2, pairs },
      0,
      intervalMs,
      'bg',
      stopped,
      pause,
    );
    // Over the time it chatted: the paused stretches (bench:join's idle runs) are left out.
    const chattedMs = run.durationMs - pause.pausedMs;
    run.deliveredPerSecond = round((run.delivered / chattedMs) * 1000, 1);
    send({ type: 'result', run });
    disconnectPairs(pairs);
    setTimeout(() => process.exit(0), 200);
  } else if (command.type === 'pause') {
    await pause.pause();
    send({ type: 'paused' });
  } else if (command.type === 'resume') {
    pause.resume();
    send({ type: 'resumed' });
  } else {
    stop();
  }
}

process.on('message', (raw) => {
  handle(raw as ChatLoadCommand).catch((err: unknown) => {
    send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    setTimeout(() => process.exit(1), 200);
  });
});
// The driver went away: do not linger with a thousand sockets open.
process.on('disconnect', () => process.exit(0));
