import { Worker } from 'node:worker_threads';
import {
  protocol,
  type QueryOptions,
  type Results,
  type Transaction,
  TransactionAbortedError,
} from '@electric-sql/pglite';

type WireOptions = { rowMode?: 'array' | 'object'; paramTypes?: number[]; rawTypes?: number[] };
type Request =
  | { op: 'ready' | 'begin' | 'close' }
  | { op: 'query'; sql: string; params: unknown[]; options?: WireOptions; txId?: number }
  | { op: 'exec'; sql: string; options?: WireOptions; txId?: number }
  | { op: 'end'; txId: number; commit: boolean }
  | { op: 'rollback'; txId: number };
type WireError = { message: string; kind: 'database' | 'aborted' | 'plain'; fields: Record<string, unknown> };
type Reply = { id: number; result?: unknown; error?: WireError };

interface Pending {
  resolve(value: unknown): void;
  reject(err: unknown): void;
  /** Kept on this side: the caller's parsers, and what a PGlite error carries as queryOptions. */
  options: QueryOptions | undefined;
}

/**
 * PGlite in a worker thread (`pgliteWorker.mjs`), behind the part of PGlite's interface that
 * Drizzle's pglite driver uses: `query`, `exec` and `transaction`. Results, errors (PostgreSQL's
 * `code`, `constraint`, ... on the same error classes) and transaction semantics are PGlite's own,
 * because PGlite runs them in the worker; only the waiting moves off this thread.
 *
 * Not PGlite's `PGliteWorker`: that one elects a leader among browser tabs through
 * `navigator.locks` (absent in Node 20) and forwards an error's message only, losing its code.
 */
export class PGliteRemote {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #lastId = 0;
  /** Set once the worker is gone; every later call fails with it. */
  #failure: Error | null = null;

