import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import {
  between,
  breached,
  callSecondsBeforeSolveJoined,
  createdIn,
  filters,
  firstContactResolvedJoined,
  firstResponseSeconds,
  isOpen,
  LOW_SCORE,
  resolutionSeconds,
  solvedAfterCallJoined,
  solvedFactsCtes,
  solvedFactsJoins,
  solvedIn,
} from './predicates';
import type { ReportQuery } from './schemas';

type Row = Record<string, unknown>;

/** How many of the longest waits each status and tier lists. */
export const LONGEST_WAITS = 5;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export { num, numOrNull };

const median = (x: SQL) => sql`percentile_cont(0.5) WITHIN GROUP (ORDER BY ${x})`;
const p95 = (x: SQL) => sql`percentile_cont(0.95) WITHIN GROUP (ORDER BY ${x})`;
const distribution = (column: SQL) =>
  sql.join(
    [1, 2, 3, 4, 5].map((s) => sql`count(*) FILTER (WHERE ${column} = ${s})::int AS s${sql.raw(String(s))}`),
    sql`, `,
  );

/**
 * All SQL of the reports: aggregates computed in the database (percentile_cont, FILTER, GROUPING
 * SETS), the same statements on PGlite and PostgreSQL. Only aggregates and bounded lists leave it.
 */
export class ReportsRepository {
  constructor(private readonly db: Database) {}

  private async rows(query: SQL): Promise<Row[]> {
    const result = (await this.db.execute(query)) as unknown as { rows: Row[] };
    return result.rows;
  }

  /** Tickets created in the range: counts, first response per priority and for the live chat. */
  created(q: ReportQuery): Promise<Row[]> {
    return this.rows(sql`
      WITH f AS (
        SELECT t.priority::text AS priority, (t.channel = 'chat') AS live, ${isOpen} AS open,
          ${firstResponseSeconds} AS frs, ${breached('first_response')} AS fr_breached,
          ${breached('next_response')} AS nr_breached, ${breached('resolution')} AS res_breached
        FROM tickets t WHERE ${filters(q)} AND ${createdIn(q)}
      )
      SELECT grouping(priority)::int AS gp, grouping(live)::int AS gl, priority, live,
        count(*)::int AS created, count(*) FILTER (WHERE open)::int AS open,
        count(frs)::int AS responded, ${median(sql`frs`)} AS median, ${p95(sql`frs`)} AS p95,
        count(*) FILTER (WHERE frs IS NOT NULL OR fr_breached)::int AS decided,
        count(*) FILTER (WHERE frs IS NOT NULL AND NOT fr_breached)::int AS within,
        count(*) FILTER (WHERE NOT fr_breached)::int AS fr_ok,
        count(*) FILTER (WHERE NOT nr_breached)::int AS nr_ok,
        count(*) FILTER (WHERE NOT res_breached)::int AS res_ok
      FROM f GROUP BY GROUPING SETS ((), (priority), (live))`);
  }

  /** Tickets solved in the range: resolution by tier and priority, FCR, calls, CSAT asked. */
  solved(q: ReportQuery): Promise<Row[]> {
    return this.rows(sql`
      WITH ${solvedFactsCtes(sql`${filters(q)} AND ${solvedIn(q)}`)}, s AS (
        SELECT t.tier::text AS tier, t.priority::text AS priority, ${resolutionSeconds} AS rs,
          ${firstContactResolvedJoined} AS fcr, ${solvedAfterCallJoined} AS after_call,
          ${callSecondsBeforeSolveJoined} AS call_s, (rated.ticket_id IS NOT NULL) AS rated
        FROM tickets t ${solvedFactsJoins('t')} WHERE ${filters(q)} AND ${solvedIn(q)}
      )
      SELECT grouping(tier)::int AS gt, grouping(priority)::int AS gp, tier, priority,
        count(*)::int AS solved, ${median(sql`rs`)} AS median, ${p95(sql`rs`)} AS p95,
        count(*) FILTER (WHERE fcr)::int AS fcr, count(*) FILTER (WHERE rated)::int AS rated,
        count(*) FILTER (WHERE after_call)::int AS after_call,
        ${median(sql`rs`)} FILTER (WHERE after_call) AS median_after_call,
        ${median(sql`rs`)} FILTER (WHERE NOT after_call) AS median_without_call,
        coalesce(sum(call_s), 0)::float8 AS call_s, coalesce(sum(rs), 0)::float8 AS rs_sum
      FROM s GROUP BY GROUPING SETS ((), (tier), (priority))`);
  }

