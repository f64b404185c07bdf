import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callParticipants, calls } from '../../server/db/schema';
import type {
  CallRatingView,
  CsatRatingView,
  FollowUpView,
  NpsPromptView,
  NpsResponseView,
  TicketCsatState,
} from '../../signaling/shared/feedback';
import type { TicketView, TimelineEntry } from '../../signaling/shared/protocol';
import { BACKENDS } from '../helpers/database';
import { ManualClock } from '../helpers/manualClock';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// The feedback loop as customers and supervisors use it over the REST API: CSAT on a solved
// ticket and on a connected call (access, validation, the change window on a manual clock), the
// follow-up a low score opens (deadline, overdue, closing note, who may see and close it) and NPS
// (who is asked, and at most once per period).
describe.each(BACKENDS)('feedback on %s', (backend) => {
  let t: TestApp;
  const clock = new ManualClock();
  // Must pass the password policy: long, unguessable, without the account's name or e-mail.
  const SECOND_CUSTOMERS_PASSWORD = 'violet-harbour-kettle-93';
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const api = restAs(() => t.url, tokens);

  const credentials: Record<string, [email: string, password?: string]> = {};
  async function signInEveryone() {
    for (const [who, [email, password]] of Object.entries(credentials))
      tokens[who] = await login(t.url, email, password);
  }
  /** Moves time on, then signs everyone in again: access tokens and sessions age on the same clock. */
  async function advance(ms: number) {
    clock.advance(ms);
    await signInEveryone();
  }

  beforeAll(async () => {
    t = await startTestApp({ backend, clock });
    for (const [key, email] of Object.entries(DEMO)) credentials[key] = [email];
    for (const name of ['other', 'newcomer']) {
      const email = `${name}.customer-${backend}@example.com`;
      await t.app.users.create({
        email,
        name: `${name} customer`,
        password: SECOND_CUSTOMERS_PASSWORD,
        role: 'customer',
        skills: [],
        locale: 'en',
      });
      credentials[name] = [email, SECOND_CUSTOMERS_PASSWORD];
    }
    await signInEveryone();
    for (const who of Object.keys(tokens))
      ids[who] = (await api<{ id: string }>(who, '/api/auth/me')).body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  async function ticket(subject: string, { solved = true, customer = 'customer' } = {}) {
    const created = await api<TicketView>(customer, '/api/tickets', {
      method: 'POST',
      body: { subject, description: 'It does not work.', category: 'technical' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await api('agentL1', `/api/tickets/${id}/claim`, { method: 'POST' })).status).toBe(200);
    if (solved) {
      const res = await api(customer === 'customer' ? 'agentL1' : 'supervisor', `/api/tickets/${id}`, {
        method: 'PATCH',
        body: { status: 'solved' },
      });
      expect(res.status).toBe(200);
    }
    return id;
  }

  const timeline = async (ticketId: string) =>
    (await api<{ items: TimelineEntry[] }>('supervisor', `/api/tickets/${ticketId}/timeline`)).body.items;

  const followUpsOf = async (ticketId: string, who = 'supervisor', state = 'all') =>
    (
      await api<{ items: FollowUpView[] }>(
        who,
        `/api/feedback/follow-ups?state=${state}&ticketId=${ticketId}`,
      )
    ).body.items;

  it('lets only the ticket’s customer rate a solved ticket, validates, and shows the rating to staff', async () => {
    const id = await ticket('Cannot publish an assignment', { solved: false });
    const rate = (who: string, body: unknown) =>
      api(who, `/api/tickets/${id}/csat`, { method: 'POST', body });

    const early = await rate('customer', { score: 5 });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/not solved/);
    expect((await api<TicketCsatState>('customer', `/api/tickets/${id}/csat`)).body).toEqual({
      eligible: false,
      rating: null,
    });
    expect(
      (await api('agentL1', `/api/tickets/${id}`, { method: 'PATCH', body: { status: 'solved' } })).status,
    ).toBe(200);

    for (const staff of ['agentL1', 'supervisor', 'qa', 'admin']) {
      const res = await rate(staff, { score: 5 });
      expect(res.status, staff).toBe(403);
    }
    expect((await rate('other', { score: 5 })).status).toBe(404);
    expect((await api('other', `/api/tickets/${id}/csat`)).status).toBe(404);
    const anonymous = await fetch(`${t.url}/api/tickets/${id}/csat`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);

    const invalid: Array<[unknown, string]> = [
      [{}, 'score'],
      [{ score: 0 }, 'score'],
      [{ score: 6 }, 'score'],
      [{ score: 3.5 }, 'score'],
      [{ score: '5' }, 'score'],
      [{ score: 4, comment: 'x'.repeat(2001) }, 'comment'],
      [{ score: 4, comment: 'nul\u0000' }, 'comment'],
      [{ score: 4, stars: 5 }, '(root)'],
    ];
    for (const [body, path] of invalid) {
      const res = await rate('customer', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const scoreIssue = (await rate('customer', { score: 9 })).body.error.details[0];
    expect(scoreIssue).toEqual({
      path: 'score',
      message: 'must be a whole number from 1 to 5',
      rule: 'too_big',
      limit: 5,
    });
    // Nothing was stored by the refused requests.
    expect((await api<TicketCsatState>('customer', `/api/tickets/${id}/csat`)).body.rating).toBeNull();

    const first = await rate('customer', { score: 4, comment: '  Quick and clear  ' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      ticketId: id,
      score: 4,
      comment: 'Quick and clear',
      locked: false,
      revisions: 0,
    });
    const rating = first.body as CsatRatingView;
    expect(Date.parse(rating.locksAt) - Date.parse(rating.submittedAt)).toBe(7 * DAY);

    for (const reader of ['customer', 'agentL1', 'qa', 'supervisor']) {
      const state = await api<TicketCsatState>(reader, `/api/tickets/${id}/csat`);
      expect(state.status, reader).toBe(200);
      expect(state.body).toMatchObject({ eligible: true, rating: { score: 4, comment: 'Quick and clear' } });
    }
    const entries = (await timeline(id)).filter((e) => e.type === 'csat.submitted');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: { id: ids.customer }, data: { score: 4, previous: null } });
    // A good score opens no follow-up.
    expect(await followUpsOf(id)).toEqual([]);
  });

  it('lets the customer change the answer within the window (re-POST), then locks it', async () => {
    const id = await ticket('Payment shown twice');
    const rate = (body: unknown) => api('customer', `/api/tickets/${id}/csat`, { method: 'POST', body });
    expect((await rate({ score: 3 })).status).toBe(201);
    await advance(6 * DAY);
    const changed = await rate({ score: 5, comment: 'Refund arrived' });
    expect(changed.status).toBe(201);
    expect(changed.body).toMatchObject({ score: 5, comment: 'Refund arrived', revisions: 1 });
    const entries = (await timeline(id)).filter((e) => e.type === 'csat.submitted');
    expect(entries.map((e) => e.data)).toEqual([
      { score: 3, comment: null, previous: null },
      { score: 5, comment: 'Refund arrived', previous: { score: 3, comment: null } },
    ]);

    await advance(DAY);
    const locked = await rate({ score: 1 });
    expect(locked.status).toBe(409);
    expect(locked.body.error.message).toMatch(/can no longer be changed/);
    const state = await api<TicketCsatState>('customer', `/api/tickets/${id}/csat`);
    expect(state.body.rating).toMatchObject({ score: 5, locked: true });
    expect((await timeline(id)).filter((e) => e.type === 'csat.submitted')).toHaveLength(2);
    expect(await followUpsOf(id)).toEqual([]);
  });

  it('opens a follow-up for a low score, marks it overdue at its deadline, and closes it with a note', async () => {
    const id = await ticket('Lost my course progress');
    const low = await api('customer', `/api/tickets/${id}/csat`, {
      method: 'POST',
      body: { score: 1, comment: 'Nobody called back' },
    });
    expect(low.status).toBe(201);

    const [opened] = await followUpsOf(id);
    expect(opened).toMatchObject({
      source: 'ticket_csat',
      ticketId: id,
      score: 1,
      comment: 'Nobody called back',
      customer: { id: ids.customer },
      agent: { id: ids.agentL1 },
      overdue: false,
      overdueAt: null,
      closedAt: null,
    });
    expect(Date.parse(opened!.dueAt) - Date.parse(opened!.openedAt)).toBe(24 * HOUR);
    expect((await timeline(id)).find((e) => e.type === 'followup.opened')?.data).toMatchObject({
      followUpId: opened!.id,
      score: 1,
      dueAt: opened!.dueAt,
    });
    // Changing a low score to another low score keeps the one follow-up.
    expect(
      (await api('customer', `/api/tickets/${id}/csat`, { method: 'POST', body: { score: 2 } })).status,
    ).toBe(201);
    expect(await followUpsOf(id)).toHaveLength(1);

    // Who sees the queue: supervisors, admins, QA (read-only); not agents or customers.
    expect((await followUpsOf(id, 'admin')).map((f) => f.id)).toEqual([opened!.id]);
    expect((await followUpsOf(id, 'qa')).map((f) => f.id)).toEqual([opened!.id]);
    expect((await api('agentL1', '/api/feedback/follow-ups')).status).toBe(403);
    expect((await api('customer', '/api/feedback/follow-ups')).status).toBe(403);
    expect((await api('supervisor', '/api/feedback/follow-ups?state=late')).status).toBe(400);

    // Not overdue a minute before the deadline; overdue (once, with an event) at it.
    await advance(24 * HOUR - 60_000);
    expect((await followUpsOf(id, 'supervisor', 'overdue')).map((f) => f.id)).toEqual([]);
    const overdueEvent = new Promise<TimelineEntry>((resolve) =>
      t.app.bus.on('followup.overdue', ({ entry }) => {
        if (entry.ticketId === id) resolve(entry);
      }),
    );
    await advance(60_000);
    expect((await overdueEvent).data).toMatchObject({ followUpId: opened!.id });
    const [overdue] = await followUpsOf(id, 'supervisor', 'overdue');
    expect(overdue).toMatchObject({ id: opened!.id, overdue: true, closedAt: null });
    expect(overdue!.overdueAt).not.toBeNull();
    await t.app.feedback.followUps.sweep();
    expect((await timeline(id)).filter((e) => e.type === 'followup.overdue')).toHaveLength(1);

    const close = (who: string, followUpId: string, body: unknown) =>
      api<FollowUpView>(who, `/api/feedback/follow-ups/${followUpId}/close`, { method: 'POST', body });
    expect((await close('qa', opened!.id, { note: 'Looked at it' })).status).toBe(403);
    expect((await close('agentL1', opened!.id, { note: 'Looked at it' })).status).toBe(403);
    const empty = await close('supervisor', opened!.id, { note: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ error: { details: [{ path: 'note' }] } });
    expect((await close('supervisor', '00000000-0000-4000-8000-000000000000', { note: 'x' })).status).toBe(
      404,
    );

    const closed = await close('supervisor', opened!.id, {
      note: 'Called back; restored the progress from backup',
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      id: opened!.id,
      overdue: false,
      closedBy: { id: ids.supervisor },
      note: 'Called back; restored the progress from backup',
    });
    expect(closed.body.closedAt).not.toBeNull();
    expect((await close('admin', opened!.id, { note: 'Again' })).status).toBe(409);
    expect(await followUpsOf(id, 'supervisor', 'open')).toEqual([]);
    expect((await followUpsOf(id, 'supervisor', 'closed')).map((f) => f.id)).toEqual([opened!.id]);
    expect((await timeline(id)).find((e) => e.type === 'followup.closed')).toMatchObject({
      actor: { id: ids.supervisor },
      data: { followUpId: opened!.id, note: 'Called back; restored the progress from backup' },
    });
  });

  it('rates a connected call separately (picture, sound, helpfulness) and follows up a low part', async () => {
    const id = await ticket('Screen share was blurry');
    // A call as the calls service records one (tests/integration/calls.test.ts covers how media
    // makes it connected): one that connected and ended, one that never connected, one ringing.
    const now = clock.now();
    const insertCall = async (values: Partial<typeof calls.$inferInsert>) => {
      const [row] = await t.app.db.db
        .insert(calls)
        .values({ ticketId: id, startedById: ids.agentL1!, startedAt: now, ...values })
        .returning();
      await t.app.db.db.insert(callParticipants).values([
        { callId: row!.id, userId: ids.agentL1!, role: 'agent' },
        { callId: row!.id, userId: ids.customer!, role: 'customer' },
      ]);
      return row!.id;
    };
    const connected = await insertCall({
      status: 'ended',
      connectedAt: now,
      endedAt: now,
      endReason: 'hangup',
    });
    const missed = await insertCall({ status: 'ended', endedAt: now, endReason: 'no_answer' });
    const ringing = await insertCall({ status: 'ringing' });
    const rate = (who: string, callId: string, body: unknown) =>
      api<CallRatingView>(who, `/api/calls/${callId}/rating`, { method: 'POST', body });
    const good = { picture: 5, sound: 2, helpfulness: 4, comment: 'Echo on my side' };

    expect((await rate('agentL1', connected, good)).status).toBe(403);
    expect((await rate('supervisor', connected, good)).status).toBe(403);
    expect((await rate('other', connected, good)).status).toBe(404);
    expect((await api('other', `/api/calls/${connected}/rating`)).status).toBe(404);
    expect((await rate('customer', '00000000-0000-4000-8000-000000000000', good)).status).toBe(404);
    const invalid = await rate('customer', connected, { picture: 0, sound: 3 });
    expect(invalid.status).toBe(400);
    expect((invalid.body as any).error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'helpfulness',
      'picture',
    ]);
    const notConnected = await rate('customer', missed, good);
    expect(notConnected.status).toBe(409);
    expect((notConnected.body as any).error.message).toMatch(/never connected/);
    expect((await rate('customer', ringing, good)).status).toBe(409);
    expect((await api('customer', `/api/calls/${missed}/rating`)).body).toEqual({
      eligible: false,
      rating: null,
    });

    const rated = await rate('customer', connected, good);
    expect(rated.status).toBe(201);
    expect(rated.body).toMatchObject({
      callId: connected,
      ticketId: id,
      picture: 5,
      sound: 2,
      helpfulness: 4,
    });
    expect((await api('agentL1', `/api/calls/${connected}/rating`)).body).toMatchObject({
      eligible: true,
      rating: { sound: 2, comment: 'Echo on my side' },
    });
    expect((await timeline(id)).find((e) => e.type === 'call_rating.submitted')?.data).toMatchObject({
      callId: connected,
      picture: 5,
      sound: 2,
      helpfulness: 4,
    });
    const [followUp] = await followUpsOf(id);
    expect(followUp).toMatchObject({
      source: 'call_rating',
      callId: connected,
      score: 2,
      comment: 'Echo on my side',
    });

    await advance(7 * DAY);
    const locked = await rate('customer', connected, { picture: 5, sound: 5, helpfulness: 5 });
    expect(locked.status).toBe(409);
    expect((await api('customer', `/api/calls/${connected}/rating`)).body.rating).toMatchObject({
      sound: 2,
      locked: true,
    });
  });

  it('asks NPS only after a solved ticket, at most once per period; dismissing counts as asked', async () => {
    const prompt = async (who: string) => (await api<NpsPromptView>(who, '/api/feedback/nps/prompt')).body;
    expect((await api('agentL1', '/api/feedback/nps/prompt')).status).toBe(403);
    expect(
      (await api('supervisor', '/api/feedback/nps', { method: 'POST', body: { score: 9 } })).status,
    ).toBe(403);

    // A customer with no solved ticket is not asked, and cannot answer.
    expect(await prompt('newcomer')).toEqual({ ask: false, nextAt: null });
    const early = await api('newcomer', '/api/feedback/nps', { method: 'POST', body: { score: 9 } });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/solved/);

    await ticket('Certificate has the wrong name', { customer: 'newcomer' });
    expect(await prompt('newcomer')).toEqual({ ask: true, nextAt: null });
    for (const body of [{ score: 11 }, { score: -1 }, { score: 7.5 }, {}]) {
      const res = await api('newcomer', '/api/feedback/nps', { method: 'POST', body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details[0].path).toBe('score');
    }
    const answered = await api<NpsResponseView>('newcomer', '/api/feedback/nps', {
      method: 'POST',
      body: { score: 9, comment: 'The video call saved my day' },
    });
    expect(answered.status).toBe(201);
    expect(answered.body).toMatchObject({
      score: 9,
      category: 'promoter',
      comment: 'The video call saved my day',
    });
    expect(Date.parse(answered.body.nextAt) - Date.parse(answered.body.askedAt)).toBe(90 * DAY);
    expect(await prompt('newcomer')).toEqual({ ask: false, nextAt: answered.body.nextAt });
    const again = await api('newcomer', '/api/feedback/nps', { method: 'POST', body: { score: 3 } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already asked/);

    await advance(89 * DAY);
    expect((await prompt('newcomer')).ask).toBe(false);
    await advance(DAY);
    expect((await prompt('newcomer')).ask).toBe(true);
    const dismissed = await api<NpsResponseView>('newcomer', '/api/feedback/nps/dismiss', { method: 'POST' });
    expect(dismissed.status).toBe(201);
    expect(dismissed.body).toMatchObject({ score: null, category: null });
    expect(await prompt('newcomer')).toEqual({ ask: false, nextAt: dismissed.body.nextAt });

    await advance(90 * DAY);
    const passive = await api<NpsResponseView>('newcomer', '/api/feedback/nps', {
      method: 'POST',
      body: { score: 7 },
    });
    expect(passive.body.category).toBe('passive');
    await advance(90 * DAY);
    const detractor = await api<NpsResponseView>('newcomer', '/api/feedback/nps', {
      method: 'POST',
      body: { score: 6 },
    });
    expect(detractor.body.category).toBe('detractor');
  });

  it('stamps a solved ticket on the service clock, so its rating window starts then', async () => {
    // Far ahead of the wall clock: a solvedAt taken from `new Date()` would lie a month in the past.
    await advance(30 * DAY);
    const id = await ticket('Certificate shows the wrong name');
    const view = await api<TicketView>('customer', `/api/tickets/${id}`);
    const solvedAt = Date.parse(view.body.solvedAt!);
    expect(Math.abs(solvedAt - clock.now().getTime())).toBeLessThan(60_000);
    const rated = await api('customer', `/api/tickets/${id}/csat`, { method: 'POST', body: { score: 4 } });
    expect(rated.status, JSON.stringify(rated.body)).toBe(201);
  });

  it('documents every feedback route in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as {
      paths: Record<string, object>;
    };
    for (const path of [
      '/api/tickets/{id}/csat',
      '/api/calls/{id}/rating',
      '/api/feedback/follow-ups',
      '/api/feedback/follow-ups/{id}/close',
      '/api/feedback/nps/prompt',
      '/api/feedback/nps',
      '/api/feedback/nps/dismiss',
    ]) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    expect(Object.keys(doc.paths['/api/tickets/{id}/csat']!).sort()).toEqual(['get', 'post']);
  });
});
