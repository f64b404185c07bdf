import { termSpans } from '../search/textTokens';

export interface Snippet {
  /** Plain text (Markdown removed), at most about `SNIPPET_LENGTH` characters. */
  text: string;
  /** Where the query's terms are in `text` (start inclusive, end exclusive), in order. */
  highlights: Array<{ start: number; end: number }>;
}

const SNIPPET_LENGTH = 160;

/** Markdown to the plain text a snippet shows: no image, link target, heading mark or emphasis. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/[*_`~|]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .normalize('NFKC');
}

/**
 * The part of the text with the most distinct query terms, with those terms marked; the start of
 * the text when none occurs (a title-only match).
 */
export function buildSnippet(markdown: string, terms: ReadonlySet<string>): Snippet {
  const text = plainText(markdown);
  const spans = termSpans(text).filter((s) => terms.has(s.term));
  let best = { start: 0, score: 0 };
  for (const first of spans) {
    const windowEnd = first.start + SNIPPET_LENGTH;
    const distinct = new Set(
      spans.filter((s) => s.start >= first.start && s.end <= windowEnd).map((s) => s.term),
    );
    if (distinct.size > best.score) best = { start: first.start, score: distinct.size };
  }
  // Begin a little before the first match, at a word or sentence boundary where there is one.
  let start = Math.max(0, best.start - 30);
  if (start > 0) {
    const boundary = text.slice(start, best.start).search(/[\s。，,.!?！？]/);
    if (boundary >= 0) start += boundary + 1;
  }
  let end = Math.min(text.length, start + SNIPPET_LENGTH);
  if (end < text.length) {
    const cut = text.slice(start, end).search(/\s\S*$/);
    if (cut > SNIPPET_LENGTH / 2) end = start + cut;
  }
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const highlights = spans
    .filter((s) => s.start >= start && s.end <= end)
    .map((s) => ({ start: s.start - start + prefix.length, end: s.end - start + prefix.length }));
  return { text: `${prefix}${text.slice(start, end)}${suffix}`, highlights };
}