  private constructor(dir: string | null, statementStatsFile: string | undefined) {
    this.#worker = new Worker(new URL('./pgliteWorker.mjs', import.meta.url), {
      workerData: { dir, statementStatsFile },
    });
    this.#worker.unref();
    this.#worker.on('message', (reply: Reply) => this.#settle(reply));
    this.#worker.on('error', (err) => this.#fail(err));
    this.#worker.once('exit', (code) =>
      this.#fail(new Error(`The embedded database's worker exited (code ${code}).`)),
    );
  }

  /**
   * Starts the worker and waits until the database (a data directory, or memory for null) is open.
   * `statementStatsFile`: see PGLITE_STATEMENT_STATS in config.ts.
   */
  static async open(dir: string | null, statementStatsFile?: string): Promise<PGliteRemote> {
    const remote = new PGliteRemote(dir, statementStatsFile);
    try {
      await remote.#call({ op: 'ready' });
    } catch (err) {
      await remote.#worker.terminate();
      throw err;
    }
    return remote;
  }

  query<T>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    return this.#query<T>(sql, params, options, undefined, false);
  }

  exec(sql: string, options?: QueryOptions): Promise<Array<Results>> {
    return this.#exec(sql, options, undefined, false);
  }

  /**
   * PGlite's transaction, held open in the worker while `fn` runs here: statements through `tx`
   * run inside it; statements through this object wait in the worker until it has ended.
   * A throw from `fn` rolls back and is rethrown; a COMMIT that PostgreSQL turned into a rollback
   * throws `TransactionAbortedError`, as in-thread.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.#transaction(fn, false);
  }

  /**
   * The same database through the worker's urgent lane: its statements and transactions wait only
   * for what holds the database now and for other urgent work, never for the queue of ordinary
   * requests (a busy chat's sends). For a call being set up, whose every step waits on the last.
   */
  urgentLane(): Pick<PGliteRemote, 'query' | 'exec' | 'transaction'> {
    return {
      query: <T>(sql: string, params: unknown[] = [], options?: QueryOptions) =>
        this.#query<T>(sql, params, options, undefined, true),
      exec: (sql: string, options?: QueryOptions) => this.#exec(sql, options, undefined, true),
      transaction: <T>(fn: (tx: Transaction) => Promise<T>) => this.#transaction(fn, true),
    };
  }

  async #transaction<T>(fn: (tx: Transaction) => Promise<T>, urgent: boolean): Promise<T> {
    const txId = (await this.#call({ op: 'begin' }, undefined, urgent)) as number;
    let closed = false;
    const usable = () => {
      if (closed) throw new Error('Transaction is closed');
    };
    const tx: Transaction = {
      query: async <R>(sql: string, params?: unknown[], options?: QueryOptions) => {
        usable();
        return this.#query<R>(sql, params ?? [], options, txId);
      },
      exec: async (sql: string, options?: QueryOptions) => {
        usable();
        return this.#exec(sql, options, txId);
      },
      sql: () => Promise.reject(new Error('tx.sql is not available on the embedded database worker')),
      listen: () => Promise.reject(new Error('LISTEN is not available on the embedded database worker')),
      rollback: async () => {
        usable();
        await this.#call({ op: 'rollback', txId });
        closed = true;
      },
      get closed() {
        return closed;
      },
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (err) {
      if (!closed) {
        closed = true;
        await this.#call({ op: 'end', txId, commit: false });
      }
      throw err;
    }
    closed = true;
    await this.#call({ op: 'end', txId, commit: true });
    return result;
  }

  /** Closes the database: once this resolves, PGlite has left its data directory consistent. */
  async close(): Promise<void> {
    if (this.#failure) return;
    await this.#call({ op: 'close' });
    this.#fail(new Error('The embedded database is closed.'));
    // PGlite has closed its data directory. Tearing the thread down frees its WebAssembly memory,
    // which takes most of a second; nothing the caller does next depends on it.
    void this.#worker.terminate();
  }

  async #query<T>(sql: string, params: unknown[], options?: QueryOptions, txId?: number, urgent = false) {
    const result = (await this.#call(
      { op: 'query', sql, params, options: toWire(options), txId },
      options,
      urgent,
    )) as Results<T>;
    parseRaw(result, options);
    return result;
  }

  async #exec(sql: string, options?: QueryOptions, txId?: number, urgent = false) {
    const results = (await this.#call(
      { op: 'exec', sql, options: toWire(options), txId },
      options,
      urgent,
    )) as Results[];
    for (const result of results) parseRaw(result, options);
    return results;
  }

  /** `urgent` only matters for what waits in the worker's lanes: statements outside a transaction, BEGIN. */
  #call(request: Request, options?: QueryOptions, urgent = false): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = ++this.#lastId;
    // Referenced only while a call is pending: an open, idle database must not keep a process
    // alive, but a process awaiting a query must not exit under it either.
    if (this.#pending.size === 0) this.#worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, options });
      this.#worker.postMessage(urgent ? { ...request, id, urgent } : { ...request, id });
    });
  }

  #settle(reply: Reply) {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (reply.error) pending.reject(toError(reply.error, pending.options));
    else pending.resolve(reply.result);
  }

  #fail(err: Error) {
    this.#failure ??= err;
    for (const pending of this.#pending.values()) pending.reject(err);
    this.#pending.clear();
  }
}

function toWire(options: QueryOptions | undefined): WireOptions | undefined {
  if (!options) return undefined;
  if (options.blob || options.serializers || options.onNotice) {
    throw new Error('blob, serializers and onNotice are not available on the embedded database worker');
  }
  const rawTypes = options.parsers ? Object.keys(options.parsers).map(Number) : undefined;
  return { rowMode: options.rowMode, paramTypes: options.paramTypes, rawTypes };
}

/** Applies the caller's own parsers to the columns the worker left as text. */
function parseRaw(result: Results<unknown>, options: QueryOptions | undefined) {
  const parsers = options?.parsers;
  if (!parsers) return;
  result.fields.forEach((field, index) => {
    // PGlite calls a parser with the type id too (its array parsers need it).
    const parse = parsers[field.dataTypeID] as ((value: string, typeId: number) => unknown) | undefined;
    if (!parse) return;
    const key = options.rowMode === 'array' ? index : field.name;
    for (const row of result.rows as Record<string | number, unknown>[]) {
      const value = row[key];
      if (value !== null && value !== undefined) row[key] = parse(value as string, field.dataTypeID);
    }
  });
}

/** Rebuilds the error PGlite threw in the worker: same class, same fields, queryOptions put back. */
function toError(wire: WireError, options: QueryOptions | undefined): Error {
  let err: Error;
  if (wire.kind === 'aborted') err = new TransactionAbortedError();
  else if (wire.kind === 'database') err = new protocol.messages.DatabaseError(wire.message, 0, 'error');
  else err = new Error(wire.message);
  Object.assign(err, wire.fields);
  if (wire.kind !== 'plain') Object.assign(err, { queryOptions: options });
  return err;
}
