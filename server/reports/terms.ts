import type { CustomerTerms, TermRow, TermSource } from '../../signaling/shared/reports';
import { documentTerms } from '../search/textTokens';
import { num, type ReportsRepository } from './repository';
import type { ReportQuery } from './schemas';

/** Texts of each kind read per period: enough for the frequent terms, bounded for a big desk. */
const TEXTS_PER_KIND = 2000;
const TOP_TERMS = 20;
const SOURCES_PER_TERM = 20;

/** Single letters and bare numbers say nothing about what customers talk about. */
const meaningful = (term: string) => [...term].length >= 2 && !/^\d+$/.test(term);

const LATIN_WORDS = /[\p{Script=Latin}][\p{Script=Latin}'’-]*/gu;

/**
 * English terms are Porter stems ("cours" for "course", "courses"): show the word customers
 * wrote most often for the stem instead.
 */
function surfaceForms(docs: Doc[], stems: Set<string>): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const doc of docs) {
    for (const word of doc.source.text.match(LATIN_WORDS) ?? []) {
      const lower = word.toLowerCase();
      const stem = documentTerms(lower)[0];
      if (!stem || !stems.has(stem)) continue;
      const forms = counts.get(stem) ?? new Map<string, number>();
      forms.set(lower, (forms.get(lower) ?? 0) + 1);
      counts.set(stem, forms);
    }
  }
  const best = new Map<string, string>();
  for (const [stem, forms] of counts) {
    const [form] = [...forms.entries()].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length);
    if (form) best.set(stem, form[0]);
  }
  return best;
}

interface Doc {
  source: TermSource;
  terms: Set<string>;
}

/**
 * What customers say: the most frequent terms (counted once per text) in ticket subjects and
 * CSAT, call-rating and NPS comments, segmented by the one shared tokenizer (jieba for Chinese,
 * stemmed English, stop words removed), with the count in the previous period of equal length.
 */
export class CustomerTermsService {
  constructor(private readonly repo: ReportsRepository) {}

  private async docs(q: ReportQuery): Promise<Doc[]> {
    const rows = await this.repo.texts(q, TEXTS_PER_KIND);
    return rows.map((r) => {
      const text = String(r.text);
      return {
        source: {
          kind: r.kind as TermSource['kind'],
          ticketId: r.ticket_id === null ? null : String(r.ticket_id),
          ticketNumber: r.number === null ? null : num(r.number),
          text,
          at: (r.at instanceof Date ? r.at : new Date(String(r.at))).toISOString(),
        },
        terms: new Set(documentTerms(text).filter(meaningful)),
      };
    });
  }

  async terms(q: ReportQuery): Promise<CustomerTerms> {
    const length = q.to.getTime() - q.from.getTime();
    const current = await this.docs(q);
    const previous = await this.docs({ ...q, from: new Date(q.from.getTime() - length), to: q.from });
    const counts = new Map<string, Doc[]>();
    for (const doc of current) {
      for (const term of doc.terms) {
        const list = counts.get(term);
        if (list) list.push(doc);
        else counts.set(term, [doc]);
      }
    }
    const before = new Map<string, number>();
    for (const doc of previous) for (const term of doc.terms) before.set(term, (before.get(term) ?? 0) + 1);
    const top = [...counts.entries()]
      .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
      .slice(0, TOP_TERMS);
    const surface = surfaceForms(current, new Set(top.map(([term]) => term)));
    const terms: TermRow[] = top.map(([term, docs]) => ({
      term: surface.get(term) ?? term,
      count: docs.length,
      previous: before.get(term) ?? 0,
      change: docs.length - (before.get(term) ?? 0),
      // Comments first: they say more than a subject line.
      sources: [...docs]
        .sort((a, b) => Number(a.source.kind === 'subject') - Number(b.source.kind === 'subject'))
        .slice(0, SOURCES_PER_TERM)
        .map((d) => d.source),
    }));
    return { terms, documents: current.length, previousDocuments: previous.length };
  }
}
