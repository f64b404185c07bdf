import { and, count, desc, eq, isNotNull, isNull, type SQL } from 'drizzle-orm';
import {
  MAIL_STATES,
  type MailDelivery,
  type MailOutboxItem,
  type MailState,
} from '../../signaling/shared/mailOutbox';
import { type AuditContext, recordAudit } from '../audit/record';
import type { Clock } from '../clock';
import type { MailTransportConfig } from '../config';
import type { Database } from '../db/client';
import { type MailOutboxRow, mailOutbox } from '../db/mailSchema';
import { conflict, notFound } from '../errors';
import type { MailOutbox } from './outbox';

const stateOf = (row: MailOutboxRow): MailState => (row.sentAt ? 'sent' : row.failedAt ? 'failed' : 'queued');

const STATE_WHERE: Record<MailState, SQL> = {
  queued: and(isNull(mailOutbox.sentAt), isNull(mailOutbox.failedAt))!,
  sent: isNotNull(mailOutbox.sentAt),
  failed: and(isNull(mailOutbox.sentAt), isNotNull(mailOutbox.failedAt))!,
};

/**
 * An admin's look at the outbox: what went out, what waits, what failed and why, and a retry of a
 * failed mail (audited). Sending stays `MailOutbox`'s; a retry only makes the row due again.
 */
export class OutboxAdmin {
  constructor(
    private readonly db: Database,
    private readonly outbox: Pick<MailOutbox, 'kick'>,
    private readonly transport: MailTransportConfig,
    private readonly clock: Clock,
  ) {}

  delivery(): MailDelivery {
    return this.transport.kind === 'folder'
      ? { kind: 'folder', folder: this.transport.dir }
      : { kind: 'smtp', folder: null };
  }

  async list(filter: {
    state?: MailState;
    limit: number;
    offset: number;
  }): Promise<{ items: MailOutboxItem[]; total: number }> {
    const where = filter.state ? STATE_WHERE[filter.state] : undefined;
    const [rows, [total]] = await Promise.all([
      this.db
        .select()
        .from(mailOutbox)
        .where(where)
        .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
        .limit(filter.limit)
        .offset(filter.offset),
      this.db.select({ n: count() }).from(mailOutbox).where(where),
    ]);
    return { items: rows.map(toItem), total: total?.n ?? 0 };
  }

  /** Makes a failed mail due now for one more attempt; only a failed mail can be retried. */
  async retry(audit: AuditContext, id: string): Promise<MailOutboxItem> {
    const row = await this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(mailOutbox).where(eq(mailOutbox.id, id)).for('update');
      if (!before) throw notFound('The mail');
      if (stateOf(before) !== 'failed')
        throw conflict(
          before.sentAt ? 'This mail was sent; there is nothing to retry.' : 'This mail is still queued.',
        );
      const [after] = await tx
        .update(mailOutbox)
        .set({ failedAt: null, nextAttemptAt: this.clock.now() })
        .where(eq(mailOutbox.id, id))
        .returning();
      await recordAudit(tx as unknown as Database, {
        ...audit,
        action: 'mail.retried',
        targetType: 'mail',
        targetId: id,
        before: audited(before),
        after: audited(after!),
      });
      return after!;
    });
    this.outbox.kick();
    return toItem(row);
  }
}

const audited = (row: MailOutboxRow) => ({
  kind: row.kind,
  to: row.recipient,
  subject: row.subject,
  state: stateOf(row),
  attempts: row.attempts,
  lastError: row.lastError,
});

function toItem(row: MailOutboxRow): MailOutboxItem {
  return {
    id: row.id,
    kind: row.kind,
    to: row.recipient,
    subject: row.subject,
    state: stateOf(row),
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    at: (row.sentAt ?? row.failedAt ?? row.nextAttemptAt).toISOString(),
  };
}

export { MAIL_STATES };
