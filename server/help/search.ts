import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import {
  alternativeQuery,
  anyGroupQuery,
  planQuery,
  type QueryGroup,
  type SynonymTerms,
  synonymTerms,
} from './queryPlan';
import { readHelpSettings } from './settings';
import { buildSnippet, type Snippet } from './snippet';
import { Vocabulary } from './vocabulary';

export interface SearchResult {
  id: string;
  title: string;
  snippet: string;
  /** Where the query's words are in `snippet`, to highlight them. */
  highlights: Snippet['highlights'];
  locale: string;
  category: string;
  /** Higher is better; comparable within one search only. */
  score: number;
  /** Share of the query's words (or synonyms) the article contains, 0–1 (a bot's "good answer?"). */
  coverage: number;
}

/**
 * What a search needs besides the database rows: the vocabulary of published terms and the
 * synonyms. Read from the database and kept for `CACHE_MS`, so every node converges on changes
 * made elsewhere; a publish or a settings change on this node drops it at once (`invalidateSearch`).
 */
const CACHE_MS = 30_000;
/** How many of the cheaply ranked matches get the full score. */
const CANDIDATES = 200;
const caches = new WeakMap<
  Database,
  { at: number; value: Promise<{ vocabulary: Vocabulary; synonyms: SynonymTerms[] }> }
>();

export function invalidateSearch(db: Database): void {
  caches.delete(db);
}

function searchContext(db: Database) {
  const cached = caches.get(db);
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.value;
  const value = (async () => {
    const [stats, documents, settings] = await Promise.all([
      db.execute(
        sql`SELECT word, ndoc FROM ts_stat('SELECT search FROM help_articles WHERE status = ''published'' AND search IS NOT NULL')`,
      ) as unknown as Promise<{ rows: Array<{ word: string; ndoc: number }> }>,
      db.execute(
        sql`SELECT count(*)::int AS n FROM help_articles WHERE status = 'published'`,
      ) as unknown as Promise<{
        rows: Array<{ n: number }>;
      }>,
      readHelpSettings(db),
    ]);
    const counts = new Map(stats.rows.map((r) => [r.word, Number(r.ndoc)]));
    return {
      vocabulary: new Vocabulary(counts, Number(documents.rows[0]?.n ?? 0)),
      synonyms: synonymTerms(settings.synonyms),
    };
  })();
  caches.set(db, { at: Date.now(), value });
  value.catch(() => caches.delete(db));
  return value;
}

/**
 * Searches the published help articles: Chinese segmented by jieba and English stemmed (the shared
 * tokenizer), synonyms and typo corrections applied (`planQuery`), title matches weighted above
 * body matches, rarer words above common ones. Best first. Exported for every caller that answers
 * from the help centre (the public search, deflection, a bot).
 */
export async function searchArticles(
  db: Database,
  options: { q: string; locale?: string | undefined; limit?: number; excludeIds?: readonly string[] },
): Promise<SearchResult[]> {
  const limit = Math.min(Math.max(options.limit ?? 10, 1), 50);
  const { vocabulary, synonyms } = await searchContext(db);
  const groups = planQuery(options.q, synonyms, vocabulary);
  if (groups.length === 0) return [];
  const totalIdf = groups.reduce((sum, g) => sum + g.idf, 0);
  // One ts_rank per alternative; a group counts its best alternative (a synonym or a correction
  // never adds to the word it stands for).
  const groupScores = groups.map(
    (g) =>
      sql`(${g.idf}::float8 * GREATEST(${sql.join(
        g.alternatives.map(
          (a) => sql`ts_rank(search, ${alternativeQuery(a)}::tsquery) * ${a.factor}::float8`,
        ),
        sql`, `,
      )}))`,
  );
  const groupHits = groups.map(
    (g) =>
      sql`(CASE WHEN search @@ (${g.alternatives.map((a) => `(${alternativeQuery(a)})`).join(' | ')})::tsquery THEN ${g.idf}::float8 ELSE 0 END)`,
  );
  const exclude = options.excludeIds?.length ? options.excludeIds : null;
  // Two steps: the candidates by one cheap rank over every match (GIN finds them), then the full
  // score (per word, by rarity, best alternative) on those only. Keeps a search over 10,000
  // articles in tens of milliseconds: the full score costs one ts_rank per alternative and row.
  const any = anyGroupQuery(groups);
  const result = (await db.execute(sql`
    SELECT id, published_title AS title, published_body AS body, locale, category,
      (${sql.join(groupScores, sql` + `)}) AS score,
      (${sql.join(groupHits, sql` + `)}) AS hits
    FROM (
      SELECT id, published_title, published_body, locale, category, published_at, search
      FROM help_articles
      WHERE status = 'published'
        AND search @@ ${any}::tsquery
        ${options.locale ? sql`AND locale = ${options.locale}` : sql``}
        ${exclude ? sql`AND id <> ALL(${`{${exclude.join(',')}}`}::uuid[])` : sql``}
      ORDER BY ts_rank(search, ${any}::tsquery) DESC
      LIMIT ${CANDIDATES}
    ) AS candidates
    ORDER BY score DESC, published_at DESC, id
    LIMIT ${limit}
  `)) as unknown as {
    rows: Array<{
      id: string;
      title: string;
      body: string;
      locale: string;
      category: string;
      score: number;
      hits: number;
    }>;
  };
  const highlightTerms = termsOf(groups);
  return result.rows.map((row) => {
    const snippet = buildSnippet(row.body, highlightTerms);
    return {
      id: row.id,
      title: row.title,
      snippet: snippet.text,
      highlights: snippet.highlights,
      locale: row.locale,
      category: row.category,
      score: Number(row.score),
      coverage: totalIdf > 0 ? Math.min(1, Number(row.hits) / totalIdf) : 0,
    };
  });
}

function termsOf(groups: readonly QueryGroup[]): Set<string> {
  return new Set(groups.flatMap((g) => g.alternatives.flatMap((a) => a.terms)));
}
