import { type SQL, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type {
  FirstResponseRow,
  ReportMetric,
  ReportSummary,
  ReportTicketList,
  ResolutionRow,
  ScoreSummary,
  TrendPoint,
} from '../../signaling/shared/reports';
import {
  between,
  breached,
  createdIn,
  firstContactResolved,
  isOpen,
  LOW_SCORE,
  solvedAfterCall,
  solvedIn,
} from './predicates';
import { num, numOrNull, type ReportsRepository } from './repository';
import type { ReportQuery } from './schemas';

type Row = Record<string, unknown>;

export const DRILL_DOWN_LIMIT = 500;
const SLA_CLOCK_NAMES = ['first_response', 'next_response', 'resolution'] as const;

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
const round = (v: number | null, digits = 3): number | null =>
  v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits;

/** `rated` of `asked`: the surveys asked in the range that have an answer (the response rate). */
function scores(row: Row | undefined, rated: number, asked: number): ScoreSummary {
  const responses = num(row?.responses);
  return {
    average: round(numOrNull(row?.average)),
    responses,
    lowScores: num(row?.low),
    distribution: [1, 2, 3, 4, 5].map((s) => num(row?.[`s${s}`])),
    responseRate: round(share(rated, asked)),
    asked,
  };
}

/** The bucket keys of the range in its zone, so days without anything still appear as zeros. */
export function bucketKeys(q: Pick<ReportQuery, 'from' | 'to' | 'tz' | 'bucket'>): string[] {
  const end = DateTime.fromJSDate(q.to, { zone: q.tz });
  const keys: string[] = [];
  for (
    let at = DateTime.fromJSDate(q.from, { zone: q.tz }).startOf(q.bucket);
    at < end && keys.length < 500;
    at = at.plus({ [q.bucket]: 1 })
  ) {
    keys.push(at.toISODate() ?? '');
  }
  return keys;
}

/**
 * The dashboard's numbers. Every figure is an aggregate the database computed (ReportsRepository);
 * this only shapes them. Definitions: docs/metrics.md.
 */
export class ReportsService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly rubricSize: number,
  ) {}

  async summary(q: ReportQuery): Promise<ReportSummary> {
    // One statement at a time: PGlite has one connection anyway, and on PostgreSQL a dashboard
    // should not take several pool connections from the agents' chat.
    const created = await this.repo.created(q);
    const solved = await this.repo.solved(q);
    const breaches = await this.repo.breaches(q);
    const [csat] = await this.repo.ticketCsat(q);
    const [callCsat] = await this.repo.callRatings(q);
    const [calls] = await this.repo.calls(q);
    const [nps] = await this.repo.nps(q);
    const agents = await this.repo.agents(q);
    const trend = await this.repo.trend(q);
    const [bot = {}] = await this.repo.bot(q);

    const all = created.find((r) => num(r.gp) === 1 && num(r.gl) === 1) ?? {};
    const frRow = (key: string, r: Row): FirstResponseRow => ({
      key,
      count: num(r.responded),
      medianSeconds: round(numOrNull(r.median)),
      p95Seconds: round(numOrNull(r.p95)),
      decided: num(r.decided),
      withinTarget: num(r.within),
      withinTargetShare: round(share(num(r.within), num(r.decided))),
    });
    const byPriority = created
      .filter((r) => num(r.gp) === 0)
      .sort((a, b) => String(a.priority).localeCompare(String(b.priority)))
      .map((r) => frRow(String(r.priority), r));
    const chat = created.find((r) => num(r.gl) === 0 && r.live === true);
    const allFr = frRow('all', all);

    const solvedAll = solved.find((r) => num(r.gt) === 1 && num(r.gp) === 1) ?? {};
    const resolutionRows: ResolutionRow[] = solved
      .filter((r) => num(r.gt) === 0 || num(r.gp) === 0)
      .map((r) => {
        const by = num(r.gt) === 0 ? ('tier' as const) : ('priority' as const);
        return {
          by,
          key: String(by === 'tier' ? r.tier : r.priority),
          count: num(r.solved),
          medianSeconds: round(numOrNull(r.median)),
          p95Seconds: round(numOrNull(r.p95)),
        };
      })
      .sort((a, b) => a.by.localeCompare(b.by) || a.key.localeCompare(b.key));
    const solvedCount = num(solvedAll.solved);
    const createdCount = num(all.created);
    const breachCount = (clock: string) => num(breaches.find((b) => b.clock === clock)?.breaches);
    const okColumn = { first_response: 'fr_ok', next_response: 'nr_ok', resolution: 'res_ok' } as const;

    const promoters = num(nps?.promoters);
    const detractors = num(nps?.detractors);
    const npsResponses = promoters + num(nps?.passives) + detractors;
    const afterCall = num(solvedAll.after_call);

    const byBucket = new Map(trend.map((r) => [String(r.bucket), r]));
    const points: TrendPoint[] = bucketKeys(q).map((bucket) => {
      const r = byBucket.get(bucket) ?? {};
      return {
        bucket,
        created: num(r.created),
        solved: num(r.solved),
        firstResponseMedianSeconds: round(numOrNull(r.frt_median)),
        csatAverage: round(numOrNull(r.csat)),
        csatResponses: num(r.csat_n),
        qaAverage: round(numOrNull(r.qa)),
      };
    });
    const qaReviews = agents.reduce((n, a) => n + num(a.qa_n), 0);
    const qaSum = agents.reduce((n, a) => n + num(a.qa) * num(a.qa_n), 0);

    return {
      range: { from: q.from.toISOString(), to: q.to.toISOString(), tz: q.tz, bucket: q.bucket },
      tickets: { created: createdCount, solved: solvedCount, open: num(all.open) },
      firstResponse: {
        medianSeconds: allFr.medianSeconds,
        p95Seconds: allFr.p95Seconds,
        withinTargetShare: allFr.withinTargetShare,
        responded: allFr.count,
        byKey: [...byPriority, ...(chat ? [frRow('chat', chat)] : [])],
      },
      resolution: {
        medianSeconds: round(numOrNull(solvedAll.median)),
        p95Seconds: round(numOrNull(solvedAll.p95)),
        count: solvedCount,
        rows: resolutionRows,
      },
      fcr: {
        share: round(share(num(solvedAll.fcr), solvedCount)),
        count: num(solvedAll.fcr),
        solved: solvedCount,
      },
      sla: {
        breaches: breaches.reduce((n, b) => n + num(b.breaches), 0),
        clocks: SLA_CLOCK_NAMES.map((clock) => ({
          clock,
          breaches: breachCount(clock),
          compliance: round(share(num(all[okColumn[clock]]), createdCount)),
        })),
      },
      csat: {
        ...scores(csat, num(solvedAll.rated), solvedCount),
        calls: {
          ...scores(callCsat, num(calls?.rated), num(calls?.asked)),
          pictureAverage: round(numOrNull(callCsat?.picture)),
          soundAverage: round(numOrNull(callCsat?.sound)),
        },
      },
      nps: {
        score: npsResponses > 0 ? Math.round((100 * (promoters - detractors)) / npsResponses) : null,
        responses: npsResponses,
        promoters,
        passives: num(nps?.passives),
        detractors,
        dismissed: num(nps?.dismissed),
      },
      calls: {
        count: num(calls?.count),
        connected: num(calls?.connected),
        connectedSeconds: round(num(calls?.connected_seconds)) ?? 0,
        shareOfResolutionTime: round(share(num(solvedAll.call_s), num(solvedAll.rs_sum))),
        resolvedAfterCall: afterCall,
        resolvedWithoutCall: solvedCount - afterCall,
        resolutionMedianAfterCallSeconds: round(numOrNull(solvedAll.median_after_call)),
        resolutionMedianWithoutCallSeconds: round(numOrNull(solvedAll.median_without_call)),
      },
      qa: { reviews: qaReviews, average: round(share(qaSum, qaReviews)), maxTotal: this.rubricSize * 5 },
      bot: {
        conversations: num(bot.conversations),
        answered: num(bot.answered),
        resolved: num(bot.resolved),
        handoffs: num(bot.handoffs),
        handoffReasons: {
          asked: num(bot.asked),
          no_answer: num(bot.no_answer),
          second_no: num(bot.second_no),
          reopened: num(bot.reopened),
          limit: num(bot.limit),
        },
        takenOver: num(bot.taken_over),
        answering: num(bot.answering),
        resolvedShare: round(share(num(bot.resolved), num(bot.conversations))),
      },
      agents: agents.map((a) => ({
        agentId: String(a.id),
        name: String(a.name),
        csatAverage: round(numOrNull(a.csat)),
        csatResponses: num(a.csat_n),
        qaAverage: round(numOrNull(a.qa)),
        qaReviews: num(a.qa_n),
        solved: num(a.solved),
      })),
      trend: points,
    };
  }

  /** The tickets behind one number of the summary: the same predicates, as a list. */
  async tickets(
    q: ReportQuery & { metric: ReportMetric; score?: number | undefined },
  ): Promise<ReportTicketList> {
    const { predicate, agent } = drillDown(q);
    const rows = await this.repo.tickets(q, predicate, agent, DRILL_DOWN_LIMIT);
    const iso = (v: unknown) =>
      v instanceof Date ? v.toISOString() : v ? new Date(String(v)).toISOString() : null;
    return {
      metric: q.metric,
      total: num(rows[0]?.total),
      limit: DRILL_DOWN_LIMIT,
      rows: rows.map((r) => ({
        id: String(r.id),
        number: num(r.number),
        subject: String(r.subject),
        status: String(r.status),
        priority: String(r.priority),
        tier: String(r.tier),
        channel: String(r.channel),
        category: String(r.category),
        assignee: r.assignee === null ? null : String(r.assignee),
        createdAt: iso(r.created_at) ?? '',
        firstResponseSeconds: round(numOrNull(r.frs)),
        solvedAt: iso(r.solved_at),
        resolutionSeconds: round(numOrNull(r.rs)),
        csatScore: numOrNull(r.csat_score),
        csatComment: r.csat_comment === null ? null : String(r.csat_comment),
      })),
    };
  }
}

