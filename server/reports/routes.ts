import { z } from 'zod';
import { REPORT_BUCKETS, REPORT_METRICS } from '../../signaling/shared/reports';
import { defineRoute } from '../http/route';
import type { TicketHealthService } from './health';
import { reportQuerySchema, reportTicketsQuerySchema } from './schemas';
import type { ReportsService } from './service';
import type { CustomerTermsService } from './terms';

/** Supervisors and admins run the desk; QA reviewers read the same numbers. Agents and customers: 403. */
export const REPORT_ROLES = ['supervisor', 'admin', 'qa'] as const;

// Response schemas document the API (OpenAPI); the views are typed in signaling/shared/reports.ts.
const n = z.number();
const nn = z.number().nullable();
const percentiles = { count: n, medianSeconds: nn, p95Seconds: nn };
const scoreSummary = {
  average: nn,
  responses: n,
  lowScores: n,
  distribution: z.array(n),
  responseRate: nn,
  asked: n,
};
const summary = z
  .object({
    range: z.object({ from: z.string(), to: z.string(), tz: z.string(), bucket: z.enum(REPORT_BUCKETS) }),
    tickets: z.object({ created: n, solved: n, open: n }),
    firstResponse: z.object({
      medianSeconds: nn,
      p95Seconds: nn,
      withinTargetShare: nn,
      responded: n,
      byKey: z.array(
        z.object({ key: z.string(), ...percentiles, decided: n, withinTarget: n, withinTargetShare: nn }),
      ),
    }),
    resolution: z.object({
      medianSeconds: nn,
      p95Seconds: nn,
      count: n,
      rows: z.array(z.object({ by: z.enum(['tier', 'priority']), key: z.string(), ...percentiles })),
    }),
    fcr: z.object({ share: nn, count: n, solved: n }),
    sla: z.object({
      breaches: n,
      clocks: z.array(z.object({ clock: z.string(), breaches: n, compliance: nn })),
    }),
    csat: z.object({
      ...scoreSummary,
      calls: z.object({ ...scoreSummary, pictureAverage: nn, soundAverage: nn }),
    }),
    nps: z.object({ score: nn, responses: n, promoters: n, passives: n, detractors: n, dismissed: n }),
    calls: z.object({
      count: n,
      connected: n,
      connectedSeconds: n,
      shareOfResolutionTime: nn,
      resolvedAfterCall: n,
      resolvedWithoutCall: n,
      resolutionMedianAfterCallSeconds: nn,
      resolutionMedianWithoutCallSeconds: nn,
    }),
    qa: z.object({ reviews: n, average: nn, maxTotal: n }),
    bot: z.object({
      conversations: n,
      answered: n,
      resolved: n,
      handoffs: n,
      handoffReasons: z.object({ asked: n, no_answer: n, second_no: n, reopened: n, limit: n }),
      takenOver: n,
      answering: n,
      resolvedShare: nn,
    }),
    agents: z.array(
      z.object({
        agentId: z.string(),
        name: z.string(),
        csatAverage: nn,
        csatResponses: n,
        qaAverage: nn,
        qaReviews: n,
        solved: n,
      }),
    ),
    trend: z.array(
      z.object({
        bucket: z.string(),
        created: n,
        solved: n,
        firstResponseMedianSeconds: nn,
        csatAverage: nn,
        csatResponses: n,
        qaAverage: nn,
      }),
    ),
  })
  .meta({ id: 'ReportSummary' });

const ticketList = z
  .object({
    metric: z.enum(REPORT_METRICS),
    total: n,
    limit: n,
    rows: z.array(
      z.object({
        id: z.string(),
        number: n,
        subject: z.string(),
        status: z.string(),
        priority: z.string(),
        tier: z.string(),
        channel: z.string(),
        category: z.string(),
        assignee: z.string().nullable(),
        createdAt: z.string(),
        firstResponseSeconds: nn,
        solvedAt: z.string().nullable(),
        resolutionSeconds: nn,
        csatScore: nn,
        csatComment: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'ReportTicketList' });

const timeRow = z.object({ key: z.string(), totalSeconds: n, tickets: n, averageSeconds: nn });
const health = z
  .object({
    statuses: z.array(timeRow),
    tiers: z.array(timeRow),
    handoffs: z.object({ tickets: n, total: n, average: nn, max: n, distribution: z.array(n) }),
    longestWaits: z.array(
      z.object({ key: z.string(), ticketId: z.string(), number: n, subject: z.string(), seconds: n }),
    ),
  })
  .meta({ id: 'TicketHealth' });

const terms = z
  .object({
    documents: n,
    previousDocuments: n,
    terms: z.array(
      z.object({
        term: z.string(),
        count: n,
        previous: n,
        change: n,
        sources: z.array(
          z.object({
            kind: z.enum(['subject', 'csat', 'call', 'nps']),
            ticketId: z.string().nullable(),
            ticketNumber: nn,
            text: z.string(),
            at: z.string(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'CustomerTerms' });

export function reportRoutes(deps: {
  reports: ReportsService;
  health: TicketHealthService;
  terms: CustomerTermsService;
}) {
  const { reports } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/api/reports/summary',
      summary:
        'The dashboard for a range (from ≤ t < to) and filters: tickets, first response, resolution, FCR, SLA, CSAT, NPS, calls, QA, trend (docs/metrics.md)',
      tag: 'reports',
      access: REPORT_ROLES,
      query: reportQuerySchema,
      response: summary,
      handler: async ({ query }) => reports.summary(query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/reports/tickets',
      summary:
        'The tickets behind one number of the summary (same range, filters and definitions), newest first',
      tag: 'reports',
      access: REPORT_ROLES,
      query: reportTicketsQuerySchema,
      response: ticketList,
      handler: async ({ query }) => reports.tickets(query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/reports/health',
      summary:
        'Where the time goes: time in each status and tier, hand-offs per ticket, the longest waits (tickets created in the range)',
      tag: 'reports',
      access: REPORT_ROLES,
      query: reportQuerySchema,
      response: health,
      handler: async ({ query }) => deps.health.health(query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/reports/terms',
      summary:
        'What customers say: the most frequent terms in CSAT/NPS comments and ticket subjects, against the previous period of equal length',
      tag: 'reports',
      access: REPORT_ROLES,
      query: reportQuerySchema,
      response: terms,
      handler: async ({ query }) => deps.terms.terms(query),
    }),
  ];
}
