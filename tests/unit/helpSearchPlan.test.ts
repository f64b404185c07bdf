import { describe, expect, it } from 'vitest';
import { planQuery } from '../../server/help/queryPlan';
import { buildSnippet, plainText } from '../../server/help/snippet';
import { osaDistance, Vocabulary } from '../../server/help/vocabulary';
import { termSpans, tsVectorText } from '../../server/search/textTokens';

const vocabulary = new Vocabulary(
  new Map([
    ['refund', 3],
    ['password', 2],
    ['cours', 10],
    ['退款', 2],
    ['账号', 1],
    ['账', 4],
    ['锁', 1],
    ['锁定', 1],
  ]),
  20,
);

describe('help search query plan', () => {
  it('measures edits with transpositions as one', () => {
    expect(osaDistance('refnud', 'refund')).toBe(1);
    expect(osaDistance('pasword', 'password')).toBe(1);
    expect(osaDistance('refund', 'refund')).toBe(0);
    expect(osaDistance('abc', 'xyz')).toBe(3);
  });

  it('corrects an unknown word to known ones one edit away, never short words', () => {
    expect(vocabulary.corrections('refnud')).toEqual(['refund']);
    expect(vocabulary.corrections('pasword')).toEqual(['password']);
    expect(vocabulary.corrections('xyzzy')).toEqual([]);
    expect(vocabulary.corrections('cat')).toEqual([]);
  });

  it('rates rare words above common ones', () => {
    expect(vocabulary.idf('refund')).toBeGreaterThan(vocabulary.idf('cours'));
  });

  it('turns a synonym phrase into one group that also matches the replacement', () => {
    const groups = planQuery('money back please', [{ from: 'money back', to: 'refund' }], vocabulary);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.alternatives.map((a) => a.terms)).toEqual([['monei', 'back'], ['refund']]);
  });

  it('applies Chinese synonyms whatever the segmentation', () => {
    const groups = planQuery('我想退钱', [{ from: '退钱', to: '退款' }], vocabulary);
    expect(groups.flatMap((g) => g.alternatives.flatMap((a) => a.terms))).toContain('退款');
  });

  it('finds an unknown Chinese word by its known characters, and drops words nothing can match', () => {
    const groups = planQuery('账户锁住了', [], vocabulary);
    const terms = groups.flatMap((g) => g.alternatives.flatMap((a) => a.terms));
    expect(terms).toContain('账');
    expect(terms).toContain('锁');
    expect(planQuery('qqqqqq', [], vocabulary)).toEqual([]);
  });
});

describe('help search text', () => {
  it('weights title terms A and body terms B in the tsvector literal, quoting what needs it', () => {
    expect(
      tsVectorText([
        { terms: ['refund'], weight: 'A' },
        { terms: ['refund', "it's"], weight: 'B' },
      ]),
    ).toBe("'refund':1A,2B 'it''s':3B");
  });

  it('gives each term its place in the text, Chinese words included', () => {
    const text = '申请退款 for refunds';
    for (const span of termSpans(text)) expect(span.end).toBeGreaterThan(span.start);
    const refund = termSpans(text).find((s) => s.term === 'refund')!;
    expect(text.slice(refund.start, refund.end)).toBe('refunds');
    const zh = termSpans(text).find((s) => s.term === '退款')!;
    expect(text.slice(zh.start, zh.end)).toBe('退款');
  });

  it('strips Markdown and HTML (script content too) for snippets', () => {
    expect(
      plainText('## Steps\n\n**Open** [Orders](https://x) ![img](/a.png)<script>alert(1)</script>'),
    ).toBe('Steps Open Orders');
  });

  it('cuts the snippet around the matched words and marks them', () => {
    const body = `${'Unrelated words. '.repeat(30)}To get a refund open Orders. ${'More filler text. '.repeat(30)}`;
    const snippet = buildSnippet(body, new Set(['refund']));
    expect(snippet.text.startsWith('…')).toBe(true);
    expect(snippet.text.length).toBeLessThanOrEqual(170);
    const marked = snippet.highlights.map((h) => snippet.text.slice(h.start, h.end));
    expect(marked).toEqual(['refund']);
  });
});
