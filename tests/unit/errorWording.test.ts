import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { issuesToFields } from '../../server/validation';
import { ERROR_CODES, FIELD_RULES } from '../../signaling/shared/errors';

// The client's i18n module reads the browser's languages when it loads; Node has none.
vi.stubGlobal('navigator', { languages: ['en-US'], language: 'en-US' });
vi.stubGlobal('document', { documentElement: { lang: 'en' } });

const { default: i18n } = await import('../../client/src/i18n');
const { describeFieldIssue, describeRefusal } = await import('../../client/src/errors');

const en = i18n.getFixedT('en');
const zh = i18n.getFixedT('zh-CN');
const HAN = /\p{Script=Han}/u;

// The Chinese interface must never fall back to English for something the server can say: every
// error code and every kind of field rule has its own wording in both languages.
describe('error wording in both languages', () => {
  it('translates every error code the server can send', () => {
    for (const code of ERROR_CODES) {
      const english = en(`errors.${code}`);
      const chinese = zh(`errors.${code}`);
      expect(english, code).not.toBe(`errors.${code}`);
      expect(chinese, code).toMatch(HAN);
      expect(chinese, code).not.toBe(english);
    }
  });

  it('translates every kind of field rule, with its bound', () => {
    for (const rule of FIELD_RULES) {
      const issue = { path: 'x', message: 'server wording', rule, limit: 3 };
      const chinese = describeFieldIssue(issue, zh, 'zh-CN');
      expect(chinese, rule).toMatch(HAN);
      expect(chinese, rule).not.toContain('server wording');
      expect(describeFieldIssue(issue, en, 'en'), rule).not.toMatch(/^errors\./);
    }
    expect(
      describeFieldIssue({ path: 'subject', message: '', rule: 'too_short', limit: 3 }, zh, 'zh-CN'),
    ).toBe('至少需要 3 个字符');
    expect(describeFieldIssue({ path: 'tags', message: '', rule: 'too_many', limit: 1 }, en, 'en')).toBe(
      'takes at most 1 item',
    );
    // A domain rule only the server words: in English as it said it, elsewhere the general wording.
    const custom = { path: 'tier', message: 'is required for an agent' };
    expect(describeFieldIssue(custom, en, 'en')).toBe('is required for an agent');
    expect(describeFieldIssue(custom, zh, 'zh-CN')).toBe('无效');
  });

  it('names the kind of rule of each zod issue the server reports', () => {
    const schema = z
      .object({
        subject: z.string().min(3),
        tags: z.array(z.string()).max(1),
        email: z.email(),
        priority: z.enum(['P1', 'P2']),
        count: z.number().int().max(10),
        name: z.string(),
      })
      .strict();
    const parsed = schema.safeParse({
      subject: 'ab',
      tags: ['a', 'b'],
      email: 'nope',
      priority: 'P9',
      count: 11,
      extra: true,
    });
    expect(parsed.success).toBe(false);
    const byPath = Object.fromEntries(issuesToFields(parsed.error!).map((i) => [i.path, i]));
    expect(byPath.subject).toMatchObject({ rule: 'too_short', limit: 3 });
    expect(byPath.tags).toMatchObject({ rule: 'too_many', limit: 1 });
    expect(byPath.email).toMatchObject({ rule: 'invalid_format' });
    expect(byPath.priority).toMatchObject({ rule: 'invalid_value' });
    expect(byPath.count).toMatchObject({ rule: 'too_big', limit: 10 });
    expect(byPath.name).toMatchObject({ rule: 'required' });
    expect(byPath['(root)']).toMatchObject({ rule: 'unknown_field' });
  });

  it('words a per-ticket refusal by its code outside English', () => {
    const refusal = { code: 'conflict', message: 'This ticket is closed and can no longer change.' };
    expect(describeRefusal(refusal, en, 'en')).toBe(refusal.message);
    expect(describeRefusal(refusal, zh, 'zh-CN')).toBe(zh('errors.conflict'));
    expect(describeRefusal({ code: 'made_up', message: 'x' }, zh, 'zh-CN')).toBe(zh('errors.internal'));
  });
});
