import { type SQL, sql } from 'drizzle-orm';
import type { ReportQuery } from './schemas';

// The per-ticket definitions every report uses, written once as SQL over a `tickets` row aliased
// `t`: the summary counts with them and the drill-down lists with them, so a number and the list
// behind it can never disagree. docs/metrics.md defines each in words.

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

export const between = (column: SQL, q: Pick<ReportQuery, 'from' | 'to'>) =>
  sql`(${column} >= ${ts(q.from)} AND ${column} < ${ts(q.to)})`;

/**
 * The filters. `agent` compares with `agentColumn`: whose work a row is (the ticket's assignee for
 * ticket metrics, the rated agent for CSAT, who started the call for calls and QA).
 */
export function filters(q: ReportQuery, agentColumn: SQL | null = sql`t.assignee_id`): SQL {
  const parts: SQL[] = [sql`t.merged_into_id IS NULL`];
  if (q.tier) parts.push(sql`t.tier::text = ${q.tier}`);
  if (q.priority) parts.push(sql`t.priority::text = ${q.priority}`);
  if (q.channel) parts.push(sql`t.channel::text = ${q.channel}`);
  if (q.category) parts.push(sql`t.category = ${q.category}`);
  if (q.agent && agentColumn) parts.push(sql`${agentColumn} = ${q.agent}::uuid`);
  return sql.join(parts, sql` AND `);
}

export const createdIn = (q: ReportQuery) => between(sql`t.created_at`, q);
export const solvedIn = (q: ReportQuery) => between(sql`t.solved_at`, q);
export const isOpen = sql`t.status::text NOT IN ('solved', 'closed')`;

/** Seconds from creation to the first public human reply or connected call (wall clock). */
export const firstResponseSeconds = sql`extract(epoch from (t.first_response_at - t.created_at))::float8`;
export const resolutionSeconds = sql`extract(epoch from (t.solved_at - t.created_at))::float8`;

/** The SLA engine's own verdict: the monitor recorded a breach of this clock (any cycle). */
export const breached = (clock: string) =>
  sql`EXISTS (SELECT 1 FROM sla_alerts a WHERE a.ticket_id = t.id AND a.clock = ${clock} AND a.kind = 'breach')`;

const escalated = sql`EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'ticket.escalated')`;
const reopened = sql`EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.type = 'ticket.updated'
  AND e.data->'status'->>'from' IN ('solved', 'closed'))`;
/**
 * Public replies by staff (not system messages, not notes) plus connected calls. Only the ticket's
 * customer and staff can write on a ticket, so "not the requester" is staff, without a users join
 * per ticket.
 */
const agentResponses = sql`((SELECT count(*) FROM ticket_messages m
    WHERE m.ticket_id = t.id AND m.kind = 'public' AND m.author_id <> t.requester_id)
  + (SELECT count(*) FROM calls c WHERE c.ticket_id = t.id AND c.connected_at IS NOT NULL))`;

/** First contact resolution: solved, never escalated nor reopened, at most one agent response. */
export const firstContactResolved = sql`(NOT ${escalated} AND NOT ${reopened} AND ${agentResponses} <= 1)`;

/** A call connected before the ticket was solved. */
export const solvedAfterCall = sql`EXISTS (SELECT 1 FROM calls c WHERE c.ticket_id = t.id
  AND c.connected_at IS NOT NULL AND c.connected_at < t.solved_at)`;

/** Connected call time before the solve (a call still running at the solve counts up to it). */
export const callSecondsBeforeSolve = sql`coalesce((SELECT sum(extract(epoch from
    (least(coalesce(c.ended_at, t.solved_at), t.solved_at) - c.connected_at)))::float8
  FROM calls c WHERE c.ticket_id = t.id AND c.connected_at IS NOT NULL AND c.connected_at < t.solved_at), 0)`;

export const LOW_SCORE = 2;
