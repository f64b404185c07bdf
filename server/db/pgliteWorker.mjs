// The embedded database's own thread. PGlite runs PostgreSQL as synchronous WebAssembly: every
// statement holds the thread it runs on. Here it holds this worker, never the server's event loop
// (socket.io, signaling, mediasoup). `pgliteRemote.ts` is the other end; the protocol is
// `{ id, op, ... }` in, `{ id, result } | { id, error }` out.
//
// Plain JavaScript on purpose: Node 20 cannot load TypeScript in a worker thread (tsx's hooks do
// not reach a worker's entry module there), and this file must start the same way under
// `npm start`, vitest and the benchmarks.
//
// Everything below is PGlite's own public API: its query mutex keeps a statement from outside an
// open transaction waiting until the transaction ends, exactly as it does in a single thread.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, protocol, TransactionAbortedError } from '@electric-sql/pglite';

/** @type {{ dir: string | null }} */
const { dir } = workerData;
const db = dir ? new PGlite(dir) : new PGlite();

/**
 * Open transactions by id: PGlite's transaction handle and the two ways out of its callback.
 * @type {Map<number, { tx: import('@electric-sql/pglite').Transaction, finish: (commit: boolean) => Promise<void> }>}
 */
const open = new Map();
let lastTxId = 0;
const rolledBack = Symbol('rolled back by the caller');

/**
 * Parser functions cannot cross threads. The caller names the types it parses itself; those come
 * back as PostgreSQL's text so the caller's parsers see exactly what they would in-thread.
 * @param {{ rowMode?: 'array' | 'object', paramTypes?: number[], rawTypes?: number[] } | undefined} o
 */
function queryOptions(o) {
  if (!o) return undefined;
  const parsers = o.rawTypes ? Object.fromEntries(o.rawTypes.map((oid) => [oid, (v) => v])) : undefined;
  return { rowMode: o.rowMode, paramTypes: o.paramTypes, parsers };
}

/** Errors lose their own fields in a structured clone; PostgreSQL's (code, constraint, ...) must not. */
function serializeError(err) {
  if (!(err instanceof Error)) return { message: String(err), fields: {} };
  const fields = {};
  for (const [key, value] of Object.entries(err)) {
    // queryOptions holds the parser functions; the caller puts its own options back.
    if (key !== 'queryOptions' && typeof value !== 'function') fields[key] = value;
  }
  const kind =
    err instanceof TransactionAbortedError
      ? 'aborted'
      : err instanceof protocol.messages.DatabaseError
        ? 'database'
        : 'plain';
  return { message: err.message, kind, fields };
}

function target(txId) {
  if (txId === undefined) return db;
  const entry = open.get(txId);
  if (!entry) throw new Error('Transaction is closed');
  return entry.tx;
}

/** Resolves once BEGIN has run, with the id later statements of this transaction carry. */
function begin() {
  const txId = ++lastTxId;
  return new Promise((opened, failed) => {
    const done = db.transaction(
      (tx) =>
        new Promise((commit, rollback) => {
          const finish = (ok) => {
            open.delete(txId);
            if (ok) commit();
            else rollback(rolledBack);
            return done.catch((err) => {
              if (err !== rolledBack) throw err;
            });
          };
          open.set(txId, { tx, finish });
          opened(txId);
        }),
    );
    // Before BEGIN succeeded this rejects the caller; afterwards `finish` reports the outcome.
    done.catch(failed);
  });
}

async function handle(m) {
  switch (m.op) {
    case 'ready':
      await db.waitReady;
      return null;
    case 'query':
      return target(m.txId).query(m.sql, m.params, queryOptions(m.options));
    case 'exec':
      return target(m.txId).exec(m.sql, queryOptions(m.options));
    case 'begin':
      return begin();
    case 'end': {
      const entry = open.get(m.txId);
      if (!entry) throw new Error('Transaction is closed');
      await entry.finish(m.commit);
      return null;
    }
    case 'rollback':
      // The caller rolled back inside its callback; PGlite then skips COMMIT at the end.
      await target(m.txId).rollback();
      return null;
    case 'close':
      await db.close();
      return null;
    default:
      throw new Error(`unknown operation ${m.op}`);
  }
}

parentPort.on('message', (m) => {
  handle(m).then(
    (result) => {
      parentPort.postMessage({ id: m.id, result });
      if (m.op === 'close') parentPort.close();
    },
    (err) => parentPort.postMessage({ id: m.id, error: serializeError(err) }),
  );
});
