import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { envSchema } from '../../server/config';
import { openDatabase } from '../../server/db/client';
import { ticketMessages } from '../../server/db/schema';
import type { AckResult, MessageView, TicketView } from '../../signaling/shared/protocol';
import { type ClientSocket, connectSocket } from '../helpers/sockets';
import { DEMO, DEMO_PASSWORD, login, TEST_JWT_SECRET } from '../helpers/testApp';

// Acknowledged means durable on the embedded default: `server/main.ts` (PGlite with a data
// directory, in its worker thread) takes a stream of chat messages over the socket and is killed
// with SIGKILL in the middle of it, several times, each time restarted on the same directory. The
// client does what a real one does: it resends what was not acknowledged, with the same
// clientMessageId. At the end every message is stored exactly once, in the order it was sent.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const KILLS = 3;
const NEW_PER_RUN = 40;
/** Acknowledgements after which a run is killed: with WINDOW sends in flight. */
const KILL_AFTER_ACKS = 25;
const WINDOW = 8;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-crash-'));
const running: ChildProcess[] = [];

afterAll(async () => {
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the server the way `npm start` does, on the shared data directory; resolves with its URL. */
function start(): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!(key in envSchema.shape) && !key.startsWith('VITEST')) env[key] = value;
  }
  Object.assign(env, {
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    MEDIASOUP_WORKERS: '1',
    SLA_CHECK_INTERVAL_SECONDS: '0',
    SEED_DEMO: 'true',
    DEMO_PASSWORD,
    JWT_SECRET: TEST_JWT_SECRET,
    // One customer sends 160 messages as fast as acks come back, far faster than a person may:
    // the per-person chat limit (tested in userLimits.test.ts) is lifted for this durability test.
    CHAT_MESSAGES_PER_TEN_SECONDS: '100000',
  });
  // tsx as a loader, not its CLI: the CLI runs the server in a child process of its own, which a
  // SIGKILL to the CLI would leave running.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env });
  running.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`server exited ${code ?? signal}:\n${output}`)));
    child.stderr!.on('data', (chunk) => {
      output += chunk;
    });
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const banner = /Livedesk is running at (\S+)/.exec(output);
      if (banner) resolve({ child, url: banner[1]! });
    });
  });
}

/**
 * Sends `queue` in order with up to WINDOW messages in flight; `onAck` sees each acknowledgement.
 * Resolves when the queue is done or the socket is gone (the server was killed).
 */
function pump(socket: ClientSocket, ticketId: string, queue: string[], onAck: (id: string) => void) {
  return new Promise<void>((resolve, reject) => {
    let inFlight = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve();
    };
    socket.on('disconnect', finish);
    const fill = () => {
      while (!done && inFlight < WINDOW && queue.length > 0) {
        const id = queue.shift()!;
        inFlight++;
        socket.emit(
          'message:send',
          { ticketId, body: `message ${id}`, clientMessageId: id },
          (res: AckResult<MessageView>) => {
            inFlight--;
            if (!res.ok) return reject(new Error(`${id} refused: ${res.error.code} ${res.error.message}`));
            expect(res.data.clientMessageId).toBe(id);
            onAck(id);
            fill();
          },
        );
      }
      if (!done && inFlight === 0 && queue.length === 0) finish();
    };
    fill();
  });
}

describe('the embedded default after kill -9', () => {
  it('keeps every acknowledged message, exactly once and in order, across repeated crashes', async () => {
    const sent: string[] = [];
    const acked = new Set<string>();
    let token = '';
    let ticketId = '';
    let customerId = '';
    let created = 0;

    for (let run = 0; run <= KILLS; run++) {
      const { child, url } = await start();
      if (run === 0) {
        token = await login(url, DEMO.customer, DEMO_PASSWORD);
        const res = await fetch(`${url}/api/tickets`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            subject: 'Crash test',
            description: 'Messages under kill -9.',
            category: 'course',
          }),
        });
        expect(res.status).toBe(201);
        const ticket = (await res.json()) as TicketView;
        ticketId = ticket.id;
        customerId = ticket.requester.id;
      }
      const socket = await connectSocket(url, token);
      // What the client still owes: everything sent but not acknowledged, then new messages.
      const queue = sent.filter((id) => !acked.has(id));
      for (let i = 0; i < NEW_PER_RUN; i++) {
        const id = `m-${String(++created).padStart(4, '0')}`;
        sent.push(id);
        queue.push(id);
      }
      const last = run === KILLS;
      let ackedThisRun = 0;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await pump(socket, ticketId, queue, (id) => {
        acked.add(id);
        if (!last && ++ackedThisRun === KILL_AFTER_ACKS) child.kill('SIGKILL');
      });
      socket.close();
      if (last) {
        expect(queue).toEqual([]);
        child.kill('SIGTERM');
      }
      await exited;
      if (!last) {
        expect(child.signalCode).toBe('SIGKILL');
        // The killed run ended mid-stream: something was still unacknowledged.
        expect(sent.some((id) => !acked.has(id))).toBe(true);
      }
    }

    expect(acked.size).toBe(sent.length);
    const handle = await openDatabase({ database: { kind: 'pglite', dir: path.join(dataDir, 'db') } });
    try {
      const stored = await handle.db
        .select({ id: ticketMessages.clientMessageId })
        .from(ticketMessages)
        .where(
          and(
            eq(ticketMessages.ticketId, ticketId),
            eq(ticketMessages.authorId, customerId),
            isNotNull(ticketMessages.clientMessageId),
          ),
        )
        .orderBy(asc(ticketMessages.seq));
      expect(stored.map((r) => r.id)).toEqual(sent);
    } finally {
      await handle.close();
    }
  }, 900_000);
});