  /** Breach alerts whose instant lies in the range, per clock. */
  breaches(q: ReportQuery): Promise<Row[]> {
    return this.rows(sql`
      SELECT a.clock, count(*)::int AS breaches FROM sla_alerts a JOIN tickets t ON t.id = a.ticket_id
      WHERE a.kind = 'breach' AND ${between(sql`a.at`, q)} AND ${filters(q)}
      GROUP BY a.clock`);
  }

  ticketCsat(q: ReportQuery): Promise<Row[]> {
    return this.rows(sql`
      SELECT avg(c.score)::float8 AS average, count(*)::int AS responses,
        count(*) FILTER (WHERE c.score <= ${LOW_SCORE})::int AS low, ${distribution(sql`c.score`)}
      FROM ticket_csat c JOIN tickets t ON t.id = c.ticket_id
      WHERE ${between(sql`c.submitted_at`, q)} AND ${filters(q, sql`c.agent_id`)}`);
  }

  /** Call ratings: helpfulness is the call's CSAT score; picture and sound its quality. */
  callRatings(q: ReportQuery): Promise<Row[]> {
    return this.rows(sql`
      SELECT avg(r.helpfulness)::float8 AS average, avg(r.picture)::float8 AS picture,
        avg(r.sound)::float8 AS sound, count(*)::int AS responses,
        count(*) FILTER (WHERE least(r.picture, r.sound, r.helpfulness) <= ${LOW_SCORE})::int AS low,
        ${distribution(sql`r.helpfulness`)}
      FROM call_ratings r JOIN tickets t ON t.id = r.ticket_id
      WHERE ${between(sql`r.submitted_at`, q)} AND ${filters(q, sql`r.agent_id`)}`);
  }

  calls(q: ReportQuery): Promise<Row[]> {
    const started = between(sql`c.started_at`, q);
    const ended = between(sql`c.ended_at`, q);
    return this.rows(sql`
      SELECT count(*) FILTER (WHERE ${started})::int AS count,
        count(*) FILTER (WHERE ${started} AND c.connected_at IS NOT NULL)::int AS connected,
        coalesce(sum(extract(epoch from (c.ended_at - c.connected_at)))
          FILTER (WHERE ${started} AND c.connected_at IS NOT NULL), 0)::float8 AS connected_seconds,
        count(*) FILTER (WHERE ${ended} AND c.connected_at IS NOT NULL)::int AS asked,
        count(*) FILTER (WHERE ${ended} AND c.connected_at IS NOT NULL
          AND EXISTS (SELECT 1 FROM call_ratings r WHERE r.call_id = c.id))::int AS rated
      FROM calls c JOIN tickets t ON t.id = c.ticket_id
      WHERE (${started} OR ${ended}) AND ${filters(q, sql`c.started_by_id`)}`);
  }

  /** NPS is asked of a customer, not about a ticket: only the range applies. */
  nps(q: ReportQuery): Promise<Row[]> {
    return this.rows(sql`
      SELECT count(*) FILTER (WHERE n.score >= 9)::int AS promoters,
        count(*) FILTER (WHERE n.score BETWEEN 7 AND 8)::int AS passives,
        count(*) FILTER (WHERE n.score <= 6)::int AS detractors,
        count(*) FILTER (WHERE n.score IS NULL)::int AS dismissed
      FROM nps_responses n WHERE ${between(sql`n.asked_at`, q)}`);
  }

