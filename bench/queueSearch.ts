// Queue search at size: `npm run bench:queue-search [-- --tickets 100000 --rounds 20 --database pglite|postgres|both]`.
//
// Generates `--tickets` tickets (mixed Chinese and English subjects, three messages each, 2,000
// customers with Chinese and English names) with SQL `generate_series` — not the API — and their
// search documents built from terms the shared tokenizer (server/search/textTokens.ts, through
// server/tickets/searchTerms.ts) made of each template, exactly as the server would have stored them.
// Then runs a set of queue searches through QueueService (the code behind GET /api/queue/search:
// the page of rows, its count and the ticket views) `--rounds` times each and prints p50/p95 per
// query and over all of them, per backend. PostgreSQL needs DATABASE_URL. Target: p95 < 100 ms.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createApp } from '../server/app';
import { loadConfig } from '../server/config';
import { QueueRepository } from '../server/queues/repository';
import type { QueueSearchQuery } from '../server/queues/schemas';
import { QueueService } from '../server/queues/service';
import { customerTerms, messageTerms, ticketTerms } from '../server/tickets/searchTerms';
import { UsersRepository } from '../server/users/repository';
import { toPublicUser } from '../server/users/service';
import type { QueueSort } from '../signaling/shared/queues';
import { type Backend, isolatedDatabase } from '../tests/helpers/database';
import { round, summarize } from './stats';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: process.env.DATABASE_URL ? 'both' : 'pglite' },
    tickets: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '20' },
  },
});
const ticketCount = Number(values.tickets);
const rounds = Number(values.rounds);
const backends: Backend[] =
  values.database === 'both' ? ['pglite', 'postgres'] : [values.database as Backend];
const CUSTOMERS = 2_000;

const SUBJECTS = [
  '课程视频无法播放',
  '直播课卡顿，声音断断续续',
  '支付失败，银行卡已扣款',
  '申请退款：课程与描述不符',
  '无法登录，提示密码错误',
  '作业提交后显示空白',
  '手机号换了，怎么修改账号',
  '发票什么时候开具',
  '证书下载失败',
  '老师的屏幕共享看不到',
  'Course video will not play on Safari',
  'Refund for a course I never started',
  'Cannot sign in after password reset',
  'Payment declined but money was taken',
  'Live class keeps freezing on Wi-Fi',
  'How do I publish an assignment?',
  'Certificate shows the wrong name',
  'Screen share is black for students',
  'Invoice needed for my company',
  'Microphone not detected in the browser',
];
const MESSAGES = [
  '您好，请问您使用的是什么浏览器和网络？',
  '我用的是 Chrome，家里的宽带。',
  '请清除缓存后再试一次，如果还不行我们安排工程师远程协助。',
  '退款会在三到五个工作日内原路退回。',
  'Could you share a screenshot of the error?',
  'I tried another browser and it still fails.',
  'We refunded the payment; it should arrive within five days.',
  'Please check that the camera permission is allowed.',
  'Internal: looks like the CDN issue from last week.',
  '已经升级给二线工程师处理。',
];
const NAMES = [
  '王芳',
  '李娜',
  '张伟',
  '刘洋',
  '陈静',
  'Emily Carter',
  'James Wilson',
  'Sofia Rossi',
  'Chen Hao',
  'Olivia Brown',
];

const QUERIES: Array<{ label: string; query: Partial<QueueSearchQuery> & { sort?: QueueSort } }> = [
  { label: '视频 (Chinese word)', query: { q: '视频' } },
  { label: '课程视频无法播放 (phrase)', query: { q: '课程视频无法播放' } },
  { label: 'refunds (stemmed)', query: { q: 'refunds' } },
  { label: 'password reset', query: { q: 'password reset' } },
  { label: '支付 失败 + active', query: { q: '支付 失败', status: ['active'] } },
  { label: 'customer name 王芳', query: { q: '王芳' } },
  { label: 'refu (prefix), oldest', query: { q: 'refu', sort: 'oldest' } },
  { label: 'ticket number', query: { q: String(1000 + Math.ceil(ticketCount / 2)) } },
  { label: 'rare word + P1', query: { q: 'certificate', priority: ['P1'] } },
  {
    label: 'no words: active P1, by priority',
    query: { status: ['active'], priority: ['P1', 'P2'], sort: 'priority' },
  },
  { label: 'no words: unassigned chat', query: { assignee: 'none', channel: ['chat'] } },
  { label: 'SLA breached', query: { sla: ['breached'] } },
];

