import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_POLICY } from '../../server/sla/defaultPolicy';
import {
  type BusinessHours,
  type ClockState,
  evaluateSla,
  type SlaAlert,
  type SlaClock,
  type SlaPolicy,
  type SlaTicketFacts,
  type TicketStatus,
  urgencyScore,
} from '../../server/sla/evaluate';

// Every expected number below is worked out by hand in the comment next to it; the point of these
// tests is that a refactor cannot move an instant by a second without one of them failing.

const MIN = 60;
const HOUR = 3600;
/** Monday 2 March 2026, 10:00 UTC: far from any DST change, so 24/7 cases are plain arithmetic. */
const T0 = new Date('2026-03-02T10:00:00Z');

const plus = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);
const t = (seconds: number) => plus(T0, seconds);
const utc = (iso: string) => new Date(iso);

type Activity = SlaTicketFacts['activity'][number];
const customer = (at: Date): Activity => ({ kind: 'customer_message', at });
const agent = (at: Date): Activity => ({ kind: 'agent_response', at });
const status = (s: TicketStatus, at: Date) => ({ status: s, at });

function ticket(over: Partial<SlaTicketFacts> = {}): SlaTicketFacts {
  const createdAt = over.createdAt ?? T0;
  return {
    priority: 'P2',
    channel: 'email',
    createdAt,
    statusChanges: [status('new', createdAt)],
    activity: [customer(createdAt)],
    ...over,
  };
}

function evaluate(facts: SlaTicketFacts, now: Date, recorded: SlaAlert[] = [], policy = DEFAULT_SLA_POLICY) {
  return evaluateSla(policy, facts, now, recorded);
}

const alert = (clock: SlaClock, kind: SlaAlert['kind'], at: Date, cycle = 0): SlaAlert => ({
  clock,
  kind,
  cycle,
  at,
});

const BERLIN_WEEKDAYS_9_TO_5: BusinessHours = {
  timeZone: 'Europe/Berlin',
  weekly: {
    1: [{ start: '09:00', end: '17:00' }],
    2: [{ start: '09:00', end: '17:00' }],
    3: [{ start: '09:00', end: '17:00' }],
    4: [{ start: '09:00', end: '17:00' }],
    5: [{ start: '09:00', end: '17:00' }],
  },
};
const withHours = (businessHours: BusinessHours): SlaPolicy => ({ ...DEFAULT_SLA_POLICY, businessHours });

describe('DEFAULT_SLA_POLICY', () => {
  it('has the product targets in seconds and is frozen', () => {
    expect(DEFAULT_SLA_POLICY.targets).toEqual({
      P1: { first_response: 1800, next_response: 1800, resolution: 14400 },
      P2: { first_response: 3600, next_response: 7200, resolution: 28800 },
      P3: { first_response: 14400, next_response: 28800, resolution: 86400 },
      P4: { first_response: 28800, next_response: 86400, resolution: 259200 },
    });
    expect(DEFAULT_SLA_POLICY.warnAtFraction).toBe(0.8);
    expect(DEFAULT_SLA_POLICY.pauseWhilePending).toBe(true);
    expect(DEFAULT_SLA_POLICY.pauseWhileOnHold).toBe(true);
    expect(DEFAULT_SLA_POLICY.businessHours).toBeNull();
    expect(Object.isFrozen(DEFAULT_SLA_POLICY.targets.P1)).toBe(true);
  });
});