  /** Per agent: CSAT of their service, QA rubric totals of their calls, tickets they solved. */
  agents(q: ReportQuery): Promise<Row[]> {
    return this.rows(sql`
      WITH cs AS (
        SELECT c.agent_id AS id, avg(c.score)::float8 AS csat, count(*)::int AS csat_n
        FROM ticket_csat c JOIN tickets t ON t.id = c.ticket_id
        WHERE c.agent_id IS NOT NULL AND ${between(sql`c.submitted_at`, q)} AND ${filters(q, sql`c.agent_id`)}
        GROUP BY c.agent_id
      ), qa AS (
        SELECT c.started_by_id AS id, avg(rv.total)::float8 AS qa, count(*)::int AS qa_n
        FROM recording_reviews rv JOIN recordings r ON r.id = rv.recording_id
          JOIN calls c ON c.id = r.call_id JOIN tickets t ON t.id = r.ticket_id
        WHERE ${between(sql`rv.updated_at`, q)} AND ${filters(q, sql`c.started_by_id`)}
        GROUP BY c.started_by_id
      ), so AS (
        SELECT t.assignee_id AS id, count(*)::int AS solved FROM tickets t
        WHERE t.assignee_id IS NOT NULL AND ${filters(q)} AND ${solvedIn(q)} GROUP BY t.assignee_id
      ), ids AS (SELECT id FROM cs UNION SELECT id FROM qa UNION SELECT id FROM so)
      SELECT ids.id, u.name, cs.csat, coalesce(cs.csat_n, 0) AS csat_n, qa.qa, coalesce(qa.qa_n, 0) AS qa_n,
        coalesce(so.solved, 0) AS solved
      FROM ids JOIN users u ON u.id = ids.id LEFT JOIN cs ON cs.id = ids.id
        LEFT JOIN qa ON qa.id = ids.id LEFT JOIN so ON so.id = ids.id
      ORDER BY u.name`);
  }

  /** The assistant's conversations on the tickets created in the range, by how they ended. */
  bot(q: ReportQuery): Promise<Row[]> {
    return this.rows(sql`
      SELECT count(*)::int AS conversations,
        count(*) FILTER (WHERE jsonb_array_length(b.suggested) > 0)::int AS answered,
        count(*) FILTER (WHERE b.state = 'resolved')::int AS resolved,
        count(*) FILTER (WHERE b.state = 'handed_off')::int AS handoffs,
        count(*) FILTER (WHERE b.state = 'taken_over')::int AS taken_over,
        count(*) FILTER (WHERE b.state = 'answering')::int AS answering,
        count(*) FILTER (WHERE b.handoff_reason = 'asked')::int AS asked,
        count(*) FILTER (WHERE b.handoff_reason = 'no_answer')::int AS no_answer,
        count(*) FILTER (WHERE b.handoff_reason = 'second_no')::int AS second_no,
        count(*) FILTER (WHERE b.handoff_reason = 'reopened')::int AS reopened,
        count(*) FILTER (WHERE b.handoff_reason = 'limit')::int AS "limit"
      FROM bot_conversations b JOIN tickets t ON t.id = b.ticket_id
      WHERE ${filters(q, null)} AND ${createdIn(q)}`);
  }

