import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { CallView, TimelineEntry } from '../../signaling/shared/protocol';

// The client's i18n module reads the browser's languages when it loads; Node has none.
vi.stubGlobal('navigator', { languages: ['en-US'], language: 'en-US' });
vi.stubGlobal('document', { documentElement: { lang: 'en' } });

const { default: i18n } = await import('../../client/src/i18n');
const { formatRelative } = await import('../../client/src/lib/format');
const { callLinkState } = await import('../../client/src/call/callState');
const { describeCallState, describeSystemEvent } = await import('../../client/src/tickets/systemMessages');
const { describeTimelineEntry } = await import('../../client/src/tickets/timelineWording');
const { canWatchRecording } = await import('../../client/src/qa/access');

// Intl.DurationFormat (newer engines) and the i18n unit words word durations differently; these
// tests check the i18n words, the same in every Node.
beforeAll(() => {
  vi.stubGlobal('Intl', Object.assign(Object.create(Intl), { DurationFormat: undefined }));
});

const en = () => i18n.getFixedT('en');
const zh = () => i18n.getFixedT('zh-CN');
const NOW = Date.parse('2026-12-06T10:00:00.000Z');
const at = (secondsFromNow: number) => new Date(NOW + secondsFromNow * 1000).toISOString();

function call(patch: Partial<CallView>): CallView {
  return {
    id: 'c1',
    ticketId: 't1',
    ticketNumber: 1001,
    startedBy: { id: 'a1', name: 'Lee L1', role: 'agent', tier: 'L1' },
    status: 'ringing',
    startedAt: at(-600),
    answeredAt: null,
    connectedAt: null,
    endedAt: null,
    endReason: null,
    connectedSeconds: 0,
    participants: [],
    statsSummary: null,
    ...patch,
  };
}

describe('relative times', () => {
  it('never show a time in the future: a reply newer than the last tick is "just now"', () => {
    expect(formatRelative(at(12), NOW, 'en')).toBe('just now');
    expect(formatRelative(at(300), NOW, 'en')).toBe('just now');
    expect(formatRelative(at(12), NOW, 'zh-CN')).toBe('刚刚');
  });

  it('count past times as before', () => {
    expect(formatRelative(at(-5), NOW, 'en')).toBe('just now');
    expect(formatRelative(at(-12), NOW, 'en')).toBe('12 seconds ago');
    expect(formatRelative(at(-180), NOW, 'en')).toBe('3 minutes ago');
  });
});

describe('a call entry in the conversation', () => {
  it('can be joined only while the call is live', () => {
    expect(callLinkState(call({ status: 'ringing' }), NOW)).toEqual({ kind: 'ringing', joinable: true });
    expect(callLinkState(call({ status: 'connecting' }), NOW)).toEqual({
      kind: 'connecting',
      joinable: true,
    });
    expect(callLinkState(call({ status: 'connected', connectedAt: at(-63) }), NOW)).toEqual({
      kind: 'in_progress',
      joinable: true,
      seconds: 63,
    });
    for (const endReason of [
      'hangup',
      'declined',
      'no_answer',
      'customer_offline',
      'cancelled',
      'failed',
    ] as const) {
      expect(callLinkState(call({ status: 'ended', endReason }), NOW).joinable).toBe(false);
    }
    // Unknown (loading, or not visible to this reader) is not joinable either.
    expect(callLinkState(undefined, NOW)).toEqual({ kind: 'unknown', joinable: false });
  });

  it('says how an ended call ended, with its connected duration', () => {
    const ended = call({
      status: 'ended',
      endReason: 'hangup',
      connectedAt: at(-300),
      endedAt: at(-48),
      connectedSeconds: 252,
    });
    const state = callLinkState(ended, NOW);
    expect(state).toEqual({ kind: 'ended', joinable: false, seconds: 252 });
    expect(describeCallState(state, en(), 'en')).toBe('ended · 4 min 12 s');
    expect(describeCallState(state, zh(), 'zh-CN')).toBe('已结束 · 4分钟12秒');
    const kinds = (['declined', 'no_answer', 'customer_offline', 'cancelled'] as const).map(
      (endReason) => callLinkState(call({ status: 'ended', endReason }), NOW).kind,
    );
    expect(kinds).toEqual(['declined', 'missed', 'missed', 'cancelled']);
    expect(describeCallState({ kind: 'missed', joinable: false }, en())).toBe('missed');
    expect(describeCallState({ kind: 'declined', joinable: false }, zh())).toBe('已拒绝');
    expect(callLinkState(call({ status: 'ended', endReason: 'hangup' }), NOW).kind).toBe('ended_unconnected');
  });
});

