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
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/[*_`~|]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .normalize('NFKC');
}

/**
 * The part of the text with the most distinct query terms, with those terms marked; the start of
 * the text when none occurs (a title-only match). The window is found with plain substring probes
 * (a Porter stem is nearly always a prefix of its words), and only the chosen window is segmented,
 * so a long article costs no more than a short one.
 */
export function buildSnippet(markdown: string, terms: ReadonlySet<string>): Snippet {
  const text = plainText(markdown);
  const lower = text.toLowerCase();
  const hits: Array<{ at: number; term: string }> = [];
  for (const term of terms) {
    const probe = /^[a-z]+$/.test(term) && term.length > 3 ? term.slice(0, -1) : term;
    for (let at = lower.indexOf(probe), n = 0; at >= 0 && n < 20; at = lower.indexOf(probe, at + 1), n++) {
      hits.push({ at, term });
    }
  }
  hits.sort((a, b) => a.at - b.at);
  let best = { start: 0, score: 0 };
  for (let i = 0, j = 0; i < hits.length; i++) {
    while (j < hits.length && hits[j]!.at < hits[i]!.at + SNIPPET_LENGTH - 20) j++;
    const distinct = new Set(hits.slice(i, j).map((h) => h.term)).size;
    if (distinct > best.score) best = { start: hits[i]!.at, score: distinct };
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
  const window = text.slice(start, end);
  const highlights = termSpans(window)
    .filter((span) => terms.has(span.term))
    .map((span) => ({ start: span.start + prefix.length, end: span.end + prefix.length }));
  return { text: `${prefix}${window}${suffix}`, highlights };
}
