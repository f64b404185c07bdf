import { and, asc, desc, eq, gt, isNull, lte } from 'drizzle-orm';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { type MailOutboxRow, mailOutbox } from '../db/mailSchema';
import type { Logger } from '../logger';
import type { MailTransport } from './transport';

/** A rendered mail for the outbox. */
export interface OutgoingMail {
  /** The template it came from (`password_reset`, `invitation`, `reply`, `csat`…). */
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Mails sharing a key can be coalesced by the caller (`sentSince`). */
  dedupeKey?: string;
}

/** Waits between attempts: 30 s, 2 min, 10 min, 30 min, 2 h; then the mail is given up. */
export const RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 1_800_000, 7_200_000];
/** A sender holds a claimed mail this long; if it dies meanwhile, another sender takes it over. */
const LEASE_MS = 120_000;
const BATCH = 20;

/**
 * The mail outbox: every mail is a row first, then sent in the background, so the request that
 * caused it never waits on SMTP nor fails with it, and a restart or an outage loses nothing.
 * Failed attempts are retried with growing delays (`RETRY_DELAYS_MS`), each logged; several nodes
 * may send from one outbox (a row is claimed by moving its `next_attempt_at`, a lease).
 * Timers run on the injected `Clock`.
 */
export class MailOutbox {
  private timer: unknown;
  private draining: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly db: Database,
    private readonly transport: MailTransport,
    private readonly from: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Starts sending (and sends what an earlier run left). */
  start(): void {
    this.stopped = false;
    this.logger.info(`outgoing mail goes to ${this.transport.description}`);
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.transport.close();
  }

  /** Resolves when no drain is running. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /**
   * Queues a mail (in the caller's transaction when `within` is given: the mail exists if and only
   * if what it reports was committed) and starts a drain. Returns the outbox id.
   */
  async enqueue(mail: OutgoingMail, within: Database = this.db): Promise<string> {
    const now = this.clock.now();
    const [row] = await within
      .insert(mailOutbox)
      .values({
        kind: mail.kind,
        recipient: mail.to,
        subject: mail.subject,
        textBody: mail.text,
        htmlBody: mail.html,
        dedupeKey: mail.dedupeKey ?? null,
        createdAt: now,
        nextAttemptAt: now,
      })
      .returning({ id: mailOutbox.id });
    // In a transaction, the row is visible once committed; the drain after commit finds it, and a
    // drain that runs too early arms a timer for nothing. Callers in a transaction call `kick()`.
    if (within === this.db) this.kick();
    return row!.id;
  }

  /** Whether a mail with this key was queued at or after `since` (coalescing bursts). */
  async queuedSince(dedupeKey: string, since: Date): Promise<boolean> {
    const [row] = await this.db
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.dedupeKey, dedupeKey), gt(mailOutbox.createdAt, since)))
      .limit(1);
    return row !== undefined;
  }

  /** The newest mails (tests, the CLI, an admin's look at what went out). */
  recent(limit = 50): Promise<MailOutboxRow[]> {
    return this.db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt)).limit(limit);
  }

  /** Sends what is due now; runs at most one drain at a time per process. */
  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = (async () => {
      try {
        do {
          this.again = false;
          while ((await this.sendDue()) === BATCH && !this.stopped) {}
        } while (this.again && !this.stopped);
        await this.armForNext();
      } catch (err) {
        this.logger.error({ err }, 'the mail outbox could not be read; retrying in a minute');
        this.arm(60_000);
      } finally {
        this.draining = undefined;
      }
    })();
  }

  /** Sends up to one batch of due mails; returns how many were due. */
  private async sendDue(): Promise<number> {
    const now = this.clock.now();
    const due = await this.db
      .select()
      .from(mailOutbox)
      .where(and(isNull(mailOutbox.sentAt), isNull(mailOutbox.failedAt), lte(mailOutbox.nextAttemptAt, now)))
      .orderBy(asc(mailOutbox.nextAttemptAt))
      .limit(BATCH);
    for (const row of due) {
      if (this.stopped) break;
      await this.attempt(row);
    }
    return due.length;
  }

  private async attempt(row: MailOutboxRow): Promise<void> {
    const now = this.clock.now();
    // Claim: only the sender that moves the row's time from what it read sends it.
    const [claimed] = await this.db
      .update(mailOutbox)
      .set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS), attempts: row.attempts + 1 })
      .where(
        and(
          eq(mailOutbox.id, row.id),
          eq(mailOutbox.nextAttemptAt, row.nextAttemptAt),
          isNull(mailOutbox.sentAt),
        ),
      )
      .returning({ id: mailOutbox.id });
    if (!claimed) return;
    try {
      await this.transport.deliver(
        { from: this.from, to: row.recipient, subject: row.subject, text: row.textBody, html: row.htmlBody },
        row.id,
      );
      await this.db
        .update(mailOutbox)
        .set({ sentAt: this.clock.now(), lastError: null })
        .where(eq(mailOutbox.id, row.id));
      this.logger.info({ mailId: row.id, kind: row.kind, attempts: row.attempts + 1 }, 'mail sent');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const delay = RETRY_DELAYS_MS[row.attempts];
      const at = this.clock.now();
      if (delay === undefined) {
        await this.db
          .update(mailOutbox)
          .set({ failedAt: at, lastError: message })
          .where(eq(mailOutbox.id, row.id));
        this.logger.error(
          { mailId: row.id, kind: row.kind, attempts: row.attempts + 1, err },
          'mail given up after its last attempt',
        );
      } else {
        await this.db
          .update(mailOutbox)
          .set({ nextAttemptAt: new Date(at.getTime() + delay), lastError: message })
          .where(eq(mailOutbox.id, row.id));
        this.logger.warn(
          { mailId: row.id, kind: row.kind, attempts: row.attempts + 1, retryInMs: delay, err },
          'mail not sent; will retry',
        );
      }
    }
  }

  /** One timer, for the earliest mail still waiting (a retry, or another node's expired lease). */
  private async armForNext(): Promise<void> {
    const [next] = await this.db
      .select({ at: mailOutbox.nextAttemptAt })
      .from(mailOutbox)
      .where(and(isNull(mailOutbox.sentAt), isNull(mailOutbox.failedAt)))
      .orderBy(asc(mailOutbox.nextAttemptAt))
      .limit(1);
    if (next) this.arm(Math.max(0, next.at.getTime() - this.clock.now().getTime()));
  }

  private arm(ms: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    // Capped so a far retry is re-read (another node may have sent or queued meanwhile).
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.kick();
      },
      Math.min(ms, 600_000),
    );
  }
}