async function generate(db: Awaited<ReturnType<typeof createApp>>['db']['db']) {
  const started = performance.now();
  const literal = (terms: string[]) => sql`${sql.param(terms)}::text[]`;
  await db.execute(sql`CREATE TEMP TABLE bench_terms (kind text, idx int, terms text[], label text)`);
  const rows = [
    ...SUBJECTS.map(
      (s, i) =>
        sql`('subject', ${i}, ${literal(ticketTerms({ number: 0, subject: s, description: s }).filter((x) => x !== '0'))}, ${s})`,
    ),
    ...MESSAGES.map((m, i) => sql`('message', ${i}, ${literal(messageTerms(m))}, ${m})`),
    ...NAMES.map(
      (n, i) =>
        sql`('name', ${i}, ${literal(customerTerms({ name: n, email: 'x@example.com' }).filter((x) => x !== 'x'))}, ${n})`,
    ),
  ];
  await db.execute(sql`INSERT INTO bench_terms VALUES ${sql.join(rows, sql`, `)}`);
  await db.execute(sql`
    INSERT INTO users (email, name, role, password_hash)
    SELECT 'customer' || g || '@bench.example', (ARRAY[${sql.join(
      NAMES.map((n) => sql`${n}`),
      sql`, `,
    )}])[1 + g % ${NAMES.length}] || ' ' || g, 'customer', 'x'
    FROM generate_series(1, ${CUSTOMERS}) g`);
  // Subject g % S, messages (g*7+k) % M, requester the (g % C)-th bench customer; a spread of
  // statuses, priorities, channels and ages (some updated recently).
  await db.execute(sql`
    WITH customers AS (
      SELECT array_agg(id ORDER BY email) AS ids FROM users WHERE email LIKE '%@bench.example'
    )
    INSERT INTO tickets (subject, description, category, requester_id, priority, status, channel, tier, created_at, updated_at)
    SELECT s.subject, s.subject, (ARRAY['account','payment','course','technical','video_call','other'])[1 + g % 6],
      c.ids[1 + g % ${CUSTOMERS}],
      (ARRAY['P1','P2','P3','P4'])[1 + (g / 7) % 4]::ticket_priority,
      (ARRAY['new','open','pending','on_hold','solved','closed','closed','solved'])[1 + (g / 3) % 8]::ticket_status,
      (ARRAY['portal','chat','email','phone'])[1 + (g / 5) % 4]::ticket_channel,
      (ARRAY['L1','L1','L2','L3'])[1 + (g / 11) % 4]::agent_tier,
      now() - make_interval(mins => g), now() - make_interval(mins => (g * 13) % 100000)
    FROM generate_series(1, ${ticketCount}) g
    CROSS JOIN customers c
    JOIN (SELECT ordinality - 1 AS i, subject FROM unnest(ARRAY[${sql.join(
      SUBJECTS.map((x) => sql`${x}`),
      sql`, `,
    )}]) WITH ORDINALITY AS u(subject, ordinality)) s ON s.i = g % ${SUBJECTS.length}`);
  await db.execute(sql`
    INSERT INTO ticket_messages (ticket_id, author_id, kind, body, created_at)
    SELECT t.id, t.requester_id, 'public', m.body, t.created_at + make_interval(mins => k)
    FROM tickets t
    CROSS JOIN generate_series(1, 3) k
    JOIN (SELECT ordinality - 1 AS i, body FROM unnest(ARRAY[${sql.join(
      MESSAGES.map((x) => sql`${x}`),
      sql`, `,
    )}]) WITH ORDINALITY AS u(body, ordinality)) m ON m.i = ((t.number - 1000) * 7 + k) % ${MESSAGES.length}
    WHERE t.subject IS NOT NULL AND t.description = t.subject`);
  await db.execute(sql`
    INSERT INTO ticket_search (ticket_id, terms, public_terms, customer_terms)
    SELECT t.id, d.doc, d.doc, array_to_tsvector(n.terms || ARRAY[split_part(u.email, '@', 1), 'bench', 'example'])
    FROM tickets t
    JOIN users u ON u.id = t.requester_id
    JOIN bench_terms s ON s.kind = 'subject' AND s.idx = (t.number - 1000) % ${SUBJECTS.length}
    JOIN bench_terms n ON n.kind = 'name' AND u.name LIKE n.label || ' %'
    CROSS JOIN LATERAL (
      SELECT array_to_tsvector(s.terms || ARRAY[t.number::text]) || coalesce(
        (SELECT tsvector_agg FROM (SELECT string_agg(array_to_string(bt.terms, ' '), ' ') AS tsvector_agg
          FROM generate_series(1, 3) k JOIN bench_terms bt ON bt.kind = 'message' AND bt.idx = ((t.number - 1000) * 7 + k) % ${MESSAGES.length}) x)::tsvector,
        ''::tsvector) AS doc
    ) d
    ON CONFLICT (ticket_id) DO NOTHING`);
  await db.execute(sql`ANALYZE tickets`);
  await db.execute(sql`ANALYZE ticket_search`);
  return performance.now() - started;
}