/** Which tickets a metric counts, and whose work the agent filter looks at (as in the summary). */
function drillDown(q: ReportQuery & { metric: ReportMetric; score?: number | undefined }): {
  predicate: SQL;
  agent: SQL | null;
} {
  const assignee = sql`t.assignee_id`;
  const csatIn = sql`c.ticket_id IS NOT NULL AND ${between(sql`c.submitted_at`, q)}`;
  const agentOf = (column: SQL) => (q.agent ? sql`${column} = ${q.agent}::uuid` : sql`TRUE`);
  switch (q.metric) {
    case 'tickets.created':
      return { predicate: createdIn(q), agent: assignee };
    case 'tickets.solved':
      return { predicate: solvedIn(q), agent: assignee };
    case 'tickets.open':
      return { predicate: sql`${createdIn(q)} AND ${isOpen}`, agent: assignee };
    case 'firstResponse.responded':
      return { predicate: sql`${createdIn(q)} AND t.first_response_at IS NOT NULL`, agent: assignee };
    case 'firstResponse.missed':
      return { predicate: sql`${createdIn(q)} AND ${breached('first_response')}`, agent: assignee };
    case 'fcr':
      return { predicate: sql`${solvedIn(q)} AND ${firstContactResolved}`, agent: assignee };
    case 'fcr.not':
      return { predicate: sql`${solvedIn(q)} AND NOT ${firstContactResolved}`, agent: assignee };
    case 'sla.breaches':
      return {
        predicate: sql`EXISTS (SELECT 1 FROM sla_alerts a WHERE a.ticket_id = t.id AND a.kind = 'breach'
          AND ${between(sql`a.at`, q)})`,
        agent: assignee,
      };
    case 'csat.responses':
      return { predicate: csatIn, agent: sql`c.agent_id` };
    case 'csat.low':
      return { predicate: sql`${csatIn} AND c.score <= ${LOW_SCORE}`, agent: sql`c.agent_id` };
    case 'csat.score':
      return { predicate: sql`${csatIn} AND c.score = ${q.score ?? 0}`, agent: sql`c.agent_id` };
    case 'calls.rated':
      return {
        predicate: sql`EXISTS (SELECT 1 FROM call_ratings r WHERE r.ticket_id = t.id
          AND ${between(sql`r.submitted_at`, q)} AND ${agentOf(sql`r.agent_id`)})`,
        agent: null,
      };
    case 'calls.connected':
      return {
        predicate: sql`EXISTS (SELECT 1 FROM calls k WHERE k.ticket_id = t.id AND k.connected_at IS NOT NULL
          AND ${between(sql`k.started_at`, q)} AND ${agentOf(sql`k.started_by_id`)})`,
        agent: null,
      };
    case 'resolved.afterCall':
      return { predicate: sql`${solvedIn(q)} AND ${solvedAfterCall}`, agent: assignee };
    case 'resolved.withoutCall':
      return { predicate: sql`${solvedIn(q)} AND NOT ${solvedAfterCall}`, agent: assignee };
  }
}
