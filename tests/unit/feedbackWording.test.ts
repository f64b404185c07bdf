import { describe, expect, it, vi } from 'vitest';
import { npsCategory } from '../../signaling/shared/feedback';
import type { TimelineEntry } from '../../signaling/shared/protocol';

// The client's i18n module reads the browser's languages when it loads; Node has none.
vi.stubGlobal('navigator', { languages: ['en-US'], language: 'en-US' });
vi.stubGlobal('document', { documentElement: { lang: 'en' } });

const { default: i18n } = await import('../../client/src/i18n');
const { describeTimelineEntry } = await import('../../client/src/tickets/timelineWording');

const entry = (type: string, data: Record<string, unknown>, actor = 'Casey Customer'): TimelineEntry => ({
  id: 'e1',
  seq: 1,
  ticketId: 't1',
  type,
  actor: actor ? { id: 'u1', name: actor, role: 'customer', tier: null } : null,
  data,
  createdAt: '2026-12-06T10:00:00.000Z',
});

describe('feedback on the timeline, in both languages', () => {
  const en = i18n.getFixedT('en');
  const zh = i18n.getFixedT('zh-CN');

  it('words a rating, its change and its comment', () => {
    const first = entry('csat.submitted', { score: 2, comment: 'Slow', previous: null });
    expect(describeTimelineEntry(first, en)).toEqual({
      text: 'Casey Customer rated the ticket 2 of 5',
      note: 'Slow',
    });
    expect(describeTimelineEntry(first, zh).text).toBe('Casey Customer 为工单评分 2 分（满分 5 分）');
    const changed = entry('csat.submitted', {
      score: 5,
      comment: null,
      previous: { score: 2, comment: 'Slow' },
    });
    expect(describeTimelineEntry(changed, en).text).toBe(
      "Casey Customer changed the ticket's rating from 2 to 5 of 5",
    );
    const call = entry('call_rating.submitted', {
      picture: 5,
      sound: 2,
      helpfulness: 4,
      comment: 'Echo',
      previous: null,
    });
    expect(describeTimelineEntry(call, en)).toEqual({
      text: 'Casey Customer rated the call: picture 5, sound 2, helpfulness 4 (of 5)',
      note: 'Echo',
    });
  });

  it('words a follow-up opened, overdue and closed with its note', () => {
    expect(describeTimelineEntry(entry('followup.opened', { score: 1 }, ''), en).text).toBe(
      'Low score (1): a follow-up was opened for a supervisor',
    );
    expect(describeTimelineEntry(entry('followup.overdue', {}, ''), zh).text).toBe('低分回访已超过截止时间');
    expect(
      describeTimelineEntry(entry('followup.closed', { note: 'Called back' }, 'Sam Supervisor'), en),
    ).toEqual({
      text: 'Sam Supervisor closed the low-score follow-up',
      note: 'Called back',
    });
  });
});

describe('NPS categories', () => {
  it('puts 9–10 in promoters, 7–8 in passives, 0–6 in detractors', () => {
    expect([0, 6, 7, 8, 9, 10].map(npsCategory)).toEqual([
      'detractor',
      'detractor',
      'passive',
      'passive',
      'promoter',
      'promoter',
    ]);
  });
});
