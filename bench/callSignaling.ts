// Call signaling without browsers: `npm run bench:call-signaling [-- --calls 40]`.
//
// WHAT IS MEASURED
//   How long the server takes to answer the requests that set a call up — `call:start` (the
//   agent's click), `call:answer` (the customer's Accept) and `call:join` (each side) — from the
//   moment a socket emits the request to its ack. One agent/customer pair calls, answers, joins
//   and hangs up `--calls` times in a row on the embedded database (PGlite, as `npm start` runs
//   it); the first call is a warm-up. No media flows: the time is the server's (its checks, its
//   database reads and writes, the media worker's router and peers), which is what `bench:join`
//   cannot separate from two browsers' CPU. Each request's time is mostly its sequential round
//   trips to the database's thread and the media worker, so this is where fewer of them show.
//   (Processes spinning on the other cores did not slow these requests: the scheduler wakes a
//   sleeping server thread ahead of them. Under bench:join's background chat the same requests
//   take several times longer, behind the chat's work on the server's event loop.)
//
// OUTPUT
//   p50, p95 and max of each request in milliseconds, and of the whole set-up (start → both
//   joined). JSON in bench/results/call-signaling-<date>.json.
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BROWSER_RTP_CAPABILITIES, ok } from '../tests/helpers/callClient';
import { startTestApp } from '../tests/helpers/testApp';
import { closePairs, createPairs } from './callSetup';
import { fmt, formatTable, percentile, writeResults } from './stats';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '40' },
  },
});
const calls = Number(values.calls);
if (!Number.isInteger(calls) || calls < 2) {
  console.error('usage: --calls <n ≥ 2>');
  process.exit(2);
}

const REQUESTS = ['call:start', 'call:answer', 'agent call:join', 'customer call:join', 'set-up'] as const;
type Timings = Record<(typeof REQUESTS)[number], number[]>;

const t = await startTestApp({ seedDemo: false });
const [pair] = await createPairs(t, 1, 'signaling');
const timed = async <T>(into: number[] | null, fn: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const result = await fn();
  into?.push(performance.now() - started);
  return result;
};

async function oneCall(times: Timings | null): Promise<void> {
  const { agentSocket, customerSocket, ticketId } = pair!;
  const started = performance.now();
  const call = ok(
    await timed(times?.['call:start'] ?? null, () => agentSocket.emitWithAck('call:start', { ticketId })),
  );
  ok(
    await timed(times?.['call:answer'] ?? null, () =>
      customerSocket.emitWithAck('call:answer', { callId: call.id, accept: true }),
    ),
  );
  const join = { callId: call.id, rtpCapabilities: BROWSER_RTP_CAPABILITIES };
  await Promise.all([
    timed(times?.['agent call:join'] ?? null, () => agentSocket.emitWithAck('call:join', join)).then(ok),
    timed(times?.['customer call:join'] ?? null, () => customerSocket.emitWithAck('call:join', join)).then(
      ok,
    ),
  ]);
  times?.['set-up'].push(performance.now() - started);
  ok(await agentSocket.emitWithAck('call:hangup', { callId: call.id }));
}

const times = Object.fromEntries(REQUESTS.map((r) => [r, [] as number[]])) as unknown as Timings;
await oneCall(null);
for (let i = 1; i < calls; i++) await oneCall(times);
closePairs([pair!]);
await t.close();

console.log(
  `\nLivedesk call signaling without browsers (PGlite, one server in this process; ${os.cpus().length} cores, ` +
    `load average ${os.loadavg()[0]!.toFixed(1)} at the end; ${calls - 1} calls after a warm-up)\n`,
);
const rows = [['request', 'p50', 'p95', 'max']];
for (const r of REQUESTS) {
  const v = times[r];
  rows.push([r, `${fmt(percentile(v, 50))} ms`, `${fmt(percentile(v, 95))} ms`, `${fmt(Math.max(...v))} ms`]);
}
console.log(formatTable(rows));
console.log(
  `\nJSON summary: ${writeResults(path.dirname(fileURLToPath(import.meta.url)), 'call-signaling', { calls, times })}`,
);
process.exit(0);
