import { queryTerms, tsQueryText } from '../search/textTokens';
import type { Vocabulary } from './vocabulary';

/** One admin-editable synonym: what customers type → the words articles use. */
export interface Synonym {
  from: string;
  to: string;
}

/** A synonym as terms (tokenized once, when the synonyms are read). */
export interface SynonymTerms {
  from: string[];
  to: string[];
}

export function synonymTerms(synonyms: readonly Synonym[]): SynonymTerms[] {
  return synonyms
    .map((s) => ({ from: queryTerms(s.from), to: queryTerms(s.to) }))
    .filter((s) => s.from.length > 0 && s.to.length > 0);
}

/** One way a query word may be found: all `terms` together, its score scaled by `factor`. */
export interface Alternative {
  terms: string[];
  factor: number;
}

/** One word (or synonym phrase) of the query: found by any of its alternatives, worth `idf`. */
export interface QueryGroup {
  alternatives: Alternative[];
  idf: number;
}

// A mistyped word or a part of an unknown Chinese word is a guess: it counts a little less.
const CORRECTION_FACTOR = 0.7;
const PART_FACTOR = 0.6;
// A Chinese word found only through its characters (weight D already makes it small).
const CHARACTER_FACTOR = 1;
const MAX_GROUPS = 12;

/**
 * Turns what a customer typed into the groups the search scores: each query term, expanded by the
 * synonyms (a phrase like "money back" becomes one group that also matches "refund"), by typo
 * corrections when the term is unknown to the published articles, and by the known words inside
 * an unknown Chinese word. Pure, so its choices are unit-tested without a database.
 */
export function planQuery(
  q: string,
  synonyms: readonly Synonym[] | readonly SynonymTerms[],
  vocabulary: Vocabulary,
): QueryGroup[] {
  const terms = queryTerms(q);
  const groups: QueryGroup[] = [];
  const consumed = new Set<number>();
  for (const synonym of synonyms) {
    const { from, to } =
      typeof synonym.from === 'string'
        ? { from: queryTerms(synonym.from), to: queryTerms(synonym.to as string) }
        : (synonym as SynonymTerms);
    if (from.length === 0 || to.length === 0) continue;
    const at = indexOfSequence(terms, from);
    if (at < 0 || from.some((_, k) => consumed.has(at + k))) continue;
    for (let k = 0; k < from.length; k++) consumed.add(at + k);
    groups.push({
      alternatives: [
        { terms: from, factor: 1 },
        { terms: to, factor: 1 },
      ],
      idf: Math.max(...[...from, ...to].map((t) => vocabulary.idf(t))),
    });
  }
  terms.forEach((term, i) => {
    if (consumed.has(i)) return;
    const alternatives: Alternative[] = [{ terms: [term], factor: 1 }];
    const han = /^\p{Script=Han}+$/u.test(term);
    const known = vocabulary.has(term);
    if (!known) {
      for (const c of vocabulary.corrections(term))
        alternatives.push({ terms: [c], factor: CORRECTION_FACTOR });
      if (han && term.length >= 3) {
        for (const p of vocabulary.knownParts(term)) alternatives.push({ terms: [p], factor: PART_FACTOR });
      }
    }
    // A Chinese word the articles do not use may still be found by its characters, one at a time
    // (the best one counts): 账户 finds 账号, 锁住 finds 锁定.
    if (!known && han && term.length > 1) {
      for (const char of new Set(term)) {
        if (vocabulary.has(char)) alternatives.push({ terms: [char], factor: CHARACTER_FACTOR });
      }
    }
    const usable = known ? alternatives : alternatives.slice(1);
    // An unknown word with nothing known near it cannot match anything: it only costs time.
    if (usable.length === 0) return;
    groups.push({ alternatives, idf: Math.max(...usable.map((a) => vocabulary.idf(a.terms[0]!))) });
  });
  return groups.slice(0, MAX_GROUPS);
}

/** The `tsquery` literal of one alternative. */
export function alternativeQuery(alternative: Alternative): string {
  return tsQueryText(alternative.terms, { join: 'and' });
}

/** The `tsquery` that finds every article matching any group (the candidates to score). */
export function anyGroupQuery(groups: readonly QueryGroup[]): string {
  return groups.flatMap((g) => g.alternatives.map((a) => `(${alternativeQuery(a)})`)).join(' | ');
}

function indexOfSequence(haystack: readonly string[], needle: readonly string[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let k = 0; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}