describe('first_response', () => {
  it('is met when answered in time, and emits nothing', () => {
    // P2 email: 1 h target. Answered after 20 min; evaluated 2 h in.
    const facts = ticket({
      statusChanges: [status('new', T0), status('open', t(20 * MIN))],
      activity: [customer(T0), agent(t(20 * MIN))],
    });
    const { clocks, newAlerts } = evaluate(facts, t(2 * HOUR));
    expect(clocks.first_response).toEqual({
      clock: 'first_response',
      status: 'met',
      cycle: 0,
      breached: false,
      targetSeconds: 3600,
      elapsedSeconds: 1200,
      remainingSeconds: 2400,
      dueAt: null,
      fraction: 1200 / 3600,
    });
    // Nobody waits for a follow-up; resolution (8 h) is at 2 h, below its 6 h 24 min warning.
    expect(clocks.next_response.status).toBe('not_started');
    expect(clocks.resolution.status).toBe('running');
    expect(clocks.resolution.dueAt).toEqual(t(8 * HOUR));
    expect(newAlerts).toEqual([]);
  });

  it('runs with an exact dueAt while nobody has answered', () => {
    const { clocks, newAlerts } = evaluate(ticket(), t(30 * MIN));
    expect(clocks.first_response).toMatchObject({
      status: 'running',
      breached: false,
      elapsedSeconds: 1800,
      remainingSeconds: 1800,
      fraction: 0.5,
      dueAt: t(HOUR),
    });
    expect(newAlerts).toEqual([]);
  });

  it('warns at exactly 80 % of the target and breaches at 100 %, each once', () => {
    const facts = ticket();
    // 0.8 × 3600 s = 2880 s = 48 min.
    const warning = alert('first_response', 'warning', t(48 * MIN));
    const breach = alert('first_response', 'breach', t(HOUR));

    expect(evaluate(facts, t(48 * MIN - 1)).newAlerts).toEqual([]);
    expect(evaluate(facts, t(48 * MIN)).newAlerts).toEqual([warning]);
    expect(evaluate(facts, t(50 * MIN)).newAlerts).toEqual([warning]);
    // Re-running with the warning recorded: nothing new until the breach.
    expect(evaluate(facts, t(50 * MIN), [warning]).newAlerts).toEqual([]);
    expect(evaluate(facts, t(2 * HOUR), [warning]).newAlerts).toEqual([breach]);
    // Both crossed since the last run: both, warning first, each at its own instant (not `now`).
    expect(evaluate(facts, t(2 * HOUR)).newAlerts).toEqual([warning, breach]);
    // Recorded both: a re-run and a later run return nothing (resolution warns only at 6 h 24 min).
    expect(evaluate(facts, t(2 * HOUR), [warning, breach]).newAlerts).toEqual([]);
    expect(evaluate(facts, t(6 * HOUR), [warning, breach]).newAlerts).toEqual([]);
  });

  it('stays running when overdue, with negative remaining time and dueAt at the past breach', () => {
    const { clocks } = evaluate(ticket(), t(2 * HOUR));
    expect(clocks.first_response).toMatchObject({
      status: 'running',
      breached: true,
      elapsedSeconds: 7200,
      remainingSeconds: -3600,
      fraction: 2,
      dueAt: t(HOUR),
    });
  });

  it('answered after the warning: status met, only the warning is emitted', () => {
    const facts = ticket({ activity: [customer(T0), agent(t(55 * MIN))] });
    const { clocks, newAlerts } = evaluate(facts, t(3 * HOUR));
    expect(clocks.first_response).toMatchObject({ status: 'met', elapsedSeconds: 3300 });
    expect(newAlerts).toEqual([alert('first_response', 'warning', t(48 * MIN))]);
  });

  it('answered late: status breached with both alerts at their crossing instants', () => {
    const facts = ticket({ activity: [customer(T0), agent(t(90 * MIN))] });
    const { clocks, newAlerts } = evaluate(facts, t(3 * HOUR));
    expect(clocks.first_response).toMatchObject({
      status: 'breached',
      breached: true,
      elapsedSeconds: 5400,
      remainingSeconds: -1800,
      dueAt: null,
    });
    expect(newAlerts).toEqual([
      alert('first_response', 'warning', t(48 * MIN)),
      alert('first_response', 'breach', t(HOUR)),
    ]);
  });

  it('ignores facts after `now`, so the past can be replayed', () => {
    const facts = ticket({ activity: [customer(T0), agent(t(20 * MIN))] });
    expect(evaluate(facts, t(10 * MIN)).clocks.first_response).toMatchObject({
      status: 'running',
      elapsedSeconds: 600,
    });
  });

  it('is ended by solving without a reply (the customer is no longer waiting)', () => {
    const facts = ticket({ statusChanges: [status('new', T0), status('solved', t(10 * MIN))], activity: [] });
    const { clocks, newAlerts } = evaluate(facts, t(5 * HOUR));
    expect(clocks.first_response).toMatchObject({ status: 'met', elapsedSeconds: 600 });
    expect(clocks.resolution).toMatchObject({ status: 'met', elapsedSeconds: 600 });
    expect(newAlerts).toEqual([]);
  });
});

