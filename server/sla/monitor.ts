import { inArray } from 'drizzle-orm';
import type { MessageView, SlaAlertView } from '../../signaling/shared/protocol';
import { type Clock, systemClock } from '../clock';
import type { Database } from '../db/client';
import { slaAlerts, type TicketEventRow, type TicketRow } from '../db/schema';
import type { EventBus } from '../events/bus';
import type { Logger } from '../logger';
import type { SettingsService } from '../settings/service';
import { ACTIVE_STATUSES, type TicketsRepository } from '../tickets/repository';
import { toTimelineEntry } from '../tickets/views';
import type { SlaAlertKey } from './evaluate';
import { type ActivityRow, evaluateTicket, slaFacts } from './facts';

/** The clock and timers the monitor runs on; tests pass their own and move time themselves. */
export type SlaTimer = Clock;
export const systemTimer: SlaTimer = systemClock;

interface KnownFacts {
  ticket: TicketRow;
  statusEvents: TicketEventRow[];
  activity: ActivityRow[];
  recorded: SlaAlertKey[];
  /**
   * The ticket row's latest `updatedAt` (ms) these facts account for: the row read, or a message
   * this process stored since. A pass re-reads the ticket only if the row moved past it.
   */
  seenUpdatedAt: number;
}

/** Tickets evaluated between two turns of the event loop during a pass. */
const PASS_SLICE = 50;
/** Tickets read per statement by a pass. */
const PAGE = 200;
/**
 * How far before the previous pass the next one looks for changed rows: a transaction stamps
 * `updated_at` when it starts (PostgreSQL's `now()`, or the clock of the process that wrote it)
 * but is seen only once it commits, and another node's clock may be a little behind.
 */
const CHANGE_OVERLAP_MS = 30_000;
const ACTIVE = new Set<string>(ACTIVE_STATUSES);

/** Whether the row still has what the SLA facts take from the ticket itself. */
const sameSlaTicket = (a: TicketRow, b: TicketRow) =>
  a.status === b.status && a.priority === b.priority && a.channel === b.channel;

function groupByTicket<R extends { ticketId: string }>(rows: readonly R[]): Map<string, R[]> {
  const byTicket = new Map<string, R[]>();
  for (const row of rows) {
    const list = byTicket.get(row.ticketId);
    if (list) list.push(row);
    else byTicket.set(row.ticketId, [row]);
  }
  return byTicket;
}

/** setTimeout's largest delay (~24.8 days); a later deadline is reached by re-arming. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Records each SLA warning and breach exactly once, at its moment. Every open ticket has a timer
 * for its next warning or breach instant (`nextAlertAt` of the pure evaluation), re-armed whenever
 * the ticket changes (any of its domain events) — so a 10 s chat target warns at 8 s, before the
 * breach, whatever the periodic pass's interval. The periodic pass stays as a safety net, and is
 * incremental: the first one after `start()` (and one after a policy change) reads every active
 * ticket, page by page; later ones read only tickets whose row changed in a way this process did
 * not see (another node, a direct update) and tickets whose deadline is due (`deadlines`), so its
 * cost follows what changed, not how many tickets are open or how long their conversations are.
 *
 * Exactly once: the alert's primary key (ticket, clock, kind, cycle) makes a second insert a no-op,
 * so a timer and a pass racing, several nodes, or a re-run after a crash never duplicate an alert.
 * An inserted alert gets its timeline entry in the same transaction and is then pushed live.
 */
export class SlaMonitor {
  private interval: unknown;
  private running: Promise<number> | undefined;
  /** Armed after `start()`: tests that drive passes by hand (`runOnce`) get no timers. */
  private watching = false;
  private unsubscribe: (() => void) | undefined;
  private readonly timers = new Map<string, unknown>();
  /** Per ticket: the check under way, and whether another change arrived meanwhile. */
  private readonly checking = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  /**
   * Per active ticket, the facts its last full evaluation read, kept up to date with the public
   * messages sent through this process: a chat message then re-arms the timer without a query.
   */
  private readonly known = new Map<string, KnownFacts>();
  /** The deadline index: per watched ticket, the instant (ms) its timer is armed for. */
  private readonly deadlines = new Map<string, number>();
  /** Where the next pass looks for changed rows from; undefined: the next pass reads everything. */
  private changedSince: Date | undefined;
  /** The policy the watched tickets' timers were armed with: another one needs a full read. */
  private policyJson: string | undefined;