for (const backend of backends) {
  const { database, drop } = await isolatedDatabase(backend);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-queue-bench-'));
  const app = await createApp({
    ...loadConfig({
      DATA_DIR: dataDir,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      MEDIASOUP_WORKERS: '1',
      SEED_DEMO: 'true',
      DEMO_PASSWORD: 'demo-password-for-bench',
      JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256',
      SLA_CHECK_INTERVAL_SECONDS: '0',
    }),
    database,
  });
  try {
    const generatedMs = await generate(app.db.db);
    const agent = toPublicUser(
      (await new UsersRepository(app.db.db).findByEmail('supervisor@demo.livedesk'))!,
    );
    const repo = new QueueRepository(app.db.db);
    const queue = new QueueService(repo, app.tickets);
    const all: number[] = [];
    const allSql: number[] = [];
    console.log(
      `${backend}: ${ticketCount} tickets, ${ticketCount * 3} messages generated in ${round(generatedMs / 1000, 1)} s`,
    );
    for (const { label, query } of QUERIES) {
      const full = { sort: 'updated' as const, limit: 50, offset: 0, ...query } as QueueSearchQuery;
      const first = await queue.search(agent, full); // warm-up (plans, caches, jieba's dictionary)
      const { sort, limit, offset, ...filters } = full;
      const criteria = queue.criteriaFor(agent, filters);
      const times: number[] = [];
      const sqlTimes: number[] = [];
      for (let i = 0; i < rounds; i++) {
        let started = performance.now();
        await Promise.all([repo.search(criteria, sort, limit, offset), repo.count(criteria)]);
        sqlTimes.push(performance.now() - started);
        started = performance.now();
        await queue.search(agent, full);
        times.push(performance.now() - started);
      }
      all.push(...times);
      allSql.push(...sqlTimes);
      const s = summarize(times);
      const q = summarize(sqlTimes);
      console.log(
        `${backend}: ${label.padEnd(36)} ${`${first.total}${first.totalCapped ? '+' : ''}`.padStart(7)} matches  search SQL p50 ${round(q.p50, 1)} / p95 ${round(q.p95, 1)} ms  with ticket views p50 ${round(s.p50, 1)} / p95 ${round(s.p95, 1)} ms`,
      );
    }
    const q = summarize(allSql);
    console.log(
      `${backend}: all queries, search SQL (page + count): p50 ${round(q.p50, 1)} ms, p95 ${round(q.p95, 1)} ms (target p95 < 100 ms)`,
    );
    const s = summarize(all);
    console.log(
      `${backend}: all queries, with the ticket views of the page (SLA clocks …): p50 ${round(s.p50, 1)} ms, p95 ${round(s.p95, 1)} ms`,
    );
  } finally {
    await app.close();
    await drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