describe('channel overrides', () => {
  it('chat uses the 60 s first-response target for every priority', () => {
    for (const priority of ['P1', 'P2', 'P3', 'P4'] as const) {
      const facts = ticket({ channel: 'chat', priority });
      const { clocks } = evaluate(facts, t(30));
      expect(clocks.first_response).toMatchObject({ targetSeconds: 60, remainingSeconds: 30, dueAt: t(60) });
    }
    const facts = ticket({ channel: 'chat' });
    // 0.8 × 60 s = 48 s.
    expect(evaluate(facts, t(2 * MIN)).newAlerts).toEqual([
      alert('first_response', 'warning', t(48)),
      alert('first_response', 'breach', t(60)),
    ]);
    // Only first response is overridden: chat P2 still has the 2 h next-response and 8 h resolution targets.
    const { clocks } = evaluate(facts, t(30));
    expect(clocks.next_response.targetSeconds).toBe(7200);
    expect(clocks.resolution.targetSeconds).toBe(28800);
  });
});

describe('pauses', () => {
  // P2 email, never answered: pending (or on hold) from 10 to 20 min.
  const pausedTicket = (pause: TicketStatus) =>
    ticket({
      statusChanges: [status('new', T0), status(pause, t(10 * MIN)), status('open', t(20 * MIN))],
    });

  for (const pause of ['pending', 'on_hold'] as const) {
    it(`${pause} for 10 minutes shifts dueAt and the crossing instants by exactly 10 minutes`, () => {
      const facts = pausedTicket(pause);
      const during = evaluate(facts, t(15 * MIN)).clocks;
      expect(during.first_response).toMatchObject({ status: 'paused', elapsedSeconds: 600, dueAt: null });
      expect(during.resolution).toMatchObject({ status: 'paused', elapsedSeconds: 600, dueAt: null });

      const after = evaluate(facts, t(30 * MIN));
      expect(after.clocks.first_response).toMatchObject({
        status: 'running',
        elapsedSeconds: 1200,
        remainingSeconds: 2400,
        dueAt: t(70 * MIN),
      });
      expect(after.clocks.resolution.dueAt).toEqual(t(8 * HOUR + 10 * MIN));
      expect(evaluate(facts, t(2 * HOUR)).newAlerts).toEqual([
        alert('first_response', 'warning', t(58 * MIN)),
        alert('first_response', 'breach', t(70 * MIN)),
      ]);
    });
  }

  it('a pause that is turned off in the policy counts like any other time', () => {
    const policy: SlaPolicy = { ...DEFAULT_SLA_POLICY, pauseWhilePending: false };
    const facts = pausedTicket('pending');
    expect(evaluate(facts, t(15 * MIN), [], policy).clocks.first_response).toMatchObject({
      status: 'running',
      elapsedSeconds: 900,
      dueAt: t(HOUR),
    });
    expect(evaluate(facts, t(2 * HOUR), [], policy).newAlerts).toEqual([
      alert('first_response', 'warning', t(48 * MIN)),
      alert('first_response', 'breach', t(HOUR)),
    ]);
    // on_hold still pauses under that policy.
    expect(evaluate(pausedTicket('on_hold'), t(30 * MIN), [], policy).clocks.first_response.dueAt).toEqual(
      t(70 * MIN),
    );
  });

  it('a threshold crossed before a pause keeps its instant; no alert fires while paused', () => {
    // Pending from 50 min (after the 48 min warning) to 3 h; breach needs 12 more minutes after that.
    const facts = ticket({
      statusChanges: [status('new', T0), status('pending', t(50 * MIN)), status('open', t(3 * HOUR))],
    });
    expect(evaluate(facts, t(2 * HOUR)).newAlerts).toEqual([alert('first_response', 'warning', t(48 * MIN))]);
    expect(evaluate(facts, t(4 * HOUR)).newAlerts).toEqual([
      alert('first_response', 'warning', t(48 * MIN)),
      alert('first_response', 'breach', t(3 * HOUR + 10 * MIN)),
    ]);
  });
});

