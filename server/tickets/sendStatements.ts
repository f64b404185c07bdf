// The chat send's one-statement path (issue 14): its values, the fixed statements that call
// livedesk_send_message(s), and their result rows turned into outcomes. TicketsRepository runs them.
import type { Tier } from '../../signaling/shared/protocol';
import type { FixedStatement } from '../db/client';
import type { TicketMessageRow, TicketRow } from '../db/schema';
import type { MessageTicketContext } from '../events/bus';

/**
 * The facts of a ticket that decide whether a message may be sent and whether it changes the
 * ticket (access.ts reads requester, assignee, tier and status; a first public reply and a
 * status change are effects). `answered`: the first response is recorded.
 */
export interface ConversationFacts {
  id: string;
  requesterId: string;
  assigneeId: string | null;
  tier: Tier;
  status: TicketRow['status'];
  answered: boolean;
}

/** What a chat send stores: the message's own values. */
export interface SendValues {
  authorId: string;
  kind: 'public' | 'internal';
  body: string;
  clientMessageId: string;
}

/** One send through `livedesk_send_message`: the facts decided on (none: a first send). */
export interface SendRequest {
  expected: ConversationFacts | undefined;
  ticketId: string;
  values: SendValues;
}

/**
 * `matched: false`: the ticket changed (or no facts were passed), `current` carries its facts now
 * (unlocked, for the caller to decide again); no `current`: the ticket is gone. `matched` without
 * `message`: a duplicate clientMessageId.
 */
export interface SendOutcome {
  matched: boolean;
  message?: TicketMessageRow;
  current?: ConversationFacts;
  /** With a stored message: the ticket as the statement saw it (for the listeners). */
  ticket?: MessageTicketContext;
}

export interface SendResultRow {
  matched: boolean;
  message_id: string | null;
  message_seq: string | null;
  message_created_at: Date | string | null;
  cur_requester_id: string;
  cur_assignee_id: string | null;
  cur_tier: Tier;
  cur_status: TicketRow['status'];
  cur_answered: boolean;
  ticket_number: number | null;
  ticket_subject: string | null;
  /** node-postgres parses uuid[]; PGlite too (kept as a string defensively: `{a,b}`). */
  worker_ids: string[] | string | null;
}

const uuidArray = (value: string[] | string | null): string[] | undefined => {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',') : [];
};

export function sendOutcome(
  row: SendResultRow | undefined,
  ticketId: string,
  values: SendValues,
): SendOutcome {
  if (!row) return { matched: false };
  if (!row.matched) {
    return {
      matched: false,
      current: {
        id: ticketId,
        requesterId: row.cur_requester_id,
        assigneeId: row.cur_assignee_id,
        tier: row.cur_tier,
        status: row.cur_status,
        answered: Boolean(row.cur_answered),
      },
    };
  }
  if (row.message_id === null) return { matched: true };
  const workerIds = uuidArray(row.worker_ids);
  return {
    matched: true,
    ticket: {
      number: Number(row.ticket_number),
      subject: row.ticket_subject ?? '',
      requesterId: row.cur_requester_id,
      ...(workerIds ? { workerIds } : {}),
    },
    message: {
      id: row.message_id,
      seq: Number(row.message_seq),
      ticketId,
      authorId: values.authorId,
      kind: values.kind,
      body: values.body,
      system: null,
      clientMessageId: values.clientMessageId,
      createdAt: new Date(row.message_created_at!),
    },
  };
}

const SEND_RESULT_COLUMNS = `matched, message_id, message_seq::text AS message_seq, message_created_at,
  cur_requester_id, cur_assignee_id, cur_tier, cur_status, cur_answered, ticket_number, ticket_subject, worker_ids`;

/**
 * The chat send's two statements, prepared on PostgreSQL and never built by Drizzle: they run for
 * every message, and building plus parsing them was a measurable share of a busy server's CPU.
 */
export const SEND_MESSAGE: FixedStatement = {
  name: 'livedesk_send_message_v3',
  text: `SELECT ${SEND_RESULT_COLUMNS} FROM livedesk_send_message($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text[])`,
};
export const SEND_MESSAGES: FixedStatement = {
  name: 'livedesk_send_messages_v3',
  text: `SELECT idx, ${SEND_RESULT_COLUMNS} FROM livedesk_send_messages($1::jsonb)`,
};
