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
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, protocol, TransactionAbortedError } from '@electric-sql/pglite';

/** @type {{ dir: string | null, statementStatsFile?: string }} */
const { dir, statementStatsFile } = workerData;
const db = dir ? new PGlite(dir) : new PGlite();
if (statementStatsFile) profileStatements(db, statementStatsFile);

/**
 * For profiling (PGLITE_STATEMENT_STATS=<file>): the time this thread spends inside PostgreSQL per
 * statement text (its first 160 characters), rewritten to <file> as JSON every 2 s, the costliest
 * first. It wraps PGlite's synchronous protocol call, so waiting behind the query mutex is not
 * counted, only the database's own work; `calls` counts protocol messages (a parse, a bind and an
 * execute of one query are three), `ms` is what to read. `(syncToFs)` is the data directory's flush.
 */
function profileStatements(instance, file) {
  const stats = new Map();
  let current = '?';
  const raw = instance.execProtocolRawSync.bind(instance);
  const decoder = new TextDecoder();
  instance.execProtocolRawSync = (message) => {
    const kind = message[0];
    if (kind === 0x50 || kind === 0x51) {
      // Parse: 'P' len name\0 query\0; simple query: 'Q' len query\0.
      let at = 5;
      if (kind === 0x50) while (message[at] !== 0) at++;
      if (kind === 0x50) at++;
      let end = at;
      while (end < message.length && message[end] !== 0) end++;
      current = decoder.decode(message.subarray(at, Math.min(end, at + 160))).replace(/\s+/g, ' ');
    }
    const t = performance.now();
    try {
      return raw(message);
    } finally {
      const entry = stats.get(current) ?? { calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += performance.now() - t;
      stats.set(current, entry);
    }
  };
  const sync = instance.syncToFs.bind(instance);
  instance.syncToFs = async (...args) => {
    const t = performance.now();
    try {
      return await sync(...args);
    } finally {
      const entry = stats.get('(syncToFs)') ?? { calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += performance.now() - t;
      stats.set('(syncToFs)', entry);
    }
  };
  setInterval(() => {
    const rows = [...stats.entries()].map(([sql, e]) => ({ sql, ...e })).sort((a, b) => b.ms - a.ms);
    writeFileSync(file, JSON.stringify(rows, null, 1));
  }, 2000).unref();
}

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

/**
 * Resolves once BEGIN has run, with the id later statements of this transaction carry.
 * `over` is called once the transaction has ended (committed, rolled back or failed).
 */
function begin(over) {
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
    done.then(over, over);
  });
}

async function handle(m, over) {
  switch (m.op) {
    case 'ready':
      await db.waitReady;
      return null;
    case 'query':
      return target(m.txId).query(m.sql, m.params, queryOptions(m.options));
    case 'exec':
      return target(m.txId).exec(m.sql, queryOptions(m.options));
    case 'begin':
      return begin(over);
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

function reply(m, work) {
  return work.then(
    (result) => {
      parentPort.postMessage({ id: m.id, result });
      if (m.op === 'close') parentPort.close();
    },
    (err) => parentPort.postMessage({ id: m.id, error: serializeError(err) }),
  );
}

/*
 * Who gets the database next. Left to PGlite, callers are served in the order they ask (its query
 * mutex), so each step of a call's join, which waits for the one before, queues behind every chat
 * send that asked first: with the database saturated, a chain of eight reads took ~500 ms instead
 * of ~37 ms (`npm run bench:db`, its lanes table). Here requests from outside a transaction wait
 * in two lanes, and the urgent one (`urgent: true`, `PGliteRemote.urgentLane`) goes first. One
 * such request holds the database at a time: a statement until it has returned, a transaction
 * from BEGIN until it has ended. A transaction's own statements, its end and `ready` go at once.
 */
const lanes = { urgent: [], normal: [] };
let holding = false;

function pump() {
  if (holding) return;
  const m = lanes.urgent.shift() ?? lanes.normal.shift();
  if (!m) return;
  holding = true;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    holding = false;
    pump();
  };
  // A transaction keeps the database until it is over; BEGIN failing is over too.
  const work = handle(m, release);
  if (m.op === 'begin') work.catch(release);
  else work.then(release, release);
  void reply(m, work);
}

parentPort.on('message', (m) => {
  const queued =
    m.txId === undefined && (m.op === 'query' || m.op === 'exec' || m.op === 'begin' || m.op === 'close');
  if (!queued) {
    void reply(
      m,
      handle(m, () => {}),
    );
    return;
  }
  (m.urgent ? lanes.urgent : lanes.normal).push(m);
  pump();
});