describe('next_response', () => {
  // P2 email: next-response target 2 h, warning at 0.8 × 7200 s = 5760 s = 1 h 36 min.
  it('does not run while nobody waits, including for messages before the first response', () => {
    const facts = ticket({ activity: [customer(T0), customer(t(5 * MIN)), agent(t(10 * MIN))] });
    expect(evaluate(facts, t(HOUR)).clocks.next_response).toEqual({
      clock: 'next_response',
      status: 'not_started',
      cycle: 0,
      breached: false,
      targetSeconds: 7200,
      elapsedSeconds: 0,
      remainingSeconds: 7200,
      dueAt: null,
      fraction: 0,
    });
  });

  it('the customer writes after the first response and nobody answers: breach on cycle 1 only', () => {
    const facts = ticket({
      statusChanges: [status('new', T0), status('open', t(10 * MIN))],
      activity: [customer(T0), agent(t(10 * MIN)), customer(t(HOUR)), customer(t(HOUR + 5 * MIN))],
    });
    const { clocks, newAlerts } = evaluate(facts, t(4 * HOUR));
    expect(clocks.next_response).toMatchObject({
      status: 'running',
      cycle: 1,
      breached: true,
      elapsedSeconds: 3 * HOUR,
      remainingSeconds: -HOUR,
      dueAt: t(3 * HOUR),
    });
    // The second customer message does not restart the cycle: it runs from the first one (1 h).
    expect(newAlerts).toEqual([
      alert('next_response', 'warning', t(2 * HOUR + 36 * MIN), 1),
      alert('next_response', 'breach', t(3 * HOUR), 1),
    ]);
  });

  it('a cycle answered in time is met; the next unanswered cycle breaches on its own number', () => {
    const facts = ticket({
      statusChanges: [status('new', T0), status('open', t(10 * MIN))],
      activity: [
        customer(T0),
        agent(t(10 * MIN)), // first response
        customer(t(HOUR)), // cycle 1 starts
        agent(t(2 * HOUR)), // cycle 1 met after 1 h
        customer(t(3 * HOUR)), // cycle 2 starts, never answered
      ],
    });
    // Between the cycles nobody waits.
    expect(evaluate(facts, t(2 * HOUR + 30 * MIN)).clocks.next_response.status).toBe('not_started');
    expect(evaluate(facts, t(2 * HOUR + 30 * MIN)).newAlerts).toEqual([]);

    // At 6 h: cycle 2 warned at 3 h + 1 h 36 min and breached at 3 h + 2 h; resolution (8 h) warns
    // only at 6 h 24 min.
    const { clocks, newAlerts } = evaluate(facts, t(6 * HOUR));
    expect(clocks.next_response).toMatchObject({ status: 'running', cycle: 2, elapsedSeconds: 3 * HOUR });
    expect(newAlerts).toEqual([
      alert('next_response', 'warning', t(4 * HOUR + 36 * MIN), 2),
      alert('next_response', 'breach', t(5 * HOUR), 2),
    ]);
    expect(evaluate(facts, t(7 * HOUR), newAlerts).newAlerts).toEqual([
      alert('resolution', 'warning', t(6 * HOUR + 24 * MIN)),
    ]);
  });
});

describe('resolution', () => {
  // P1 email: resolution 4 h, warning at 0.8 × 14400 s = 11520 s = 3 h 12 min.
  const reopened = ticket({
    priority: 'P1',
    statusChanges: [
      status('new', T0),
      status('open', t(5 * MIN)),
      status('solved', t(HOUR)),
      status('open', t(3 * HOUR)),
    ],
    activity: [customer(T0), agent(t(5 * MIN)), customer(t(3 * HOUR)), agent(t(3 * HOUR + 10 * MIN))],
  });

  it('solved then reopened resumes counting where it stopped', () => {
    expect(evaluate(reopened, t(2 * HOUR)).clocks.resolution).toMatchObject({
      status: 'met',
      elapsedSeconds: 3600,
      fraction: 0.25,
      dueAt: null,
    });
    // 1 h before the solve + 1 h since reopening = 2 h counted; 2 h left from now.
    expect(evaluate(reopened, t(4 * HOUR)).clocks.resolution).toMatchObject({
      status: 'running',
      elapsedSeconds: 7200,
      remainingSeconds: 7200,
      dueAt: t(6 * HOUR),
    });
    // Warning: 1 h before the solve, the remaining 2 h 12 min after 3 h → 5 h 12 min. Breach: 6 h.
    expect(evaluate(reopened, t(7 * HOUR)).newAlerts).toEqual([
      alert('resolution', 'warning', t(5 * HOUR + 12 * MIN)),
      alert('resolution', 'breach', t(6 * HOUR)),
    ]);
  });

  it('solved in time is met and stays met when closed', () => {
    const facts = ticket({
      priority: 'P1',
      statusChanges: [
        status('new', T0),
        status('open', t(5 * MIN)),
        status('solved', t(3 * HOUR)),
        status('closed', t(5 * HOUR)),
      ],
      activity: [customer(T0), agent(t(5 * MIN))],
    });
    const { clocks, newAlerts } = evaluate(facts, t(10 * HOUR));
    expect(clocks.resolution).toMatchObject({
      status: 'met',
      breached: false,
      elapsedSeconds: 10800,
      remainingSeconds: 3600,
      dueAt: null,
    });
    expect(clocks.first_response).toMatchObject({ status: 'met', elapsedSeconds: 300 });
    expect(newAlerts).toEqual([]);
  });
});