  /** Per bucket (day or week in the report's zone): created, solved, FRT median, CSAT, QA. */
  trend(q: ReportQuery): Promise<Row[]> {
    // Grouped by the truncated timestamp and formatted once per bucket: to_char on every row of
    // a year was a fifth of the trend's time.
    const bucket = (column: SQL) => sql`date_trunc(${q.bucket}::text, ${column} AT TIME ZONE ${q.tz}::text)`;
    return this.rows(sql`
      SELECT to_char(bucket, 'YYYY-MM-DD') AS bucket, sum(created)::int AS created, sum(solved)::int AS solved, max(frt_median) AS frt_median,
        max(csat) AS csat, sum(csat_n)::int AS csat_n, max(qa) AS qa
      FROM (
        SELECT ${bucket(sql`t.created_at`)} AS bucket, count(*) AS created, 0 AS solved,
          ${median(firstResponseSeconds)} AS frt_median, NULL::float8 AS csat, 0 AS csat_n, NULL::float8 AS qa
        FROM tickets t WHERE ${filters(q)} AND ${createdIn(q)} GROUP BY 1
        UNION ALL
        SELECT ${bucket(sql`t.solved_at`)}, 0, count(*), NULL, NULL, 0, NULL
        FROM tickets t WHERE ${filters(q)} AND ${solvedIn(q)} GROUP BY 1
        UNION ALL
        SELECT ${bucket(sql`c.submitted_at`)}, 0, 0, NULL, avg(c.score)::float8, count(*), NULL
        FROM ticket_csat c JOIN tickets t ON t.id = c.ticket_id
        WHERE ${between(sql`c.submitted_at`, q)} AND ${filters(q, sql`c.agent_id`)} GROUP BY 1
        UNION ALL
        SELECT ${bucket(sql`rv.updated_at`)}, 0, 0, NULL, NULL, 0, avg(rv.total)::float8
        FROM recording_reviews rv JOIN recordings r ON r.id = rv.recording_id
          JOIN calls c ON c.id = r.call_id JOIN tickets t ON t.id = r.ticket_id
        WHERE ${between(sql`rv.updated_at`, q)} AND ${filters(q, sql`c.started_by_id`)} GROUP BY 1
      ) b GROUP BY b.bucket`);
  }

  /** The tickets behind a metric (`predicate` over `t`, `c` = its CSAT), newest first. */
  tickets(q: ReportQuery, predicate: SQL, agentColumn: SQL | null, limit: number): Promise<Row[]> {
    return this.rows(sql`
      SELECT t.id, t.number, t.subject, t.status::text AS status, t.priority::text AS priority,
        t.tier::text AS tier, t.channel::text AS channel, t.category, u.name AS assignee, t.created_at,
        t.solved_at, ${firstResponseSeconds} AS frs, ${resolutionSeconds} AS rs,
        c.score AS csat_score, c.comment AS csat_comment, count(*) OVER ()::int AS total
      FROM tickets t LEFT JOIN users u ON u.id = t.assignee_id LEFT JOIN ticket_csat c ON c.ticket_id = t.id
      WHERE ${filters(q, agentColumn)} AND ${predicate}
      ORDER BY t.created_at DESC, t.number DESC LIMIT ${limit}`);
  }

  // ----- ticket health: where the time goes ----------------------------------------------------

  /**
   * Per ticket created in the range and per status (or tier): the seconds it spent there, from the
   * timeline (every status change and escalation is an event), the last span running to `now`.
   * Solved and closed are left out: time there is not time a customer waits.
   */
  timeIn(q: ReportQuery, now: Date, dimension: 'status' | 'tier'): Promise<Row[]> {
    const nowTs = sql`${now.toISOString()}::timestamptz`;
    // The last span ends now, or at the solve (a solved ticket waits on nobody).
    const stop = sql`least(coalesce(t.solved_at, ${nowTs}), ${nowTs})`;
    const spans =
      dimension === 'status'
        ? sql`SELECT t.id, t.created_at AS at, 'new'::text AS key, 0::bigint AS seq, ${stop} AS stop FROM t
            UNION ALL
            SELECT e.ticket_id, greatest(e.created_at, t.created_at), e.data->'status'->>'to', e.seq, ${stop}
            FROM ticket_events e JOIN t ON t.id = e.ticket_id WHERE e.data->'status'->>'to' IS NOT NULL`
        : sql`SELECT t.id, t.created_at AS at, coalesce((SELECT e.data->>'from' FROM ticket_events e
              WHERE e.ticket_id = t.id AND e.type = 'ticket.escalated' ORDER BY e.seq LIMIT 1), t.tier::text) AS key,
              0::bigint AS seq, ${stop} AS stop FROM t
            UNION ALL
            SELECT e.ticket_id, greatest(e.created_at, t.created_at), e.data->>'to', e.seq, ${stop}
            FROM ticket_events e JOIN t ON t.id = e.ticket_id WHERE e.type = 'ticket.escalated'`;
    return this.rows(sql`
      WITH t AS (SELECT t.id, t.tier, t.created_at, t.solved_at FROM tickets t WHERE ${filters(q)} AND ${createdIn(q)}),
      ch AS (${spans}),
      iv AS (
        SELECT id, key, greatest(extract(epoch from (coalesce(lead(at) OVER w, stop) - at)), 0)::float8 AS secs
        FROM ch WINDOW w AS (PARTITION BY id ORDER BY at, seq)
      ),
      per AS (SELECT id, key, sum(secs) AS secs FROM iv WHERE key NOT IN ('solved', 'closed') GROUP BY id, key),
      ranked AS (
        SELECT per.*, row_number() OVER (PARTITION BY key ORDER BY secs DESC, id) AS rank,
          sum(secs) OVER (PARTITION BY key) AS total, count(*) OVER (PARTITION BY key) AS tickets
        FROM per
      )
      SELECT r.key, r.secs::float8 AS secs, r.rank::int AS rank, r.total::float8 AS total, r.tickets::int AS tickets,
        tk.number, tk.subject, r.id
      FROM ranked r JOIN tickets tk ON tk.id = r.id
      WHERE r.rank <= ${LONGEST_WAITS}
      ORDER BY r.key, r.rank`);
  }

