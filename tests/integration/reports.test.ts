import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CustomerTerms,
  ReportSummary,
  ReportTicketList,
  TicketHealth,
} from '../../signaling/shared/reports';
import { BACKENDS } from '../helpers/database';
import { ManualClock } from '../helpers/manualClock';
import { ReportFixtures } from '../helpers/reportFixtures';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

// The dashboard's numbers over the REST API, against a desk whose every fact happened at a known
// instant: each figure of the summary is checked exactly (percentiles too, worked out by hand in
// the comments), with filters, an empty range, a time zone, the tickets behind a number, the
// ticket health report, the customers' terms, and who may read any of it.

const B = Date.parse('2026-03-02T10:00:00Z');
const at = (seconds: number) => new Date(B + seconds * 1000).toISOString();
const H = 3600;
const D = 86_400;
const RANGE = 'from=2026-03-01T00:00:00Z&to=2026-03-08T00:00:00Z';

describe.each(BACKENDS)('reports on %s', (backend) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const api = restAs(() => t.url, tokens);
  const tk: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ backend, clock: new ManualClock() });
    for (const [who, email] of Object.entries(DEMO)) {
      tokens[who] = await login(t.url, email);
      ids[who] = (await api<{ id: string }>(who, '/api/auth/me')).body.id;
    }
    const f = new ReportFixtures(t.app.db.db);
    const customer = ids.customer as string;
    const l1 = ids.agentL1 as string;
    const l2 = ids.agentL2 as string;
    // T0: P4, 2026-03-01 20:00 UTC (already 03-02 in Shanghai), never answered.
    tk.T0 = await f.ticket({
      subject: 'Password reset email never arrives',
      requester: customer,
      priority: 'P4',
      createdAt: '2026-03-01T20:00:00Z',
    });
    // T1: P1 chat, answered in 30 s, solved in 10 min with that one reply: first contact resolution.
    tk.T1 = await f.ticket({
      subject: '退款申请',
      requester: customer,
      assignee: l1,
      priority: 'P1',
      channel: 'chat',
      category: 'billing',
      status: 'solved',
      createdAt: at(0),
      firstResponseAt: at(30),
      solvedAt: at(600),
    });
    await f.reply(tk.T1, l1, at(30));
    await f.reply(tk.T1, l1, at(40), 'internal');
    await f.csat({ ticketId: tk.T1, customer, agent: l1, score: 5, comment: '退款很快 thanks', at: at(700) });
    // T2: P1, answered in 120 s, a second reply: not first contact. CSAT 2 (low).
    tk.T2 = await f.ticket({
      subject: '退款没有到账',
      requester: customer,
      assignee: l1,
      priority: 'P1',
      status: 'solved',
      createdAt: at(H),
      firstResponseAt: at(H + 120),
      solvedAt: at(2 * H),
    });
    await f.reply(tk.T2, l1, at(H + 120));
    await f.reply(tk.T2, l1, at(H + 300));
    await f.csat({ ticketId: tk.T2, customer, agent: l1, score: 2, comment: '退款太慢了', at: at(H + 4000) });
    // T3: P2, escalated L1 → L2 after 100 s, answered after 2 h (breached the 1 h target while
    // active), a 600 s call, solved after 3 h. Not rated by CSAT; the call is rated and reviewed.
    tk.T3 = await f.ticket({
      subject: '视频课程无法播放',
      requester: customer,
      assignee: l2,
      tier: 'L2',
      priority: 'P2',
      status: 'solved',
      createdAt: at(2 * H),
      firstResponseAt: at(2 * H + 7200),
      solvedAt: at(2 * H + 10800),
    });
    await f.event(tk.T3, 'ticket.escalated', l1, { from: 'L1', to: 'L2', note: 'video' }, at(2 * H + 100));
    await f.reply(tk.T3, l2, at(2 * H + 7200));
    await f.event(
      tk.T3,
      'ticket.updated',
      l2,
      { status: { from: 'new', to: 'open' }, changes: {} },
      at(2 * H + 7200),
    );
    await f.event(
      tk.T3,
      'ticket.updated',
      l2,
      { status: { from: 'open', to: 'solved' }, changes: {} },
      at(2 * H + 10800),
    );
    await f.slaBreach(tk.T3, 'first_response', at(3 * H));
    const call = await f.call({
      ticketId: tk.T3,
      startedBy: l2,
      startedAt: at(2 * H + 7900),
      connectedAt: at(2 * H + 8000),
      endedAt: at(2 * H + 8600),
    });
    await f.callRating({
      callId: call,
      ticketId: tk.T3,
      customer,
      agent: l2,
      picture: 5,
      sound: 3,
      helpfulness: 4,
      comment: '画面清晰 声音有点卡',
      at: at(2 * H + 9000),
    });
    await f.qaReview({ callId: call, ticketId: tk.T3, reviewer: ids.qa as string, total: 17, at: at(3 * D) });
    // T4: P3 e-mail, answered after 1000 s, still open; a call that never connected.
    tk.T4 = await f.ticket({
      subject: '发票问题',
      requester: customer,
      assignee: l1,
      priority: 'P3',
      channel: 'email',
      category: 'billing',
      status: 'open',
      createdAt: at(D),
      firstResponseAt: at(D + 1000),
    });
    await f.reply(tk.T4, l1, at(D + 1000));
    await f.call({ ticketId: tk.T4, startedBy: l1, startedAt: at(D + 2000), endedAt: at(D + 2060) });
    // T5: P4, unassigned, never answered.
    tk.T5 = await f.ticket({
      subject: 'How do I reset my password',
      requester: customer,
      priority: 'P4',
      category: 'account',
      createdAt: at(2 * D),
    });
    // T6: created in the previous period, reopened once, solved inside the range; CSAT 1.
    tk.T6 = await f.ticket({
      subject: '退款 refund',
      requester: customer,
      assignee: l1,
      priority: 'P3',
      status: 'solved',
      createdAt: '2026-02-25T10:00:00Z',
      firstResponseAt: '2026-02-25T10:01:40Z',
      solvedAt: at(3 * D),
    });
    await f.reply(tk.T6, l1, '2026-02-25T10:01:40Z');
    await f.event(
      tk.T6,
      'ticket.updated',
      customer,
      { status: { from: 'solved', to: 'open' }, changes: {} },
      '2026-02-27T10:00:00Z',
    );
    await f.csat({
      ticketId: tk.T6,
      customer,
      agent: l1,
      score: 1,
      comment: 'refund still not working 退款',
      at: at(3 * D + 2 * H),
    });
    // T7: P3 live chat, 2026-03-07 10:00, nobody answered: the SLA engine records its breach.
    tk.T7 = await f.ticket({
      subject: '直播卡顿',
      requester: customer,
      priority: 'P3',
      channel: 'chat',
      createdAt: at(5 * D),
    });
    // T8: after the range.
    tk.T8 = await f.ticket({
      subject: 'Later',
      requester: customer,
      assignee: l1,
      priority: 'P1',
      status: 'solved',
      createdAt: '2026-03-09T10:00:00Z',
      firstResponseAt: '2026-03-09T10:00:10Z',
      solvedAt: '2026-03-09T11:00:00Z',
    });
    await f.nps(customer, 10, at(D), '客服很专业，退款很快');
    await f.nps(customer, 9, at(D + 1));
    await f.nps(customer, 7, at(D + 2));
    await f.nps(customer, 3, at(D + 3));
    await f.nps(customer, null, at(D + 4));
    await f.nps(customer, 0, '2026-03-10T00:00:00Z');
    // The SLA engine itself decides the active tickets' breaches, as of 2026-03-07 10:02:
    // T0 first response (8 h, 03-02 04:00) and resolution (72 h, 03-04 20:00); T4 resolution
    // (24 h, 03-04 10:00); T5 first response (03-04 18:00) and resolution (03-07 10:00); T7 first
    // response (the live chat's 60 s, 03-07 10:01).
    await t.app.sla.runOnce(new Date(at(5 * D + 120)));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const summary = async (query = RANGE, who = 'supervisor') => {
    const res = await api<ReportSummary>(who, `/api/reports/summary?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('computes every number of the summary exactly', async () => {
    const s = await summary();
    // Created in range: T0 T1 T2 T3 T4 T5 T7; still open: T0 T4 T5 T7; solved in range: T1 T2 T3 T6.
    expect(s.tickets).toEqual({ created: 7, solved: 4, open: 4 });
    // First responses 30, 120, 1000, 7200: median (120+1000)/2; p95 at rank 2.85: 1000 + 0.85·6200.
    expect(s.firstResponse.medianSeconds).toBe(560);
    expect(s.firstResponse.p95Seconds).toBe(6270);
    expect(s.firstResponse.responded).toBe(4);
    // Decided: the 4 answered + T0, T5, T7 breached while waiting; within: T1, T2, T4.
    expect(s.firstResponse.withinTargetShare).toBe(0.429);
    expect(s.firstResponse.byKey).toEqual([
      {
        key: 'P1',
        count: 2,
        medianSeconds: 75,
        p95Seconds: 115.5,
        decided: 2,
        withinTarget: 2,
        withinTargetShare: 1,
      },
      {
        key: 'P2',
        count: 1,
        medianSeconds: 7200,
        p95Seconds: 7200,
        decided: 1,
        withinTarget: 0,
        withinTargetShare: 0,
      },
      {
        key: 'P3',
        count: 1,
        medianSeconds: 1000,
        p95Seconds: 1000,
        decided: 2,
        withinTarget: 1,
        withinTargetShare: 0.5,
      },
      {
        key: 'P4',
        count: 0,
        medianSeconds: null,
        p95Seconds: null,
        decided: 2,
        withinTarget: 0,
        withinTargetShare: 0,
      },
      {
        key: 'chat',
        count: 1,
        medianSeconds: 30,
        p95Seconds: 30,
        decided: 2,
        withinTarget: 1,
        withinTargetShare: 0.5,
      },
    ]);
    // Resolutions 600, 3600, 10800, 691200 (T6: 8 days): median 7200; p95 10800 + 0.85·680400.
    expect(s.resolution.medianSeconds).toBe(7200);
    expect(s.resolution.p95Seconds).toBe(589140);
    expect(s.resolution.rows).toEqual([
      { by: 'priority', key: 'P1', count: 2, medianSeconds: 2100, p95Seconds: 3450 },
      { by: 'priority', key: 'P2', count: 1, medianSeconds: 10800, p95Seconds: 10800 },
      { by: 'priority', key: 'P3', count: 1, medianSeconds: 691200, p95Seconds: 691200 },
      { by: 'tier', key: 'L1', count: 3, medianSeconds: 3600, p95Seconds: 622440 },
      { by: 'tier', key: 'L2', count: 1, medianSeconds: 10800, p95Seconds: 10800 },
    ]);
    // Only T1: T2 had two replies, T3 was escalated, T6 reopened.
    expect(s.fcr).toEqual({ share: 0.25, count: 1, solved: 4 });
    expect(s.sla.breaches).toBe(7);
    expect(s.sla.clocks).toEqual([
      { clock: 'first_response', breaches: 4, compliance: 0.429 },
      { clock: 'next_response', breaches: 0, compliance: 1 },
      { clock: 'resolution', breaches: 3, compliance: 0.571 },
    ]);
    // CSAT 5, 2, 1 submitted in range; 3 of the 4 solved tickets answered.
    expect(s.csat).toMatchObject({
      average: 2.667,
      responses: 3,
      lowScores: 2,
      distribution: [1, 1, 0, 0, 1],
      responseRate: 0.75,
      asked: 4,
    });
    expect(s.csat.calls).toEqual({
      average: 4,
      responses: 1,
      lowScores: 0,
      distribution: [0, 0, 0, 1, 0],
      responseRate: 1,
      asked: 1,
      pictureAverage: 5,
      soundAverage: 3,
    });
    // 2 promoters, 1 passive, 1 detractor, 1 dismissal: (2 − 1) / 4 = 25.
    expect(s.nps).toEqual({
      score: 25,
      responses: 4,
      promoters: 2,
      passives: 1,
      detractors: 1,
      dismissed: 1,
    });
    // 600 connected seconds of 706200 resolution seconds.
    expect(s.calls).toEqual({
      count: 2,
      connected: 1,
      connectedSeconds: 600,
      shareOfResolutionTime: 0.001,
      resolvedAfterCall: 1,
      resolvedWithoutCall: 3,
      resolutionMedianAfterCallSeconds: 10800,
      resolutionMedianWithoutCallSeconds: 3600,
    });
    expect(s.qa).toEqual({ reviews: 1, average: 17, maxTotal: 25 });
    const byName = Object.fromEntries(s.agents.map((a) => [a.agentId, a]));
    expect(byName[ids.agentL1 as string]).toMatchObject({
      csatAverage: 2.667,
      csatResponses: 3,
      qaAverage: null,
      qaReviews: 0,
      solved: 3,
    });
    expect(byName[ids.agentL2 as string]).toMatchObject({
      csatAverage: null,
      csatResponses: 0,
      qaAverage: 17,
      qaReviews: 1,
      solved: 1,
    });
    expect(s.range.bucket).toBe('day');
    expect(
      s.trend.map((p) => [
        p.bucket,
        p.created,
        p.solved,
        p.firstResponseMedianSeconds,
        p.csatAverage,
        p.qaAverage,
      ]),
    ).toEqual([
      ['2026-03-01', 1, 0, null, null, null],
      ['2026-03-02', 3, 3, 120, 3.5, null],
      ['2026-03-03', 1, 0, 1000, null, null],
      ['2026-03-04', 1, 0, null, null, null],
      ['2026-03-05', 0, 1, null, 1, 17],
      ['2026-03-06', 0, 0, null, null, null],
      ['2026-03-07', 1, 0, null, null, null],
    ]);
  });

  it('applies the filters to every part they concern', async () => {
    const p1 = await summary(`${RANGE}&priority=P1`);
    expect(p1.tickets).toEqual({ created: 2, solved: 2, open: 0 });
    expect([p1.firstResponse.medianSeconds, p1.firstResponse.p95Seconds]).toEqual([75, 115.5]);
    expect(p1.csat).toMatchObject({ responses: 2, average: 3.5 });
    const l2 = await summary(`${RANGE}&agent=${ids.agentL2}`);
    expect(l2.tickets).toEqual({ created: 1, solved: 1, open: 0 });
    expect(l2.csat.responses).toBe(0);
    expect(l2.csat.average).toBeNull();
    expect(l2.calls).toMatchObject({ count: 1, connected: 1, connectedSeconds: 600 });
    const chat = await summary(`${RANGE}&channel=chat&tier=L1`);
    expect(chat.tickets.created).toBe(2);
    expect(chat.sla.breaches).toBe(1);
    const billing = await summary(`${RANGE}&category=billing`);
    expect(billing.tickets).toEqual({ created: 2, solved: 1, open: 1 });
    // NPS asks customers, not about tickets: the filters leave it alone.
    expect(billing.nps.score).toBe(25);
  });

  it('answers an empty range with zeros and nulls', async () => {
    const s = await summary('from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z');
    expect(s.tickets).toEqual({ created: 0, solved: 0, open: 0 });
    expect(s.firstResponse).toMatchObject({
      medianSeconds: null,
      p95Seconds: null,
      withinTargetShare: null,
      byKey: [],
    });
    expect(s.resolution).toMatchObject({ medianSeconds: null, p95Seconds: null, rows: [] });
    expect(s.fcr.share).toBeNull();
    expect(s.csat).toMatchObject({ average: null, responses: 0, lowScores: 0, responseRate: null });
    expect(s.nps.score).toBeNull();
    expect(s.calls).toMatchObject({ count: 0, connectedSeconds: 0, shareOfResolutionTime: null });
    expect(s.trend).toEqual([
      {
        bucket: '2025-01-01',
        created: 0,
        solved: 0,
        firstResponseMedianSeconds: null,
        csatAverage: null,
        csatResponses: 0,
        qaAverage: null,
      },
    ]);
  });

  it('buckets the trend in the requested time zone, and by week for long ranges', async () => {
    const s = await summary(`${RANGE}&tz=Asia/Shanghai`);
    // 03-01 00:00 UTC is 08:00 in Shanghai, 03-08 00:00 UTC is 08:00 on the 8th: eight local days.
    expect(s.trend.map((p) => [p.bucket, p.created])).toEqual([
      ['2026-03-01', 0],
      ['2026-03-02', 4],
      ['2026-03-03', 1],
      ['2026-03-04', 1],
      ['2026-03-05', 0],
      ['2026-03-06', 0],
      ['2026-03-07', 1],
      ['2026-03-08', 0],
    ]);
    expect(s.tickets.created).toBe(7);
    const weeks = await summary('from=2026-01-01T00:00:00Z&to=2026-04-30T00:00:00Z');
    expect(weeks.range.bucket).toBe('week');
    // ISO weeks start on Monday: 2026-03-02 is one, and holds T1–T5 and T7 (Saturday);
    // T0 (Sunday 03-01) and T6 (created 02-25) fall in the week of 02-23.
    expect(weeks.trend.find((p) => p.bucket === '2026-03-02')?.created).toBe(6);
    expect(weeks.trend.find((p) => p.bucket === '2026-02-23')?.created).toBe(2);
  });

  it('lists the tickets behind a number', async () => {
    const list = async (query: string) => {
      const res = await api<ReportTicketList>('supervisor', `/api/reports/tickets?${RANGE}&${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const low = await list('metric=csat.low');
    expect(low.total).toBe(2);
    expect(low.rows.map((r) => r.id).sort()).toEqual([tk.T2, tk.T6].sort());
    expect(low.rows.find((r) => r.id === tk.T2)).toMatchObject({
      csatScore: 2,
      csatComment: '退款太慢了',
      resolutionSeconds: 3600,
      firstResponseSeconds: 120,
      subject: '退款没有到账',
    });
    expect((await list('metric=fcr')).rows.map((r) => r.id)).toEqual([tk.T1]);
    expect((await list('metric=tickets.open')).total).toBe(4);
    expect((await list('metric=firstResponse.missed')).rows.map((r) => r.id).sort()).toEqual(
      [tk.T0, tk.T3, tk.T5, tk.T7].sort(),
    );
    expect((await list('metric=resolved.afterCall')).rows.map((r) => r.id)).toEqual([tk.T3]);
    expect((await list('metric=csat.score&score=5')).rows.map((r) => r.id)).toEqual([tk.T1]);
    expect((await list('metric=calls.connected')).rows.map((r) => r.id)).toEqual([tk.T3]);
    expect((await list('metric=sla.breaches&priority=P4')).total).toBe(2);
    expect((await list(`metric=tickets.solved&agent=${ids.agentL1}`)).total).toBe(3);
  });

  it('shows where the time goes', async () => {
    const res = await api<TicketHealth>('qa', `/api/reports/health?${RANGE}&tier=L2`);
    expect(res.status).toBe(200);
    // T3 only: new for 7200 s, then open for 3600 s; L1 for 100 s, then L2 until solved.
    expect(res.body.statuses.filter((r) => r.tickets > 0)).toEqual([
      { key: 'new', totalSeconds: 7200, tickets: 1, averageSeconds: 7200 },
      { key: 'open', totalSeconds: 3600, tickets: 1, averageSeconds: 3600 },
    ]);
    expect(res.body.tiers.filter((r) => r.tickets > 0)).toEqual([
      { key: 'L1', totalSeconds: 100, tickets: 1, averageSeconds: 100 },
      { key: 'L2', totalSeconds: 10700, tickets: 1, averageSeconds: 10700 },
    ]);
    expect(res.body.handoffs).toEqual({
      tickets: 1,
      total: 1,
      average: 1,
      max: 1,
      distribution: [0, 1, 0, 0],
    });
    expect(res.body.longestWaits).toContainEqual({
      key: 'status:new',
      ticketId: tk.T3,
      number: expect.any(Number),
      subject: '视频课程无法播放',
      seconds: 7200,
    });
  });

  it('finds what customers say, Chinese segmented, against the previous period', async () => {
    const res = await api<CustomerTerms>('supervisor', `/api/reports/terms?${RANGE}`);
    expect(res.status).toBe(200);
    const refund = res.body.terms[0];
    // 退款 in the subjects of T1 and T2, the CSAT comments of T1, T2, T6 and one NPS comment;
    // before: T6's subject.
    expect(refund).toMatchObject({ term: '退款', count: 6, previous: 1, change: 5 });
    expect(
      refund?.sources
        .map((s) => s.kind)
        .slice(0, 4)
        .sort(),
    ).toEqual(['csat', 'csat', 'csat', 'nps']);
    expect(refund?.sources.some((s) => s.text === '退款太慢了' && s.ticketId === tk.T2)).toBe(true);
    // Stop words and single characters are not terms.
    expect(res.body.terms.map((x) => x.term)).not.toContain('了');
  });

  it('lets supervisors, admins and QA read; refuses customers, agents and strangers; rejects bad input', async () => {
    for (const who of ['admin', 'qa'])
      expect((await api(who, `/api/reports/summary?${RANGE}`)).status).toBe(200);
    for (const who of ['customer', 'agentL1'])
      for (const path of ['summary', 'tickets', 'health', 'terms'])
        expect((await api(who, `/api/reports/${path}?${RANGE}&metric=fcr`)).status).toBe(403);
    expect((await fetch(`${t.url}/api/reports/summary?${RANGE}`)).status).toBe(401);
    const bad = async (query: string) => {
      const res = await api<{ error: { code: string; details: Array<{ path: string }> } }>(
        'supervisor',
        `/api/reports/summary?${query}`,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
      return res.body.error.details.map((f) => f.path);
    };
    expect(await bad('from=yesterday&to=2026-03-08T00:00:00Z')).toEqual(['from']);
    expect(await bad('from=2026-03-08T00:00:00Z&to=2026-03-01T00:00:00Z')).toEqual(['to']);
    expect(await bad('from=2024-01-01T00:00:00Z&to=2026-03-01T00:00:00Z')).toEqual(['to']);
    expect(await bad(`${RANGE}&tz=Mars/Olympus`)).toEqual(['tz']);
    expect(await bad(`${RANGE}&priority=P9`)).toEqual(['priority']);
    expect(await bad(`${RANGE}&agent=42`)).toEqual(['agent']);
    expect((await api('supervisor', `/api/reports/tickets?${RANGE}&metric=nope`)).status).toBe(400);
    const doc = await fetch(`${t.url}/api/openapi.json`).then(
      (r) => r.json() as Promise<{ paths: Record<string, unknown> }>,
    );
    for (const path of ['summary', 'tickets', 'health', 'terms'])
      expect(doc.paths).toHaveProperty(`/api/reports/${path}`);
  });
});