describe('priority changes', () => {
  it('the current priority applies retroactively; recorded alerts are never emitted again', () => {
    // Created as P3 (4 h first response), raised to P1 (30 min) — the facts carry only the current one.
    const facts = ticket({ priority: 'P1' });
    const { newAlerts } = evaluate(facts, t(45 * MIN));
    // P1: warning at 0.8 × 1800 s = 24 min, breach at 30 min, both before the evaluation.
    expect(newAlerts).toEqual([
      alert('first_response', 'warning', t(24 * MIN)),
      alert('first_response', 'breach', t(30 * MIN)),
    ]);
    // Lowered back to P3 later: its own breach instant (4 h) is not a second first_response breach.
    const lowered = evaluate({ ...facts, priority: 'P3' }, t(5 * HOUR), newAlerts);
    expect(lowered.clocks.first_response).toMatchObject({ breached: true, targetSeconds: 14400 });
    expect(lowered.newAlerts).toEqual([]);
  });
});

describe('business hours', () => {
  const policy = withHours(BERLIN_WEEKDAYS_9_TO_5);

  it('Friday 16:30 Berlin + 1 h (P2) is due Monday 09:30 local', () => {
    // 16 Jan 2026 is a Friday; Berlin is UTC+1 in January.
    const createdAt = utc('2026-01-16T15:30:00Z');
    const facts = ticket({ createdAt });
    const friday = evaluate(facts, utc('2026-01-16T15:45:00Z'), [], policy);
    expect(friday.clocks.first_response).toMatchObject({
      status: 'running',
      elapsedSeconds: 900,
      dueAt: utc('2026-01-19T08:30:00Z'),
    });
    // Over the weekend nothing accrues past the 30 min counted on Friday, and nothing fires.
    const sunday = evaluate(facts, utc('2026-01-18T12:00:00Z'), [], policy);
    expect(sunday.clocks.first_response).toMatchObject({
      status: 'running',
      elapsedSeconds: 1800,
      remainingSeconds: 1800,
      dueAt: utc('2026-01-19T08:30:00Z'),
    });
    expect(sunday.newAlerts).toEqual([]);
    // Warning at 48 counted minutes: 30 on Friday + 18 on Monday → Monday 09:18 local.
    const monday = evaluate(facts, utc('2026-01-19T09:00:00Z'), [], policy);
    expect(monday.newAlerts).toEqual([
      alert('first_response', 'warning', utc('2026-01-19T08:18:00Z')),
      alert('first_response', 'breach', utc('2026-01-19T08:30:00Z')),
    ]);
    expect(monday.clocks.first_response.elapsedSeconds).toBe(5400);
  });

  it('a target reached exactly at closing time is due at closing time, not the next opening', () => {
    // Friday 16:00 local + 1 h = 17:00 local = 16:00Z.
    const facts = ticket({ createdAt: utc('2026-01-16T15:00:00Z') });
    expect(evaluate(facts, utc('2026-01-16T15:00:00Z'), [], policy).clocks.first_response.dueAt).toEqual(
      utc('2026-01-16T16:00:00Z'),
    );
  });

  it('counts only inside several spans per day', () => {
    const lunch = withHours({
      timeZone: 'Europe/Berlin',
      weekly: {
        1: [
          { start: '13:00', end: '17:00' },
          { start: '09:00', end: '12:00' },
        ],
      },
    });
    // Monday 19 Jan 2026 11:30 local (10:30Z) + 1 h: 30 min before lunch, 30 min after → 13:30 local.
    const facts = ticket({ createdAt: utc('2026-01-19T10:30:00Z') });
    expect(evaluate(facts, utc('2026-01-19T11:30:00Z'), [], lunch).clocks.first_response).toMatchObject({
      elapsedSeconds: 1800,
      dueAt: utc('2026-01-19T12:30:00Z'),
    });
  });

  it('pauses and business hours combine', () => {
    // Friday 16:30 local; pending from 16:40 to Monday 09:20 local. Counted: 10 min Friday, then from
    // 09:20 Monday the remaining 50 min → 10:10 local (09:10Z).
    const facts = ticket({
      createdAt: utc('2026-01-16T15:30:00Z'),
      statusChanges: [
        status('new', utc('2026-01-16T15:30:00Z')),
        status('pending', utc('2026-01-16T15:40:00Z')),
        status('open', utc('2026-01-19T08:20:00Z')),
      ],
    });
    expect(evaluate(facts, utc('2026-01-19T08:30:00Z'), [], policy).clocks.first_response).toMatchObject({
      elapsedSeconds: 1200,
      dueAt: utc('2026-01-19T09:10:00Z'),
    });
  });

  it('spring DST change: Friday 27 March 16:00 CET + 4 h (P3) is Monday 12:00 CEST', () => {
    // 1 h on Friday (15:00Z–16:00Z); Monday 30 March opens at 09:00 CEST = 07:00Z; 3 h more → 10:00Z.
    // Assuming the Friday offset (UTC+1) would give 11:00Z.
    const facts = ticket({ priority: 'P3', createdAt: utc('2026-03-27T15:00:00Z') });
    const now = utc('2026-03-27T15:30:00Z');
    expect(evaluate(facts, now, [], policy).clocks.first_response.dueAt).toEqual(utc('2026-03-30T10:00:00Z'));
    // Warning at 0.8 × 4 h = 3 h 12 min counted: 1 h Friday + 2 h 12 min Monday → 11:12 CEST = 09:12Z.
    expect(evaluate(facts, utc('2026-03-30T12:00:00Z'), [], policy).newAlerts).toEqual([
      alert('first_response', 'warning', utc('2026-03-30T09:12:00Z')),
      alert('first_response', 'breach', utc('2026-03-30T10:00:00Z')),
    ]);
  });

  describe('a span containing the DST change counts real hours', () => {
    const sundays = withHours({
      timeZone: 'Europe/Berlin',
      weekly: { 7: [{ start: '00:00', end: '24:00' }] },
    });

    it('autumn: Sunday 25 October 2026 has 25 hours', () => {
      // Created Saturday. Sunday starts 00:00 CEST = 24 Oct 22:00Z and ends 24:00 CET = 25 Oct 23:00Z.
      const facts = ticket({ priority: 'P3', createdAt: utc('2026-10-24T10:00:00Z') });
      const { clocks } = evaluate(facts, utc('2026-10-24T11:00:00Z'), [], sundays);
      // First response 4 h: 22:00Z + 4 h = 02:00Z, which is 03:00 CET local (not 04:00).
      expect(clocks.first_response.dueAt).toEqual(utc('2026-10-25T02:00:00Z'));
      // Resolution 24 h: 22:00Z + 24 h = 25 Oct 22:00Z = 23:00 CET, an hour before the day ends.
      expect(clocks.resolution.dueAt).toEqual(utc('2026-10-25T22:00:00Z'));
      expect(clocks.resolution.elapsedSeconds).toBe(0);
    });

    it('spring: Sunday 29 March 2026 has 23 hours, so a 24 h target spills into the next Sunday', () => {
      // 29 Mar: 00:00 CET = 28 Mar 23:00Z to 24:00 CEST = 29 Mar 22:00Z (23 h). The last hour is
      // 5 Apr 00:00–01:00 CEST = 4 Apr 22:00Z–23:00Z.
      const facts = ticket({ priority: 'P3', createdAt: utc('2026-03-28T10:00:00Z') });
      expect(evaluate(facts, utc('2026-03-28T11:00:00Z'), [], sundays).clocks.resolution.dueAt).toEqual(
        utc('2026-04-04T23:00:00Z'),
      );
      const monday = evaluate(facts, utc('2026-03-30T08:00:00Z'), [], sundays);
      expect(monday.clocks.resolution).toMatchObject({ elapsedSeconds: 23 * HOUR, remainingSeconds: HOUR });
      // Warning at 0.8 × 24 h = 19 h 12 min counted: 28 Mar 23:00Z + 19 h 12 min = 29 Mar 18:12Z.
      expect(monday.newAlerts).toContainEqual(alert('resolution', 'warning', utc('2026-03-29T18:12:00Z')));
    });
  });
});

