/**
 * The one tokenizer of Livedesk's searches (queues, the help centre, the terms customers use in
 * reports): text in, normalized search terms out, the same for Chinese and English.
 *
 * - Chinese runs are segmented into words with jieba (`@node-rs/jieba`). Documents use jieba's
 *   search mode, which adds the shorter words inside a long one (课程视频 → 课程, 视频, 课程视频),
 *   so a query's precise segmentation finds them whichever way the customer phrased it.
 * - Other letters and digits are lower-cased words; English words are Porter-stemmed
 *   ("refunds", "refunded" → "refund").
 * - Text is NFKC-normalized first, so full-width letters and digits (ＡＢＣ１２３, common in
 *   Chinese input) match their ASCII forms.
 * - Stop words (the, 的, 了 …) are dropped from documents and queries alike: with AND queries a
 *   kept "how do I" would otherwise have to appear in every match.
 *
 * Terms contain only letters, marks and digits, so they can go into a `tsvector` built with
 * `array_to_tsvector` or, weighted with positions, `tsVectorText` (no text-search parser involved: it would treat Chinese by the database
 * locale, which differs between PGlite and PostgreSQL) and into a `tsquery` built by
 * `tsQueryText`.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { stemmer } from 'stemmer';

let jieba: Jieba | undefined;

/** Loads jieba's dictionary on first use (≈ 5 MB, a few hundred ms), not at import. */
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

// A Han run, or a run of other letters, marks and digits (a Han character ends it).
const RUNS = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{M}\p{N}])+)/gu;
const LATIN_WORD = /^[a-z]+$/;

const ENGLISH_STOP_WORDS = new Set(
  (
    'a an and are as at be but by can could do does did for from had has have how i if in into is it its ' +
    'me my of on or our please so than that the their them then there these they this to was we were ' +
    'what when where which who why will with would you your'
  ).split(' '),
);
// Function words and particles that carry no topic. Single characters only where they are never
// the point of a question (不 and 没 are kept: "不能" and "没有声音" mean something).
const CHINESE_STOP_WORDS = new Set(
  '的 了 是 我 你 他 她 它 们 我们 你们 在 吗 呢 吧 啊 呀 哦 嗯 和 与 及 也 都 就 还 又 这 那 这个 那个 一个 请 请问 怎么办 一下'.split(
    ' ',
  ),
);

export type SegmentMode = 'document' | 'query';

function* terms(text: string, mode: SegmentMode): Generator<string> {
  const normalized = text.normalize('NFKC').toLowerCase().replace(/['’]/g, '');
  for (const match of normalized.matchAll(RUNS)) {
    const [, han, other] = match;
    if (han) {
      const words = mode === 'document' ? segmenter().cutForSearch(han, true) : segmenter().cut(han, true);
      for (const word of words) if (!CHINESE_STOP_WORDS.has(word)) yield word;
    } else if (other && !ENGLISH_STOP_WORDS.has(other)) {
      yield LATIN_WORD.test(other) ? stemmer(other) : other;
    }
  }
}

/** A term of a text with where it stands in the text's NFKC form (for highlighting). */
export interface TermSpan {
  term: string;
  start: number;
  end: number;
}

/**
 * The document terms of a text with their places in `text.normalize('NFKC')`, which callers show
 * (a snippet): jieba's words are consecutive slices of each Han run, so their offsets add up.
 * Stop words are left out, as in `documentTerms`; uses jieba's precise mode (no overlapping words).
 */
export function termSpans(text: string): TermSpan[] {
  const normalized = text.normalize('NFKC');
  const spans: TermSpan[] = [];
  for (const match of normalized.matchAll(RUNS)) {
    const [whole, han] = match;
    const start = match.index;
    if (han) {
      let at = start;
      for (const word of segmenter().cut(han, true)) {
        const lower = word.toLowerCase();
        if (!CHINESE_STOP_WORDS.has(lower)) spans.push({ term: lower, start: at, end: at + word.length });
        at += word.length;
      }
    } else {
      const lower = whole.toLowerCase().replace(/['’]/g, '');
      if (ENGLISH_STOP_WORDS.has(lower)) continue;
      spans.push({ term: LATIN_WORD.test(lower) ? stemmer(lower) : lower, start, end: start + whole.length });
    }
  }
  return spans;
}

/** The terms of a text to be found (a ticket, a message, an article): repeated terms repeat. */
export function documentTerms(text: string): string[] {
  return [...terms(text, 'document')];
}

const HAN = /\p{Script=Han}/gu;

/**
 * The distinct Chinese characters of a text, without the stop words' characters: a document's
 * fallback terms for a customer's word jieba segments differently or the articles do not use
 * (账户 vs 账号, 锁住 vs 锁定 share 账 and 锁). Weighted low, next to the words.
 */
export function hanCharacters(text: string): string[] {
  const chars = new Set(text.normalize('NFKC').match(HAN) ?? []);
  for (const stop of CHINESE_STOP_WORDS) if (stop.length === 1) chars.delete(stop);
  return [...chars];
}

/** The distinct terms of what someone typed into a search box, in order of first appearance. */
export function queryTerms(text: string): string[] {
  return [...new Set(terms(text, 'query'))];
}

/**
 * A `tsquery` literal for the terms (cast with `::tsquery`, which takes quoted lexemes as they are).
 * `'and'` requires every term, `'or'` any; `prefix` also matches longer terms (typing "refu").
 */
export function tsQueryText(
  queryTermList: readonly string[],
  options: { join?: 'and' | 'or'; prefix?: boolean } = {},
): string {
  const operator = options.join === 'or' ? ' | ' : ' & ';
  return queryTermList
    .map((term) => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${options.prefix ? ':*' : ''}`)
    .join(operator);
}

/** How many positions of one term a `tsvector` keeps (ranking saturates long before). */
const MAX_POSITIONS_PER_TERM = 8;
const MAX_POSITION = 16383;

/**
 * A `tsvector` literal (cast with `::tsvector`) of weighted parts, e.g. a title at `A` and a body
 * at `B`: each term with its positions and the part's weight, so `ts_rank` weighs title matches
 * above body matches (`array_to_tsvector` keeps no positions, and a weight lives on a position).
 */
export function tsVectorText(
  parts: ReadonlyArray<{ terms: readonly string[]; weight: 'A' | 'B' | 'C' | 'D' }>,
): string {
  const positions = new Map<string, string[]>();
  let position = 0;
  for (const part of parts) {
    for (const term of part.terms) {
      position = Math.min(position + 1, MAX_POSITION);
      const list = positions.get(term) ?? [];
      if (list.length < MAX_POSITIONS_PER_TERM) list.push(`${position}${part.weight}`);
      positions.set(term, list);
    }
  }
  return [...positions]
    .map(([term, list]) => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}':${list.join(',')}`)
    .join(' ');
}