describe('system messages', () => {
  it('are worded from their event in the reader language', () => {
    const board = { type: 'board.saved', callId: 'c1', boardId: 'b1', elements: 3 } as const;
    expect(describeSystemEvent(board, en())).toBe('Whiteboard from the call saved (3 elements)');
    expect(describeSystemEvent({ ...board, elements: 1 }, en())).toBe(
      'Whiteboard from the call saved (1 element)',
    );
    expect(describeSystemEvent(board, zh())).toBe('通话中的白板已保存（3 个元素）');
    expect(describeSystemEvent({ type: 'call.started', callId: 'c1', startedBy: 'Lee L1' }, zh())).toBe(
      'Lee L1 发起了视频通话',
    );
    expect(describeSystemEvent({ type: 'ticket.merged_into', ticketId: 't2', number: 1002 }, zh())).toBe(
      '此工单已合并到 #1002',
    );
  });

  it('tell the customer a specialist takes over, and staff what the customer was told', () => {
    const escalated = { type: 'ticket.escalated', tier: 'L2' } as const;
    expect(describeSystemEvent(escalated, en())).toBe(
      'Your request was passed to a specialist, who is taking over from here.',
    );
    expect(describeSystemEvent(escalated, zh())).toBe('你的请求已转交给专家，接下来由专家为你处理。');
    expect(describeSystemEvent(escalated, en(), true)).toBe(
      'Escalated to L2: the customer was told a specialist is taking over.',
    );
  });
});

describe('timeline entries', () => {
  const entry = (type: string, data: Record<string, unknown>, actor = true): TimelineEntry => ({
    id: type,
    seq: 1,
    ticketId: 't1',
    type,
    actor: actor ? { id: 'a1', name: 'Lee L1', role: 'agent', tier: 'L1' } : null,
    data,
    createdAt: at(-10),
  });

  it('read as sentences with the call duration, never as raw keys, in both languages', async () => {
    const ended = entry('call.ended', { callId: 'c1', reason: 'hangup', connectedSeconds: 252 });
    expect(describeTimelineEntry(ended, en()).text).toBe('The video call ended after 4 min 12 s');
    // Durations follow the UI language, as on the page.
    await i18n.changeLanguage('zh-CN');
    try {
      expect(describeTimelineEntry(ended, zh()).text).toBe('视频通话已结束，时长 4分钟12秒');
    } finally {
      await i18n.changeLanguage('en');
    }
    expect(describeTimelineEntry(entry('call.started', { callId: 'c1' }), en()).text).toBe(
      'Lee L1 started a video call',
    );
    expect(describeTimelineEntry(entry('call.connected', { callId: 'c1' }, false), zh()).text).toBe(
      '视频通话已接通',
    );
    expect(
      describeTimelineEntry(
        entry('call.ended', { callId: 'c1', reason: 'declined', connectedSeconds: 0 }),
        en(),
      ).text,
    ).toBe('The customer declined the video call');
    // A call hung up within half a second of connecting lasted 0 s; it did connect.
    const brief = { callId: 'c1', reason: 'hangup', connectedSeconds: 0 };
    expect(describeTimelineEntry(entry('call.ended', { ...brief, connected: true }), en()).text).toBe(
      'The video call ended after 0 s',
    );
    expect(describeTimelineEntry(entry('call.ended', { ...brief, connected: false }), en()).text).toBe(
      'The video call ended without connecting',
    );
    for (const type of ['call.started', 'call.connected', 'call.ended', 'recording.ready', 'board.saved']) {
      for (const t of [en(), zh()]) {
        expect(describeTimelineEntry(entry(type, { callId: 'c1' }), t).text).not.toContain(type);
      }
    }
  });

  it('link to the saved board, and to the recording only for those allowed to watch it', () => {
    const board = entry('board.saved', { boardId: 'b1', callId: 'c1', elements: 2 }, false);
    expect(describeTimelineEntry(board, zh())).toEqual({
      text: '通话中的白板已保存（2 个元素）',
      link: { kind: 'board', boardId: 'b1' },
    });
    const ready = entry(
      'recording.ready',
      { recordingId: 'r1', callId: 'c1', status: 'ready', durationSeconds: 75 },
      false,
    );
    expect(describeTimelineEntry(ready, en(), () => true)).toEqual({
      text: 'The recording of the call is ready (1 min 15 s)',
      link: { kind: 'recording', recordingId: 'r1' },
    });
    expect(describeTimelineEntry(ready, en(), () => false).link).toBeUndefined();
  });

  it('offer the recording to QA, supervisors and the agents who were on the call', () => {
    const agent = { id: 'a1', name: 'Lee', email: 'l@x', role: 'agent', tier: 'L1' } as never;
    const other = { id: 'a2', name: 'Kim', email: 'k@x', role: 'agent', tier: 'L1' } as never;
    const qa = { id: 'q1', name: 'Quinn', email: 'q@x', role: 'qa', tier: null } as never;
    const customer = { id: 'u1', name: 'Casey', email: 'c@x', role: 'customer', tier: null } as never;
    const onCall = call({
      participants: [
        {
          user: { id: 'a1', name: 'Lee', role: 'agent', tier: 'L1' },
          role: 'agent',
          joinedAt: null,
          leftAt: null,
          present: false,
        },
      ],
    });
    expect(canWatchRecording(agent, onCall)).toBe(true);
    expect(canWatchRecording(other, onCall)).toBe(false);
    expect(canWatchRecording(qa, undefined)).toBe(true);
    expect(canWatchRecording(customer, onCall)).toBe(false);
  });
});