describe('nextAlertAt: when to evaluate a ticket again', () => {
  it('is the next uncrossed threshold of a running clock: the warning, then the breach, then the next clock', () => {
    const facts = ticket();
    const warning = alert('first_response', 'warning', t(48 * MIN));
    const breach = alert('first_response', 'breach', t(HOUR));
    // P2 first response: 48 min warning, 1 h breach; resolution (8 h) warns at 6 h 24 min.
    expect(evaluate(facts, t(10 * MIN)).nextAlertAt).toEqual(t(48 * MIN));
    expect(evaluate(facts, t(50 * MIN), [warning]).nextAlertAt).toEqual(t(HOUR));
    expect(evaluate(facts, t(2 * HOUR), [warning, breach]).nextAlertAt).toEqual(t(6 * HOUR + 24 * MIN));
    // A crossed threshold not yet recorded is due now (newAlerts), not "next".
    expect(evaluate(facts, t(50 * MIN)).nextAlertAt).toEqual(t(HOUR));
  });

  it('works for any target length: a 10 s chat target warns at 8 s, not at the next periodic pass', () => {
    const policy: SlaPolicy = {
      ...DEFAULT_SLA_POLICY,
      channelOverrides: { chat: { P2: { first_response: 10 } } },
    };
    const facts = ticket({ channel: 'chat' });
    expect(evaluate(facts, t(1), [], policy).nextAlertAt).toEqual(t(8));
    expect(evaluate(facts, t(8), [alert('first_response', 'warning', t(8))], policy).nextAlertAt).toEqual(
      t(10),
    );
  });

  it('answered: the next alert is the resolution clock; paused or solved: none', () => {
    const answered = ticket({ activity: [customer(T0), agent(t(5 * MIN))] });
    expect(evaluate(answered, t(10 * MIN)).nextAlertAt).toEqual(t(6 * HOUR + 24 * MIN));
    const pending = ticket({ statusChanges: [status('new', T0), status('pending', t(5 * MIN))] });
    expect(evaluate(pending, t(10 * MIN)).nextAlertAt).toBeNull();
    const solved = ticket({ statusChanges: [status('new', T0), status('solved', t(5 * MIN))] });
    expect(evaluate(solved, t(10 * MIN)).nextAlertAt).toBeNull();
  });

  it('counts business hours: Friday 16:30 Berlin + 48 counted minutes is Monday 09:18 local', () => {
    const facts = ticket({ createdAt: utc('2026-01-16T15:30:00Z') });
    const policy = withHours(BERLIN_WEEKDAYS_9_TO_5);
    expect(evaluate(facts, utc('2026-01-17T12:00:00Z'), [], policy).nextAlertAt).toEqual(
      utc('2026-01-19T08:18:00Z'),
    );
  });
});

