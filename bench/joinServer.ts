// The server half of `npm run bench:join` (see bench/join.ts for what is measured and how).
//
// Runs ONE real Livedesk app (`startTestApp`: HTTP + socket.io + mediasoup + PGlite, the production
// wiring from `createApp`) in its own process, as a deployment would: the driver's Playwright
// traffic (every page mark arrives over the DevTools protocol) then never shares this event loop
// and never delays a signaling answer. Started by the driver with an IPC channel:
//
//   tsx bench/joinServer.ts [pglite|postgres] [<chat pairs>] [<baseline page origin>]
//
// and then:
//   1. with <chat pairs> (bench:join's --background-chat sockets / 2) creates that many customer/agent
//      pairs with a chat ticket each (bench/chatSetup.ts, as bench:chat's server does); sends
//      `{ type: 'ready', url, chatPairs }`;
//   2. for every `call:*` request that expects an answer, sends `{ type: 'request', … }` when it
//      is answered: who asked (user id), the event, when it arrived and when it was answered
//      (epoch ms: the wall clock as it reads then, as the pages' marks), whether the answer was ok,
//      and whether it was a real join (with the browser's RTP capabilities);
//   3. on `{ type: 'shutdown' }` (or when the driver goes away) closes the app and exits.
import { startTestApp } from '../tests/helpers/testApp';
import { setUpPairs } from './chatSetup';
import type { BenchPair } from './serverProbe';

export interface ServerRequest {
  type: 'request';
  userId: string;
  event: string;
  received: number;
  acked: number;
  ok: boolean;
  /** A `call:join` that carried the browser's RTP capabilities (one without only learns them). */
  realJoin: boolean;
}

export type JoinServerToDriver =
  | { type: 'ready'; url: string; chatPairs: BenchPair[] }
  | { type: 'progress'; message: string }
  | ServerRequest
  | { type: 'error'; message: string };
export type JoinDriverToServer = { type: 'shutdown' };

// The wall clock as it reads now, not this process's time origin + now: the machine's clock may
// be stepped while the benchmark runs, and the pages' marks (read in pages loaded since) follow it.
const epochNow = () => Date.now();
// Nothing to tell once the driver is gone (it stops this process then).
const send = (message: JoinServerToDriver) => process.connected && process.send?.(message);

async function main() {
  const app = await startTestApp({
    // pglite (embedded, as `npm start`) or postgres (DATABASE_URL): the driver's --database.
    backend: process.argv[2] === 'postgres' ? 'postgres' : 'pglite',
    // Media addresses as `npm start` picks them (127.0.0.1 among them); only the ring is longer.
    // The baseline page's origin (argv[4]) is admitted as an operator admits another site.
    env: {
      CALL_RING_SECONDS: '600',
      CALL_REJOIN_GRACE_SECONDS: '30',
      ...(process.argv[4] ? { ALLOWED_ORIGINS: process.argv[4] } : {}),
    },
  });
  const chatPairCount = Number(process.argv[3] ?? 0);
  const chatPairs =
    chatPairCount > 0
      ? await setUpPairs(app.app, chatPairCount, (message) => send({ type: 'progress', message }), 'bgchat')
      : [];
  app.app.io.on('connection', (socket) => {
    socket.use((packet, next) => {
      const [event, payload] = packet as [string, { rtpCapabilities?: { codecs?: unknown[] } }];
      const ack = packet[packet.length - 1];
      const userId = socket.data.user?.id;
      if (userId && event.startsWith('call:') && typeof ack === 'function') {
        const received = epochNow();
        const realJoin = event === 'call:join' && Boolean(payload?.rtpCapabilities?.codecs?.length);
        packet[packet.length - 1] = (result: { ok?: boolean }) => {
          const acked = epochNow();
          (ack as (r: unknown) => void)(result);
          send({ type: 'request', userId, event, received, acked, ok: result?.ok === true, realJoin });
        };
      }
      next();
    });
  });

  // REST requests too (the pages' loads compete with the joins for the server), named by method
  // and path; whose they are comes from the bearer token's subject (read, not verified: the app
  // verifies it).
  app.app.httpServer.on('request', (req, res) => {
    const received = epochNow();
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    let userId: unknown;
    try {
      userId = token
        ? JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).sub
        : undefined;
    } catch {
      userId = undefined;
    }
    if (typeof userId !== 'string') return;
    const event = `${req.method} ${(req.url ?? '').split('?')[0]}`;
    res.once('finish', () =>
      send({
        type: 'request',
        userId,
        event,
        received,
        acked: epochNow(),
        ok: res.statusCode < 400,
        realJoin: false,
      }),
    );
  });

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await app.close().catch(() => {});
    process.exit(0);
  };
  process.on('message', (message: JoinDriverToServer) => {
    if (message.type === 'shutdown') void shutdown();
  });
  // The driver went away (crashed or was stopped): do not linger.
  process.on('disconnect', () => void shutdown());
  send({ type: 'ready', url: app.url, chatPairs });
}

main().catch((err: unknown) => {
  send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
