// server/search/textTokens.ts: every search (queues, help centre, report terms) depends on these
// terms, so a query phrased differently from the document must still meet it here.
import { describe, expect, it } from 'vitest';
import { documentTerms, queryTerms, tsQueryText } from '../../server/search/textTokens';

describe('search terms', () => {
  it('segments Chinese into words, and documents also carry the words inside longer ones', () => {
    const document = documentTerms('课程视频无法播放');
    expect(document).toEqual(expect.arrayContaining(['课程', '视频', '播放']));
    // A customer's precise query meets the document's search-mode terms.
    for (const term of queryTerms('视频播放不了')) {
      if (term !== '不了') expect(document).toContain(term);
    }
  });

  it('drops particles and function words but keeps negation', () => {
    const terms = queryTerms('我的视频没有声音了吗');
    expect(terms).not.toContain('的');
    expect(terms).not.toContain('吗');
    expect(terms).toContain('视频');
    expect(terms.join(' ')).toMatch(/没有|没/);
  });

  it('stems English words and drops stop words', () => {
    expect(queryTerms('How do I get my refunds?')).toEqual(['get', 'refund']);
    expect(documentTerms('Refunded twice, refunding')).toEqual(['refund', 'twice', 'refund']);
  });

  it('normalizes full-width letters and digits and keeps mixed tokens', () => {
    expect(queryTerms('ＩＰＨＯＮＥ１５ 登录')).toEqual(['iphone15', '登录']);
    expect(queryTerms("can't log in")).toEqual(['cant', 'log']);
  });

  it('splits mixed Chinese and English text at script changes', () => {
    expect(queryTerms('Chrome浏览器黑屏')).toEqual(expect.arrayContaining(['chrome', '浏览器', '黑屏']));
  });

  it('returns no terms for punctuation or stop words only', () => {
    expect(queryTerms('?!，。 the 的')).toEqual([]);
    expect(tsQueryText([])).toBe('');
  });

  it('builds tsquery literals with AND, OR and prefixes, quoting safely', () => {
    expect(tsQueryText(['视频', 'refund'])).toBe("'视频' & 'refund'");
    expect(tsQueryText(['a', 'b'], { join: 'or', prefix: true })).toBe("'a':* | 'b':*");
    expect(tsQueryText(["o'neil\\"])).toBe("'o''neil\\\\'");
  });
});
