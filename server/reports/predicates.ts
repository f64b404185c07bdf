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

// ----- the same facts for a whole set of tickets at once (the summary) ------------------------
//
// Per ticket, the sub-queries above are one index probe each: fine for a drill-down's list, but a
// year of a busy desk is ~85,000 solved tickets × seven probes (bench:reports: 365 days p95
// 1.3 s on PostgreSQL). The summary reads the same facts as grouped joins over the set instead —
// one pass over each table, which the planner hash-joins for a long range and probes by index
// for a short one. Each line below is the grouped twin of the per-ticket definition above it
// names; tests/integration/reports.test.ts checks that the summary and the drill-down agree.

/**
 * `WITH` parts giving, for the tickets `t` that `where` selects: `ev` (escalated or reopened), `msg`
 * (public staff replies), `cl` (connected calls, those before the solve and their seconds), `rated`
 * (has a CSAT answer). Join them on `ticket_id`. Each reads `tickets` itself rather than a shared
 * CTE: a CTE's rows carry no statistics, and the planner then picks merge joins over whole tables.
 */
export const solvedFactsCtes = (where: SQL) => sql`ev AS (
      -- Both read an index alone (ticket_events_type_idx, the partial ticket_events_reopened_idx).
      SELECT e.ticket_id FROM ticket_events e WHERE e.type = 'ticket.escalated'
      UNION
      SELECT e.ticket_id FROM ticket_events e
      WHERE e.type = 'ticket.updated' AND e.data->'status'->>'from' IN ('solved', 'closed')
    ), msg AS (
      SELECT m.ticket_id, count(*) AS replies FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
      WHERE ${where} AND m.kind = 'public' AND m.author_id <> t.requester_id GROUP BY m.ticket_id
    ), cl AS (
      SELECT c.ticket_id, count(*) AS connected,
        bool_or(c.connected_at < t.solved_at) AS after_call,
        sum(extract(epoch from (least(coalesce(c.ended_at, t.solved_at), t.solved_at) - c.connected_at)))
          FILTER (WHERE c.connected_at < t.solved_at)::float8 AS call_s
      FROM calls c JOIN tickets t ON t.id = c.ticket_id
      WHERE ${where} AND c.connected_at IS NOT NULL GROUP BY c.ticket_id
    )`;

/** Joins the parts of `solvedFactsCtes` to the set's row aliased `alias`. */
export const solvedFactsJoins = (alias: string) => {
  const a = sql.raw(alias);
  return sql`LEFT JOIN ev ON ev.ticket_id = ${a}.id LEFT JOIN msg ON msg.ticket_id = ${a}.id
    LEFT JOIN cl ON cl.ticket_id = ${a}.id LEFT JOIN ticket_csat rated ON rated.ticket_id = ${a}.id`;
};

/** `firstContactResolved` over the joined parts. */
export const firstContactResolvedJoined = sql`(ev.ticket_id IS NULL
  AND coalesce(msg.replies, 0) + coalesce(cl.connected, 0) <= 1)`;
/** `solvedAfterCall` over the joined parts. */
export const solvedAfterCallJoined = sql`coalesce(cl.after_call, false)`;
/** `callSecondsBeforeSolve` over the joined parts. */
export const callSecondsBeforeSolveJoined = sql`coalesce(cl.call_s, 0)`;