describe('holidays', () => {
  it('skips a holiday like a closed day: Friday 16:30 Berlin + 48 min with Monday a holiday is Tuesday 09:18', () => {
    const facts = ticket({ createdAt: utc('2026-01-16T15:30:00Z') });
    const policy = withHours({ ...BERLIN_WEEKDAYS_9_TO_5, holidays: ['2026-01-19'] });
    // 30 min on Friday, Monday counts nothing, 18 min on Tuesday: 08:18 UTC (CET = UTC+1).
    expect(evaluate(facts, utc('2026-01-17T12:00:00Z'), [], policy).nextAlertAt).toEqual(
      utc('2026-01-20T08:18:00Z'),
    );
  });

  it('refuses a holiday that is not a date', () => {
    const facts = ticket();
    const policy = withHours({ ...BERLIN_WEEKDAYS_9_TO_5, holidays: ['19.01.2026'] });
    expect(() => evaluate(facts, t(HOUR), [], policy)).toThrow(/holiday/);
  });
});

describe('urgencyScore', () => {
  const scoreAt = (facts: SlaTicketFacts, now: Date) => urgencyScore(evaluate(facts, now).clocks);

  it('is the smallest remainingSeconds among running clocks; Infinity when none runs', () => {
    const now = t(2 * HOUR);
    // Unanswered P2 for 2 h: first response 1 h overdue → −3600 (resolution has 21600 left).
    const overdue = ticket();
    // Answered P2 created 1 h before now: first response met; resolution 8 h − 1 h = 25200 left.
    const answered = ticket({
      createdAt: t(HOUR),
      statusChanges: [status('open', t(HOUR))],
      activity: [customer(t(HOUR)), agent(t(HOUR + 5 * MIN))],
    });
    // Unanswered P1 created 10 min before now: first response 1800 − 600 = 1200 left.
    const fresh = ticket({
      priority: 'P1',
      createdAt: t(110 * MIN),
      statusChanges: [status('new', t(110 * MIN))],
      activity: [customer(t(110 * MIN))],
    });
    // Pending since creation: every clock paused, even though it is old.
    const pending = ticket({ statusChanges: [status('pending', T0)] });
    // Solved: nothing runs.
    const solved = ticket({ statusChanges: [status('new', T0), status('solved', t(HOUR))] });

    const scores = {
      overdue: scoreAt(overdue, now),
      answered: scoreAt(answered, now),
      fresh: scoreAt(fresh, now),
      pending: scoreAt(pending, now),
      solved: scoreAt(solved, now),
    };
    expect(scores).toEqual({
      overdue: -3600,
      answered: 25200,
      fresh: 1200,
      pending: Number.POSITIVE_INFINITY,
      solved: Number.POSITIVE_INFINITY,
    });
    const queue = Object.entries(scores)
      .sort(([, a], [, b]) => a - b)
      .map(([name]) => name);
    expect(queue.slice(0, 3)).toEqual(['overdue', 'fresh', 'answered']);
  });

  it('ignores paused and stopped clocks even when they are overdue', () => {
    const base: ClockState = {
      clock: 'first_response',
      status: 'paused',
      cycle: 0,
      breached: true,
      targetSeconds: 60,
      elapsedSeconds: 600,
      remainingSeconds: -540,
      dueAt: null,
      fraction: 10,
    };
    expect(
      urgencyScore({
        first_response: base,
        next_response: { ...base, clock: 'next_response', status: 'breached' },
        resolution: { ...base, clock: 'resolution', status: 'running', remainingSeconds: 42 },
      }),
    ).toBe(42);
  });
});

