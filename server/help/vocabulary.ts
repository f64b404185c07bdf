/**
 * The published articles' terms with their document counts: what the query planner checks a
 * query term against (is it known? how rare is it? which known term did the customer mistype?).
 * Typos are found with a single-deletion index (SymSpell's idea): two words one edit apart share
 * a one-character deletion, so a lookup is a few hash probes instead of a scan of every term.
 */
export class Vocabulary {
  private readonly deletions = new Map<string, string[]>();

  constructor(
    private readonly counts: ReadonlyMap<string, number>,
    /** How many published articles the counts come from. */
    readonly documents: number,
  ) {
    for (const term of counts.keys()) {
      if (!isTypoCandidate(term)) continue;
      for (const variant of singleDeletions(term)) {
        const list = this.deletions.get(variant);
        if (list) list.push(term);
        else this.deletions.set(variant, [term]);
      }
    }
  }

  has(term: string): boolean {
    return this.counts.has(term);
  }

  documentCount(term: string): number {
    return this.counts.get(term) ?? 0;
  }

  /** Inverse document frequency: rare terms say more about what the customer wants. */
  idf(term: string): number {
    return Math.log(1 + (this.documents + 1) / (this.documentCount(term) + 0.5));
  }

  /** Known terms one edit (insertion, deletion, substitution, transposition) from `term`, most used first. */
  corrections(term: string, max = 3): string[] {
    if (!isTypoCandidate(term)) return [];
    const found = new Set<string>();
    for (const key of [term, ...singleDeletions(term)]) {
      for (const candidate of this.deletions.get(key) ?? []) {
        if (candidate !== term && osaDistance(term, candidate) <= 1) found.add(candidate);
      }
      if (this.counts.has(key) && key !== term) found.add(key);
    }
    return [...found].sort((a, b) => this.documentCount(b) - this.documentCount(a)).slice(0, max);
  }

  /** Known words of two or more characters inside an unknown Chinese word (课程视频播放 → 课程, 视频, 播放). */
  knownParts(word: string): string[] {
    const parts: string[] = [];
    for (let length = word.length - 1; length >= 2; length--) {
      for (let start = 0; start + length <= word.length; start++) {
        const part = word.slice(start, start + length);
        if (this.counts.has(part) && !parts.some((p) => p.includes(part))) parts.push(part);
      }
    }
    return parts;
  }
}

// Short words have too many neighbours one edit away ("cat" → "car", "can" …) to guess.
const MIN_TYPO_LENGTH = 4;
const LATIN = /^[a-z]+$/;

function isTypoCandidate(term: string): boolean {
  return term.length >= MIN_TYPO_LENGTH && LATIN.test(term);
}

function singleDeletions(term: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < term.length; i++) out.push(term.slice(0, i) + term.slice(i + 1));
  return out;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function osaDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}
