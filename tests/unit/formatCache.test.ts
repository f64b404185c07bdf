import { afterEach, describe, expect, it, vi } from 'vitest';

// The client's i18n module reads the browser's languages when it loads; Node has none.
vi.stubGlobal('navigator', { languages: ['en-US'], language: 'en-US' });
vi.stubGlobal('document', { documentElement: { lang: 'en' } });

const { formatDateTime, formatRelative, formatTime } = await import('../../client/src/lib/format');

describe('dates are formatted with one Intl formatter per language', () => {
  const realIntl = Intl;
  afterEach(() => {
    vi.stubGlobal('Intl', realIntl);
  });

  it('a page of messages makes one DateTimeFormat, not one per message', () => {
    let made = 0;
    class Counting extends realIntl.DateTimeFormat {
      constructor(...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
        super(...args);
        made++;
      }
    }
    vi.stubGlobal('Intl', Object.assign(Object.create(realIntl), { DateTimeFormat: Counting }));
    const iso = '2026-12-06T09:30:00Z';
    // The first date formatted in this file: the first call makes its formatter.
    const first = formatDateTime(iso, 'zh-CN');
    for (let i = 0; i < 200; i++) expect(formatDateTime(iso, 'zh-CN')).toBe(first);
    expect(made).toBe(1);
  });

  it('each language and kind keeps its own formatter (no language gets another one’s words)', () => {
    const iso = '2026-12-06T09:30:00Z';
    const en = formatDateTime(iso, 'en');
    const zh = formatDateTime(iso, 'zh-CN');
    expect(en).toMatch(/Dec/);
    expect(zh).toMatch(/12月/);
    expect(formatDateTime(iso, 'en')).toBe(en);
    expect(formatTime(iso, 'zh-CN')).not.toBe(zh);
    const now = Date.parse(iso) + 5 * 60_000;
    expect(formatRelative(iso, now, 'en')).toBe('5 minutes ago');
    expect(formatRelative(iso, now, 'zh-CN')).toBe('5分钟前');
  });
});