  constructor(
    private readonly db: Database,
    private readonly repo: TicketsRepository,
    private readonly settings: SettingsService,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly timer: SlaTimer = systemTimer,
  ) {}

  /**
   * Starts watching: arms every active ticket's timer now, re-arms a ticket on each of its events,
   * and runs the full pass every `intervalMs` as a safety net (0: no periodic pass).
   */
  start(intervalMs: number): Promise<number> {
    this.stop();
    this.watching = true;
    this.unsubscribe = this.bus.onAny((type, payload) => {
      // The alerts themselves come from here. Of the messages only public ones move the clocks
      // (a customer waits, a person answered); notes and system messages do not.
      if (type === 'sla.warning' || type === 'sla.breached') return;
      if ('entry' in payload) {
        // A status change, a first response, a connected call …: the facts are read again.
        this.known.delete(payload.entry.ticketId);
        void this.check(payload.entry.ticketId);
      } else if ('message' in payload && payload.message.kind === 'public') {
        void this.onMessage(payload.message);
      }
    });
    if (intervalMs > 0) {
      const every = () => {
        this.interval = this.timer.setTimeout(() => {
          void this.runOnce().catch((err) => this.logger.error({ err }, 'SLA pass failed'));
          every();
        }, intervalMs);
      };
      every();
    }
    return this.runOnce().catch((err) => {
      this.logger.error({ err }, 'SLA pass failed');
      return 0;
    });
  }

