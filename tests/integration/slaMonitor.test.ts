import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slaAlerts, tickets } from '../../server/db/schema';
import type { DomainEvents } from '../../server/events/bus';
import { createLogger } from '../../server/logger';
import { DEFAULT_SLA_POLICY } from '../../server/sla/defaultPolicy';
import type { ClockTargets, SlaPolicy } from '../../server/sla/evaluate';
import { SlaMonitor, type SlaTimer } from '../../server/sla/monitor';
import { TicketsRepository } from '../../server/tickets/repository';
import type { TicketView } from '../../signaling/shared/protocol';
import { BACKENDS } from '../helpers/database';
import { DEMO, login, startTestApp, type TestApp } from '../helpers/testApp';

/**
 * Timers that fire only when the test says so, with the clock moved to their due instant. The
 * database, the bus and the monitor are the real ones.
 */
class ManualTimer implements SlaTimer {
  private current: number;
  private nextId = 0;
  readonly pending = new Map<number, { at: number; callback: () => void }>();
  constructor(start: Date) {
    this.current = start.getTime();
  }
  /** Never behind the real clock (the database stamps what happens); ahead once a timer fired. */
  now = () => new Date(Math.max(this.current, Date.now()));
  setTimeout = (callback: () => void, ms: number) => {
    const id = ++this.nextId;
    this.pending.set(id, { at: this.current + ms, callback });
    return id;
  };
  clearTimeout = (handle: unknown) => void this.pending.delete(handle as number);
  /** Moves the clock to the earliest armed timer and runs it; returns that instant. */
  fireNext(): number {
    const [id, next] = [...this.pending.entries()].sort((a, b) => a[1].at - b[1].at)[0]!;
    this.pending.delete(id);
    this.current = Math.max(this.current, Date.now(), next.at);
    next.callback();
    return this.current;
  }
}

/** The real repository, counting which tickets' conversations the monitor reads. */
class CountingRepository extends TicketsRepository {
  readonly activityReads: string[][] = [];
  override publicActivityFor(ticketIds: string[]) {
    this.activityReads.push([...ticketIds]);
    return super.publicActivityFor(ticketIds);
  }
}

