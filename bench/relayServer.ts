// The baseline of `npm run bench:chat`: a bare socket.io relay, the upper bound of what the
// transport itself moves on this machine (see bench/chat.ts).
//
//   tsx bench/relayServer.ts <pairs>      (forked by the driver with an IPC channel)
//
// No database, no accounts, no validation library: a token maps to a pair and a side
// (`relay-customer-<i>` / `relay-agent-<i>`), `ticket:subscribe` joins the pair's room, and
// `message:send` builds a message of the same shape as Livedesk's, emits it to the pair's room as
// `message:created` (both sockets receive it, as with Livedesk's ticket room) and acknowledges it.
// socket.io runs with the options Livedesk's signaling/server.ts gives it (message size limit,
// connection-state recovery), so the ratio bench:chat prints is Livedesk's own work, not a
// difference of transport settings. It answers the driver's stats requests through the same
// bench/serverProbe.ts as bench/chatServer.ts.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { SOCKET_MESSAGE_MAX_BYTES } from '../signaling/shared/limits';
import type { ClientToServerEvents, MessageView, ServerToClientEvents } from '../signaling/shared/protocol';
import { type BenchPair, failToDriver, installProbe, sendToDriver } from './serverProbe';

interface SocketData {
  pair: number;
  side: 'customer' | 'agent';
}

async function main() {
  const pairCount = Number(process.argv[2]);
  if (!Number.isInteger(pairCount) || pairCount < 1) throw new Error('usage: relayServer.ts <pairs>');
  const started = performance.now();
  const httpServer = createServer();
  // Only the events the benchmark sends are served; the maps keep payloads typed as Livedesk's.
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(
    httpServer,
    {
      serveClient: false,
      maxHttpBufferSize: SOCKET_MESSAGE_MAX_BYTES,
      connectionStateRecovery: { maxDisconnectionDuration: 30_000, skipMiddlewares: false },
    },
  );
  const ticketOf = (pair: number) => `relay-ticket-${pair}`;
  io.use((socket, next) => {
    const match = /^relay-(customer|agent)-(\d+)$/.exec(String(socket.handshake.auth.token ?? ''));
    if (!match || Number(match[2]) >= pairCount) return next(new Error('unauthorized'));
    socket.data = { side: match[1] as SocketData['side'], pair: Number(match[2]) };
    next();
  });
  let seq = 0;
  io.on('connection', (socket) => {
    const ticketId = ticketOf(socket.data.pair);
    socket.on('ticket:subscribe', (payload, ack) => {
      if (payload?.ticketId !== ticketId) {
        ack({ ok: false, error: { code: 'forbidden', message: 'not your ticket' } });
        return;
      }
      void socket.join(ticketId);
      // The driver only reads `ok`; Livedesk sends the ticket's view here.
      ack({ ok: true, data: { ticket: null as never } });
    });
    socket.on('message:send', (payload, ack) => {
      if (payload?.ticketId !== ticketId || typeof payload.body !== 'string') {
        ack({ ok: false, error: { code: 'bad_request', message: 'bad message' } });
        return;
      }
      const message: MessageView = {
        id: randomUUID(),
        seq: ++seq,
        ticketId,
        author: {
          id: `${socket.data.side}-${socket.data.pair}`,
          name: `Relay ${socket.data.side} ${socket.data.pair}`,
          role: socket.data.side,
          tier: socket.data.side === 'agent' ? 'L1' : null,
        },
        kind: 'public',
        body: payload.body,
        system: null,
        bot: null,
        clientMessageId: payload.clientMessageId,
        attachments: [],
        createdAt: new Date().toISOString(),
      };
      io.to(ticketId).emit('message:created', message);
      ack({ ok: true, data: message });
    });
  });

  const probe = installProbe({
    sockets: () => io.engine.clientsCount,
    onDisconnect: (listener) => io.on('connection', (socket) => socket.on('disconnect', listener)),
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const pairs: BenchPair[] = Array.from({ length: pairCount }, (_, i) => ({
    customerToken: `relay-customer-${i}`,
    agentToken: `relay-agent-${i}`,
    ticketId: ticketOf(i),
  }));
  probe.start();
  sendToDriver({
    type: 'ready',
    url: `http://127.0.0.1:${port}`,
    pairs,
    setupMs: performance.now() - started,
    gcExposed: probe.gcExposed,
  });
}

main().catch(failToDriver);