describe('invalid input', () => {
  const now = t(HOUR);

  it('throws on unsorted activity', () => {
    const facts = ticket({ activity: [customer(t(10)), agent(t(5))] });
    expect(() => evaluate(facts, now)).toThrow(/activity is not in time order \(index 1/);
  });

  it('throws on unsorted status changes', () => {
    const facts = ticket({
      statusChanges: [status('new', T0), status('open', t(20)), status('pending', t(10))],
    });
    expect(() => evaluate(facts, now)).toThrow(/statusChanges are not in time order \(index 2/);
  });

  it('throws on a missing target, naming it', () => {
    const policy = structuredClone(DEFAULT_SLA_POLICY) as any;
    delete policy.targets.P2.next_response;
    expect(() => evaluate(ticket(), now, [], policy)).toThrow(
      /no valid next_response target for P2 on email/,
    );
    const zero = structuredClone(DEFAULT_SLA_POLICY) as any;
    zero.targets.P4.resolution = 0;
    expect(() => evaluate(ticket({ priority: 'P4' }), now, [], zero)).toThrow(/resolution target for P4/);
  });

  it('throws when the initial status is missing or not at createdAt', () => {
    expect(() => evaluate(ticket({ statusChanges: [] }), now)).toThrow(/initial status/);
    expect(() => evaluate(ticket({ statusChanges: [status('new', t(1))] }), now)).toThrow(/initial status/);
  });

  it('throws on activity before creation, now before creation, and invalid dates', () => {
    expect(() => evaluate(ticket({ activity: [customer(t(-1))] }), now)).toThrow(/before createdAt/);
    expect(() => evaluate(ticket(), t(-1))).toThrow(/now .* is before createdAt/);
    expect(() => evaluate(ticket(), new Date(Number.NaN))).toThrow(/now must be a valid Date/);
  });

  it('throws on malformed policies', () => {
    expect(() => evaluate(ticket(), now, [], { ...DEFAULT_SLA_POLICY, warnAtFraction: 1 })).toThrow(
      /warnAtFraction/,
    );
    const bad = (businessHours: BusinessHours) => () => evaluate(ticket(), now, [], withHours(businessHours));
    expect(bad({ timeZone: 'Mars/Olympus', weekly: { 1: [{ start: '09:00', end: '17:00' }] } })).toThrow(
      /not an IANA zone/,
    );
    expect(bad({ timeZone: 'Europe/Berlin', weekly: { 1: [{ start: '17:00', end: '09:00' }] } })).toThrow(
      /start < end/,
    );
    expect(bad({ timeZone: 'Europe/Berlin', weekly: { 1: [{ start: '9:00', end: '17:00' }] } })).toThrow(
      /'HH:MM'/,
    );
    expect(
      bad({
        timeZone: 'Europe/Berlin',
        weekly: {
          1: [
            { start: '09:00', end: '12:00' },
            { start: '11:00', end: '17:00' },
          ],
        },
      }),
    ).toThrow(/overlap/);
    expect(bad({ timeZone: 'Europe/Berlin', weekly: {} })).toThrow(/no span at all/);
  });
});
