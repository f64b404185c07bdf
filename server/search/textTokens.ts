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
 * `array_to_tsvector` (no text-search parser involved: it would treat Chinese by the database
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

/** The terms of a text to be found (a ticket, a message, an article): repeated terms repeat. */
export function documentTerms(text: string): string[] {
  return [...terms(text, 'document')];
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