describe.each(BACKENDS)('SLA alerts at their moment on %s', (backend) => {
  let t: TestApp;
  let customerToken: string;
  let agentToken: string;
  beforeAll(async () => {
    t = await startTestApp({ backend });
    customerToken = await login(t.url, DEMO.customer);
    agentToken = await login(t.url, DEMO.agentL1);
  });
  afterAll(async () => {
    await t?.close();
  });

  /**
   * Sets the chat channel's targets (seconds, every priority) and builds a monitor over the app's
   * real database, settings and bus whose timers the test fires itself.
   */
  async function monitorWithChatTargets(targets: Partial<ClockTargets>) {
    const policy: SlaPolicy = {
      ...structuredClone(DEFAULT_SLA_POLICY),
      channelOverrides: {
        chat: Object.fromEntries((['P1', 'P2', 'P3', 'P4'] as const).map((p) => [p, targets])),
      },
    };
    await t.app.settings.update({ slaPolicy: policy });
    const timer = new ManualTimer(new Date());
    const repo = new CountingRepository(t.app.db.db);
    const monitor = new SlaMonitor(
      t.app.db.db,
      repo,
      t.app.settings,
      t.app.bus,
      createLogger(t.app.config),
      timer,
    );
    return { timer, monitor, repo };
  }

  async function post<T = { id: string; createdAt: string }>(token: string, path: string, body: unknown) {
    const res = await fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    return res.json() as Promise<T>;
  }

  const openTicket = (subject: string, channel: 'chat' | 'portal' = 'chat') =>
    post(customerToken, '/api/tickets', { subject, description: 'Help.', category: 'course', channel });

  /** Every SLA alert published while `fn` runs, with the monitor's instant when it was. */
  async function alertsDuring(timer: ManualTimer, fn: (heard: Array<SlaHeard>) => Promise<void>) {
    const heard: SlaHeard[] = [];
    const listen = (payload: DomainEvents['sla.warning']) => {
      heard.push({ ...payload.alert, recordedAt: timer.now().getTime() });
    };
    const off = [t.app.bus.on('sla.warning', listen), t.app.bus.on('sla.breached', listen)];
    try {
      await fn(heard);
    } finally {
      for (const unsubscribe of off) unsubscribe();
      await t.app.settings.update({ slaPolicy: structuredClone(DEFAULT_SLA_POLICY) });
    }
  }

  it('with a 10 s chat target warns at 8 s, before the breach, with a 15 s safety-net pass; each alert once', async () => {
    // A chat customer expects an answer within seconds; here 10 s, so the warning is due at 8 s.
    const { timer, monitor } = await monitorWithChatTargets({ first_response: 10 });
    const heard: Array<{ kind: string; ticketId: string; at: string; recordedAt: number }> = [];
    const listen = (payload: DomainEvents['sla.warning']) => {
      heard.push({ ...payload.alert, recordedAt: timer.now().getTime() });
    };
    const off = [t.app.bus.on('sla.warning', listen), t.app.bus.on('sla.breached', listen)];
    try {
      await monitor.start(15_000);

      const res = await fetch(`${t.url}/api/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${customerToken}` },
        body: JSON.stringify({
          subject: 'Chat: the course page is blank',
          description: 'Right now, in the chat.',
          category: 'course',
          channel: 'chat',
        }),
      });
      expect(res.status).toBe(201);
      const ticket = (await res.json()) as TicketView;
      const created = Date.parse(ticket.createdAt);
      const mine = () => heard.filter((h) => h.ticketId === ticket.id);

      // The ticket's events have been evaluated; from here time moves from timer to timer, as it
      // would for real: whichever is due first runs first.
      await monitor.idle();
      // (Bounded: a monitor that never raised it fails below instead of looping.)
      for (let i = 0; mine().length === 0 && i < 10; i++) {
        timer.fireNext();
        await monitor.idle();
      }
      // Raised before the target is reached (not with the breach), at the 80 % instant.
      expect(mine()[0]).toMatchObject({ kind: 'warning', at: new Date(created + 8_000).toISOString() });
      expect(mine()[0]!.recordedAt).toBeLessThan(created + 10_000);
      expect(mine()[0]!.recordedAt).toBe(created + 8_000);

      // The breach is raised at its instant too.
      for (let i = 0; mine().length === 1 && i < 10; i++) {
        timer.fireNext();
        await monitor.idle();
      }
      expect(mine()[1]).toMatchObject({ kind: 'breach', at: new Date(created + 10_000).toISOString() });
      expect(mine()[1]!.recordedAt).toBe(created + 10_000);

      // The safety-net pass and a manual pass later find nothing new: each alert exactly once.
      expect(await monitor.runOnce(new Date(created + 60_000))).toBe(0);
      const rows = await t.app.db.db.select().from(slaAlerts).where(eq(slaAlerts.ticketId, ticket.id));
      expect(rows.map((r) => `${r.clock}/${r.kind}`).sort()).toEqual([
        'first_response/breach',
        'first_response/warning',
      ]);
      expect(mine()).toHaveLength(2);
    } finally {
      monitor.stop();
      for (const unsubscribe of off) unsubscribe();
      await t.app.settings.update({ slaPolicy: structuredClone(DEFAULT_SLA_POLICY) });
    }
  });

  it('re-arms a ticket when the customer writes: the next-response warning comes at its instant', async () => {
    const { timer, monitor } = await monitorWithChatTargets({ first_response: 600, next_response: 600 });
    const heard: Array<{ kind: string; clock: string; ticketId: string; at: string; recordedAt: number }> =
      [];
    const off = t.app.bus.on('sla.warning', (payload) => {
      heard.push({ ...payload.alert, recordedAt: timer.now().getTime() });
    });
    const post = async (token: string, path: string, body: unknown) => {
      const res = await fetch(`${t.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(201);
      return res.json() as Promise<{ id: string; createdAt: string }>;
    };
    try {
      // No periodic pass: only the ticket's own events can arm its timer.
      await monitor.start(0);
      const ticket = await post(customerToken, '/api/tickets', {
        subject: 'Chat: my quiz will not submit',
        description: 'It spins.',
        category: 'course',
        channel: 'chat',
      });
      await post(agentToken, `/api/tickets/${ticket.id}/messages`, {
        body: 'Looking at it now.',
        clientMessageId: 'sla-reply-1',
      });
      // The customer writes again: a next-response wait opens; its warning is due 480 s later.
      const wrote = await post(customerToken, `/api/tickets/${ticket.id}/messages`, {
        body: 'Still spinning.',
        clientMessageId: 'sla-customer-2',
      });
      const due = Date.parse(wrote.createdAt) + 480_000;
      await monitor.idle();
      const mine = () => heard.filter((h) => h.ticketId === ticket.id);
      for (let i = 0; mine().length === 0 && i < 5; i++) {
        timer.fireNext();
        await monitor.idle();
      }
      expect(mine()[0]).toMatchObject({ clock: 'next_response', at: new Date(due).toISOString() });
      expect(mine()[0]!.recordedAt).toBe(due);
    } finally {
      monitor.stop();
      off();
      await t.app.settings.update({ slaPolicy: structuredClone(DEFAULT_SLA_POLICY) });
    }
  });

  it('reads in a pass only the tickets that changed behind its back or fell due; a deadline with no new message breaches once', async () => {
    const { timer, monitor, repo } = await monitorWithChatTargets({ first_response: 600 });
    await alertsDuring(timer, async (heard) => {
      try {
        await monitor.start(0);
        const a = await openTicket('Chat: the video will not load');
        const b = await openTicket('Chat: wrong grade shown');
        // A portal ticket keeps the default targets (hours): never due in this test.
        const d = await openTicket('Portal: invoice address', 'portal');
        await post(customerToken, `/api/tickets/${a.id}/messages`, {
          body: 'Still nothing.',
          clientMessageId: 'incremental-1',
        });
        await monitor.idle();

        // Everything that changed went through this process: a pass reads no conversation.
        repo.activityReads.length = 0;
        expect(await monitor.runOnce()).toBe(0);
        expect(repo.activityReads.flat()).toEqual([]);

        // Another node (here a direct update) changes B: the next pass reads B, and only B.
        await t.app.db.db
          .update(tickets)
          .set({ priority: 'P1', updatedAt: new Date() })
          .where(eq(tickets.id, b.id));
        expect(await monitor.runOnce()).toBe(0);
        expect(repo.activityReads.flat()).toEqual([b.id]);

        // Eleven minutes later without any new message, as if no timer had run: the deadline
        // index finds A and B due (warning and breach), D is not read.
        repo.activityReads.length = 0;
        const later = new Date(Date.parse(a.createdAt) + 660_000);
        expect(await monitor.runOnce(later)).toBe(4);
        const read = repo.activityReads.flat();
        expect(read).toEqual(expect.arrayContaining([a.id, b.id]));
        expect(read).not.toContain(d.id);
        // Each alert exactly once, whatever runs again.
        expect(await monitor.runOnce(later)).toBe(0);
        for (const id of [a.id, b.id]) {
          const rows = await t.app.db.db.select().from(slaAlerts).where(eq(slaAlerts.ticketId, id));
          expect(rows.map((r) => `${r.clock}/${r.kind}`).sort()).toEqual([
            'first_response/breach',
            'first_response/warning',
          ]);
          expect(heard.filter((h) => h.ticketId === id).map((h) => h.kind)).toEqual(['warning', 'breach']);
        }
      } finally {
        monitor.stop();
      }
    });
  });

  it('finds every deadline after a restart: a fresh monitor arms a ticket changed while none ran', async () => {
    // 60 s: the start's own full read must come before the warning even on a loaded machine.
    const { timer, monitor } = await monitorWithChatTargets({ first_response: 60 });
    await alertsDuring(timer, async (heard) => {
      try {
        // No monitor watches while this ticket is opened (the process was down).
        const ticket = await openTicket('Chat: opened while the desk restarted');
        await monitor.start(15_000);
        const created = Date.parse(ticket.createdAt);
        const mine = () => heard.filter((h) => h.ticketId === ticket.id);
        for (let i = 0; mine().length < 2 && i < 20; i++) {
          timer.fireNext();
          await monitor.idle();
        }
        expect(mine().map((h) => [h.kind, h.recordedAt])).toEqual([
          ['warning', created + 48_000],
          ['breach', created + 60_000],
        ]);
      } finally {
        monitor.stop();
      }
    });
  });
});

interface SlaHeard {
  ticketId: string;
  clock: string;
  kind: string;
  at: string;
  recordedAt: number;
}
