// `npm run bench:reports`: how long the dashboard's summary takes on a year of a busy desk.
//
// Generates `--tickets` tickets (100,000 by default) spread over a year, with replies, status and
// escalation events, calls, ticket and call CSAT, NPS answers and SLA breaches (bench/reportsData.ts,
// in SQL), then times `GET /api/reports/summary`'s work (ReportsService.summary, every query the
// route runs) for the last 30 days and for the whole 365 days, `--runs` times each after one
// warm-up, on PGlite (a data directory, in its worker thread, as the embedded default runs it) and,
// when DATABASE_URL is set, on a fresh PostgreSQL database. Prints p50/p95 per backend and range.
// The target: p95 under 1 s for 365 days on PostgreSQL.
//
//   npm run bench:reports -- [--tickets 100000] [--runs 7]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../server/db/client';
import { ReportsRepository } from '../server/reports/repository';
import { reportQuerySchema } from '../server/reports/schemas';
import { ReportsService } from '../server/reports/service';
import { generateDesk, YEAR_START } from './reportsData';
import { fmt, formatTable, percentile, writeResults } from './stats';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: { tickets: { type: 'string', default: '100000' }, runs: { type: 'string', default: '7' } },
});
const TICKETS = Number(values.tickets);
const RUNS = Number(values.runs);

const YEAR_END = new Date(Date.parse(YEAR_START) + 365 * 86_400_000);
const ranges = {
  '30 days': reportQuerySchema.parse({
    from: new Date(YEAR_END.getTime() - 30 * 86_400_000).toISOString(),
    to: YEAR_END.toISOString(),
    tz: 'Asia/Shanghai',
  }),
  '365 days': reportQuerySchema.parse({ from: YEAR_START, to: YEAR_END.toISOString(), tz: 'Asia/Shanghai' }),
};

async function postgres(): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> } | null> {
  const base = process.env.DATABASE_URL;
  if (!base) return null;
  const name = `livedesk_bench_reports_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ database: { kind: 'postgres', url: url.toString() } });
  return {
    handle,
    drop: async () => {
      await handle.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function measure(backend: string, handle: DatabaseHandle) {
  const started = performance.now();
  await generateDesk(handle.db, TICKETS);
  console.log(`${backend}: generated ${TICKETS} tickets in ${fmt((performance.now() - started) / 1000)} s`);
  const service = new ReportsService(new ReportsRepository(handle.db), 5);
  const rows: string[][] = [];
  const results: Record<string, { p50: number; p95: number; samples: number[] }> = {};
  for (const [label, query] of Object.entries(ranges)) {
    const first = await service.summary(query); // warm-up (plans, caches)
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await service.summary(query);
      samples.push(performance.now() - t0);
    }
    const p50 = percentile(samples, 50);
    const p95 = percentile(samples, 95);
    results[label] = { p50, p95, samples };
    rows.push([backend, label, String(first.tickets.created), fmt(p50, 0), fmt(p95, 0)]);
  }
  return { rows, results };
}

const table: string[][] = [['backend', 'range', 'tickets created', 'p50 ms', 'p95 ms']];
const out: Record<string, unknown> = {
  tickets: TICKETS,
  runs: RUNS,
  machine: { cpus: os.cpus().length, load: os.loadavg() },
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-bench-reports-'));
try {
  const lite = await openDatabase({ database: { kind: 'pglite', dir } });
  try {
    const { rows, results } = await measure('PGlite', lite);
    table.push(...rows);
    out.pglite = results;
  } finally {
    await lite.close();
  }
  const pgDb = await postgres();
  if (pgDb) {
    try {
      const { rows, results } = await measure('PostgreSQL', pgDb.handle);
      table.push(...rows);
      out.postgres = results;
    } finally {
      await pgDb.drop();
    }
  } else console.log('PostgreSQL: not run (set DATABASE_URL to include it).');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(formatTable(table));
console.log(
  `(load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${os.cpus().length} cores: a shared machine inflates these)`,
);
console.log(`results: ${writeResults(BENCH_DIR, 'reports', out)}`);
