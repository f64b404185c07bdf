// Help-centre search quality and speed (issue 19): `npm run bench:search`.
//
// 1. Quality: the 40 articles of bench/data/helpArticles.ts are published into a fresh embedded
//    database and each of the 80 customer-phrased questions is searched in its language; prints
//    recall@3 (the answering article among the first three) and MRR (mean of 1/rank).
// 2. Speed: the set is multiplied into 10,000 published articles (each copy's sentences shuffled
//    and numbered) and the questions are searched again; prints latency percentiles.
// Runs on PGlite by default (the embedded start); BENCH_DATABASE_URL runs it on PostgreSQL.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Config } from '../server/config';
import { openDatabase } from '../server/db/client';
import { helpArticles } from '../server/db/helpSchema';
import { articleVector } from '../server/help/articles';
import { invalidateSearch, searchArticles } from '../server/help/search';
import { ARTICLES, QUESTIONS } from './data/helpArticles';
import { percentile } from './stats';

const TARGET_ARTICLES = Number(process.env.BENCH_ARTICLES ?? 10_000);
const LATENCY_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const database: Config['database'] = process.env.BENCH_DATABASE_URL
  ? { kind: 'postgres', url: process.env.BENCH_DATABASE_URL }
  : { kind: 'pglite', dir: null };

function row(title: string, body: string, a: (typeof ARTICLES)[number]) {
  const id = randomUUID();
  return {
    id,
    locale: a.locale,
    translationGroup: id,
    category: a.category,
    tags: a.tags ?? [],
    status: 'published' as const,
    title,
    body,
    publishedTitle: title,
    publishedBody: body,
    publishedAt: new Date(),
    search: sql`${articleVector(title, body, a.tags ?? [])}::tsvector`,
  };
}

async function main() {
  const handle = await openDatabase({ database });
  const db = handle.db;
  try {
    await db.delete(helpArticles);
    const keyOf = new Map<string, string>();
    for (const a of ARTICLES) {
      const values = row(a.title, a.body, a);
      keyOf.set(values.id, a.key);
      await db.insert(helpArticles).values(values);
    }
    invalidateSearch(db);

    let hits = 0;
    let reciprocal = 0;
    const misses: string[] = [];
    for (const question of QUESTIONS) {
      const results = await searchArticles(db, { q: question.q, locale: question.locale, limit: 10 });
      const rank = results.findIndex((r) => keyOf.get(r.id) === question.expect);
      if (rank >= 0 && rank < 3) hits++;
      else
        misses.push(
          `  ${question.q}  →  ${
            results
              .slice(0, 3)
              .map((r) => keyOf.get(r.id))
              .join(', ') || '(nothing)'
          } (want ${question.expect})`,
        );
      if (rank >= 0) reciprocal += 1 / (rank + 1);
    }
    const recall = hits / QUESTIONS.length;
    const mrr = reciprocal / QUESTIONS.length;
    console.log(`help search quality: ${ARTICLES.length} articles, ${QUESTIONS.length} questions`);
    console.log(`  recall@3 ${recall.toFixed(3)} (target ≥ 0.9)   MRR ${mrr.toFixed(3)}`);
    if (misses.length) console.log(`  not in the first three:\n${misses.join('\n')}`);

    // Speed: grow to TARGET_ARTICLES with shuffled, numbered copies (distinct texts, same words).
    const batch: Array<ReturnType<typeof row>> = [];
    for (let n = ARTICLES.length, copy = 1; n < TARGET_ARTICLES; copy++) {
      for (const a of ARTICLES) {
        if (n >= TARGET_ARTICLES) break;
        const sentences = a.body.split(/(?<=[.。!?！？])\s*/).filter(Boolean);
        for (let i = sentences.length - 1; i > 0; i--) {
          const j = (i * 7 + copy) % (i + 1);
          [sentences[i], sentences[j]] = [sentences[j]!, sentences[i]!];
        }
        batch.push(row(`${a.title} (${copy})`, sentences.join(' '), a));
        n++;
        if (batch.length === 500) await db.insert(helpArticles).values(batch.splice(0));
      }
    }
    if (batch.length) await db.insert(helpArticles).values(batch.splice(0));
    await db.execute(sql`ANALYZE help_articles`);
    invalidateSearch(db);
    // Warm-up (the vocabulary read, jieba's dictionary, query plans), not counted.
    for (const question of QUESTIONS.slice(0, 10))
      await searchArticles(db, { q: question.q, locale: question.locale });
    const latencies: number[] = [];
    // CPU time of the whole process (the PGlite worker thread included): what a search costs
    // whatever else the machine runs, next to the wall-clock latency a busy machine inflates.
    const cpuBefore = process.cpuUsage();
    for (let round = 0; round < LATENCY_ROUNDS; round++) {
      for (const question of QUESTIONS) {
        const started = performance.now();
        await searchArticles(db, { q: question.q, locale: question.locale, limit: 10 });
        latencies.push(performance.now() - started);
      }
    }
    const cpu = process.cpuUsage(cpuBefore);
    const cpuPerSearch = (cpu.user + cpu.system) / 1000 / latencies.length;
    console.log(
      `help search latency over ${TARGET_ARTICLES} published articles (${database.kind}), ${latencies.length} searches:`,
    );
    console.log(
      `  p50 ${percentile(latencies, 50).toFixed(1)} ms   p95 ${percentile(latencies, 95).toFixed(1)} ms (target < 50)   max ${Math.max(...latencies).toFixed(1)} ms`,
    );
    console.log(`  CPU time per search ${cpuPerSearch.toFixed(1)} ms (this process and its database thread)`);
  } finally {
    await handle.close();
  }
}

await main();