  stop(): void {
    this.watching = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.interval !== undefined) this.timer.clearTimeout(this.interval);
    this.interval = undefined;
    for (const handle of this.timers.values()) this.timer.clearTimeout(handle);
    this.timers.clear();
    this.deadlines.clear();
    this.known.clear();
    this.changedSince = undefined;
    this.policyJson = undefined;
  }

  /** Resolves once no pass and no ticket check is under way (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.running || this.checking.size > 0) {
      await Promise.allSettled([this.running, ...this.checking.values()]);
    }
  }

  /**
   * One pass: every active ticket when not watching (tests drive passes by hand at chosen
   * instants), the first time after `start()` or after a policy change; otherwise only what
   * changed or fell due. Returns how many new alerts were recorded.
   */
  runOnce(now = this.timer.now()): Promise<number> {
    // Never two passes at once in one process; the database makes it safe across processes.
    this.running ??= this.pass(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * Evaluates one ticket now (after a change, or when its timer fires) and re-arms its timer.
   * Changes that arrive while a check runs lead to one more check, not one each.
   */
  check(ticketId: string): Promise<void> {
    const current = this.checking.get(ticketId);
    if (current) {
      this.again.add(ticketId);
      return current;
    }
    const run = (async () => {
      do {
        this.again.delete(ticketId);
        try {
          const ticket = await this.repo.findTicket(ticketId);
          if (ticket) await this.evaluate([ticket], this.timer.now());
        } catch (err) {
          this.logger.error({ err, ticketId }, 'SLA check failed');
        }
      } while (this.again.has(ticketId));
    })().finally(() => this.checking.delete(ticketId));
    this.checking.set(ticketId, run);
    return run;
  }

  /**
   * A public message: evaluated on the known facts plus this message, which only re-arms the
   * timer. Anything else takes the full check, which reads the database: no facts known yet, a
   * check under way (its read may or may not include this message), or an alert due now (alerts
   * are recorded only from the database's facts, never from what this process happened to see).
   */
  private async onMessage(message: MessageView): Promise<void> {
    const ticketId = message.ticketId;
    const known = this.known.get(ticketId);
    if (!known || !message.author || this.checking.has(ticketId)) return this.check(ticketId);
    known.activity.push({ createdAt: new Date(message.createdAt), authorRole: message.author.role });
    // The one-statement send stamps the row's updated_at with the message's createdAt.
    known.seenUpdatedAt = Math.max(known.seenUpdatedAt, Date.parse(message.createdAt));
    try {
      const policy = (await this.settings.get()).slaPolicy;
      if (this.known.get(ticketId) !== known || this.checking.has(ticketId)) return this.check(ticketId);
      const facts = slaFacts(known.ticket, known.statusEvents, known.activity);
      const { newAlerts, nextAlertAt } = evaluateTicket(policy, facts, this.timer.now(), known.recorded);
      if (newAlerts.length > 0) return this.check(ticketId);
      this.arm(ticketId, nextAlertAt);
    } catch (err) {
      this.logger.error({ err, ticketId }, 'SLA check failed');
    }
  }

  private async pass(now: Date): Promise<number> {
    const policyJson = JSON.stringify((await this.settings.get()).slaPolicy);
    // Compared with rows stamped by real clocks (the database's, a node's), not the injected timer.
    const nextSince = new Date(Date.now() - CHANGE_OVERLAP_MS);
    const since = this.changedSince;
    const created =
      this.watching && since && policyJson === this.policyJson
        ? await this.changedAndDue(since, now)
        : await this.everyActive(now);
    if (this.watching) {
      this.changedSince = nextSince;
      this.policyJson = policyJson;
    }
    return created;
  }

  /** The full read: every active ticket, a page at a time (at start, restart recovery included). */
  private async everyActive(now: Date): Promise<number> {
    let created = 0;
    let after: string | undefined;
    for (;;) {
      const page = await this.repo.activeTicketsAfter(after, PAGE);
      created += await this.evaluate(page, now);
      if (page.length < PAGE) return created;
      after = page.at(-1)!.id;
    }
  }

  /**
   * The incremental pass: tickets whose row changed since `since` beyond what this process's
   * facts account for (only ticket rows are read to find them, never the conversations), and
   * tickets whose deadline is due by `now` (a timer that could not run its check).
   */
  private async changedAndDue(since: Date, now: Date): Promise<number> {
    const stale = new Map<string, TicketRow | undefined>();
    let after: string | undefined;
    for (;;) {
      const page = await this.repo.ticketsChangedSince(since, after, PAGE);
      for (const row of page) {
        const known = this.known.get(row.id);
        if (!ACTIVE.has(row.status)) this.disarm(row.id);
        else if (
          !known ||
          known.seenUpdatedAt < row.updatedAt.getTime() ||
          !sameSlaTicket(known.ticket, row)
        ) {
          stale.set(row.id, row);
        }
      }
      if (page.length < PAGE) break;
      after = page.at(-1)!.id;
    }
    for (const [ticketId, at] of this.deadlines) {
      if (at <= now.getTime() && !stale.has(ticketId)) stale.set(ticketId, undefined);
    }
    const unread = [...stale].filter(([, row]) => !row).map(([id]) => id);
    for (let i = 0; i < unread.length; i += PAGE) {
      for (const row of await this.repo.ticketsByIds(unread.slice(i, i + PAGE))) stale.set(row.id, row);
    }
    for (const ticketId of unread) if (!stale.get(ticketId)) this.disarm(ticketId); // deleted
    const rows = [...stale.values()].filter((row) => row !== undefined);
    let created = 0;
    for (let i = 0; i < rows.length; i += PAGE) created += await this.evaluate(rows.slice(i, i + PAGE), now);
    return created;
  }

  /** Records the alerts the tickets crossed by `now`, then arms each one's timer. */
  private async evaluate(tickets: TicketRow[], now: Date): Promise<number> {
    for (const ticket of tickets) if (!ACTIVE.has(ticket.status)) this.disarm(ticket.id);
    const open = tickets.filter((t) => ACTIVE.has(t.status));
    if (open.length === 0) return 0;
    const policy = (await this.settings.get()).slaPolicy;
    const ids = open.map((t) => t.id);
    const [statusEvents, activity, recorded] = await Promise.all([
      this.repo.statusEventsFor(ids),
      this.repo.publicActivityFor(ids),
      this.db.select().from(slaAlerts).where(inArray(slaAlerts.ticketId, ids)),
    ]);
    // Grouped once: filtering every row list per ticket made a pass over 500 busy tickets
    // quadratic, a 100 ms stall of the event loop every pass (bench:chat at 1,000 sockets).
    const eventsOf = groupByTicket(statusEvents);
    const activityOf = groupByTicket(activity);
    const recordedOf = groupByTicket(recorded);
    let created = 0;
    for (const [i, ticket] of open.entries()) {
      // A long pass gives socket.io and media events their turn between tickets.
      if (i > 0 && i % PASS_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      const ticketEvents = eventsOf.get(ticket.id) ?? [];
      const ticketActivity = activityOf.get(ticket.id) ?? [];
      const facts = slaFacts(ticket, ticketEvents, ticketActivity);
      const known = (recordedOf.get(ticket.id) ?? []).map((r) => ({
        clock: r.clock as 'first_response',
        kind: r.kind as 'warning',
        cycle: r.cycle,
      }));
      const { newAlerts, nextAlertAt } = evaluateTicket(policy, facts, now, known);
      for (const alert of newAlerts) if (await this.record(ticket, alert)) created++;
      if (this.watching) {
        this.known.set(ticket.id, {
          ticket,
          statusEvents: ticketEvents,
          activity: ticketActivity,
          // Recorded now, by this pass or by whoever won the insert.
          recorded: [...known, ...newAlerts],
          seenUpdatedAt: ticket.updatedAt.getTime(),
        });
      }
      this.arm(ticket.id, nextAlertAt);
    }
    return created;
  }

  private async record(
    ticket: TicketRow,
    alert: ReturnType<typeof evaluateTicket>['newAlerts'][number],
  ): Promise<boolean> {
    const type = alert.kind === 'warning' ? ('sla.warning' as const) : ('sla.breached' as const);
    const event = await this.repo.transaction(async (repo) => {
      const inserted = await repo.db
        .insert(slaAlerts)
        .values({
          ticketId: ticket.id,
          clock: alert.clock,
          kind: alert.kind,
          cycle: alert.cycle,
          at: alert.at,
        })
        .onConflictDoNothing()
        .returning();
      if (inserted.length === 0) return undefined; // another node (or a racing check) recorded it first
      return repo.insertEvent({
        ticketId: ticket.id,
        type,
        actorId: null,
        data: {
          clock: alert.clock,
          cycle: alert.cycle,
          at: alert.at.toISOString(),
          priority: ticket.priority,
        },
      });
    });
    if (!event) return false;
    const view: SlaAlertView = {
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      subject: ticket.subject,
      clock: alert.clock,
      kind: alert.kind,
      at: alert.at.toISOString(),
    };
    this.bus.publish(type, { entry: toTimelineEntry(event, undefined), alert: view });
    return true;
  }

  /** Sets the ticket's timer for its next alert instant (replacing the previous one). */
  private arm(ticketId: string, at: Date | null): void {
    this.clearTimer(ticketId);
    if (!this.watching || at === null) return;
    this.deadlines.set(ticketId, at.getTime());
    const delay = Math.min(Math.max(0, at.getTime() - this.timer.now().getTime()), MAX_DELAY_MS);
    this.timers.set(
      ticketId,
      this.timer.setTimeout(() => {
        this.timers.delete(ticketId);
        // The timer's instant came from facts this process saw; the database's decide.
        this.known.delete(ticketId);
        void this.check(ticketId);
      }, delay),
    );
  }

  /** The ticket no longer runs a clock: no timer, no facts kept. */
  private disarm(ticketId: string): void {
    this.known.delete(ticketId);
    this.clearTimer(ticketId);
  }

  private clearTimer(ticketId: string): void {
    const handle = this.timers.get(ticketId);
    if (handle !== undefined) this.timer.clearTimeout(handle);
    this.timers.delete(ticketId);
    this.deadlines.delete(ticketId);
  }
}