  /** Hand-offs per ticket created in the range: transfers between people plus escalations. */
  handoffs(q: ReportQuery): Promise<Row[]> {
    return this.rows(sql`
      WITH h AS (
        SELECT (SELECT count(*) FROM ticket_events e WHERE e.ticket_id = t.id
          AND (e.type = 'ticket.escalated' OR (e.type = 'ticket.assigned' AND e.data->>'kind' = 'transfer')))::int AS n
        FROM tickets t WHERE ${filters(q)} AND ${createdIn(q)}
      )
      SELECT count(*)::int AS tickets, coalesce(sum(n), 0)::int AS total, coalesce(max(n), 0)::int AS max,
        count(*) FILTER (WHERE n = 0)::int AS h0, count(*) FILTER (WHERE n = 1)::int AS h1,
        count(*) FILTER (WHERE n = 2)::int AS h2, count(*) FILTER (WHERE n >= 3)::int AS h3
      FROM h`);
  }

  // ----- what customers say --------------------------------------------------------------------

  /**
   * The texts customers wrote in [from, to): ticket subjects, CSAT and call-rating comments, NPS
   * comments; at most `cap` of each kind, the newest. Terms are counted in Node because the
   * tokenizer (jieba) is not in the database.
   */
  texts(q: ReportQuery, cap: number): Promise<Row[]> {
    return this.rows(sql`
      (SELECT 'subject' AS kind, t.id AS ticket_id, t.number, t.subject AS text, t.created_at AS at
        FROM tickets t WHERE ${filters(q)} AND ${createdIn(q)} ORDER BY t.created_at DESC LIMIT ${cap})
      UNION ALL
      (SELECT 'csat', t.id, t.number, c.comment, c.submitted_at FROM ticket_csat c JOIN tickets t ON t.id = c.ticket_id
        WHERE c.comment IS NOT NULL AND ${between(sql`c.submitted_at`, q)} AND ${filters(q, sql`c.agent_id`)}
        ORDER BY c.submitted_at DESC LIMIT ${cap})
      UNION ALL
      (SELECT 'call', t.id, t.number, r.comment, r.submitted_at FROM call_ratings r JOIN tickets t ON t.id = r.ticket_id
        WHERE r.comment IS NOT NULL AND ${between(sql`r.submitted_at`, q)} AND ${filters(q, sql`r.agent_id`)}
        ORDER BY r.submitted_at DESC LIMIT ${cap})
      UNION ALL
      (SELECT 'nps', NULL, NULL, n.comment, n.asked_at FROM nps_responses n
        WHERE n.comment IS NOT NULL AND ${between(sql`n.asked_at`, q)} ORDER BY n.asked_at DESC LIMIT ${cap})`);
  }
}
