// The reports domain's vocabulary and views, shared by the server and the client (the dashboard).
// Part of the shared leaf: imports nothing. Every metric is defined in docs/metrics.md.

/** What a drill-down can list: the tickets behind one number of the summary. */
export const REPORT_METRICS = [
  'tickets.created',
  'tickets.solved',
  'tickets.open',
  'firstResponse.responded',
  'firstResponse.missed',
  'fcr',
  'fcr.not',
  'sla.breaches',
  'csat.responses',
  'csat.low',
  'csat.score',
  'calls.rated',
  'calls.connected',
  'resolved.afterCall',
  'resolved.withoutCall',
] as const;
export type ReportMetric = (typeof REPORT_METRICS)[number];

export const REPORT_BUCKETS = ['day', 'week'] as const;
export type ReportBucket = (typeof REPORT_BUCKETS)[number];

/** A median and a 95th percentile, in seconds; null when nothing was measured. */
export interface Percentiles {
  count: number;
  medianSeconds: number | null;
  p95Seconds: number | null;
}

export interface FirstResponseRow extends Percentiles {
  /** A priority ('P1'…), or 'chat' for the live channel (its 60 s target), or 'all'. */
  key: string;
  /** Tickets whose first-response clock has a verdict (answered, or breached while waiting). */
  decided: number;
  withinTarget: number;
  withinTargetShare: number | null;
}

export interface ResolutionRow extends Percentiles {
  /** 'tier' or 'priority'. */
  by: 'tier' | 'priority';
  key: string;
}

export interface SlaClockRow {
  clock: string;
  /** Breach alerts recorded in the range (every cycle of next_response counts). */
  breaches: number;
  /** Tickets created in the range without a breach of this clock, over the tickets created. */
  compliance: number | null;
}

export interface ScoreSummary {
  average: number | null;
  responses: number;
  lowScores: number;
  /** Responses per score 1..5 (index 0 = score 1). */
  distribution: number[];
  /** Responses over the surveys asked (tickets solved / connected calls ended in the range). */
  responseRate: number | null;
  asked: number;
}

export interface TrendPoint {
  /** The bucket's first day (YYYY-MM-DD) in the report's time zone. */
  bucket: string;
  created: number;
  solved: number;
  firstResponseMedianSeconds: number | null;
  csatAverage: number | null;
  csatResponses: number;
  qaAverage: number | null;
}

export interface AgentQualityRow {
  agentId: string;
  name: string;
  csatAverage: number | null;
  csatResponses: number;
  qaAverage: number | null;
  qaReviews: number;
  solved: number;
}

export interface ReportSummary {
  range: { from: string; to: string; tz: string; bucket: ReportBucket };
  tickets: { created: number; solved: number; open: number };
  firstResponse: {
    medianSeconds: number | null;
    p95Seconds: number | null;
    withinTargetShare: number | null;
    responded: number;
    byKey: FirstResponseRow[];
  };
  resolution: {
    medianSeconds: number | null;
    p95Seconds: number | null;
    count: number;
    rows: ResolutionRow[];
  };
  fcr: { share: number | null; count: number; solved: number };
  sla: { breaches: number; clocks: SlaClockRow[] };
  csat: ScoreSummary & {
    calls: ScoreSummary & { pictureAverage: number | null; soundAverage: number | null };
  };
  nps: {
    score: number | null;
    responses: number;
    promoters: number;
    passives: number;
    detractors: number;
    dismissed: number;
  };
  calls: {
    count: number;
    connected: number;
    connectedSeconds: number;
    /** Connected call time before the solve, over the resolution time, of the tickets solved. */
    shareOfResolutionTime: number | null;
    resolvedAfterCall: number;
    resolvedWithoutCall: number;
    resolutionMedianAfterCallSeconds: number | null;
    resolutionMedianWithoutCallSeconds: number | null;
  };
  qa: { reviews: number; average: number | null; maxTotal: number };
  /** The Livedesk assistant on the tickets created in the range (docs/metrics.md, "Assistant"). */
  bot: BotSummary;
  agents: AgentQualityRow[];
  trend: TrendPoint[];
}

export interface BotSummary {
  /** Tickets the assistant answered first. */
  conversations: number;
  /** Of those, where it quoted at least one article. */
  answered: number;
  /** Solved by the customer's "yes" (and not reopened since). */
  resolved: number;
  /** Handed to a person by the assistant, by reason. */
  handoffs: number;
  handoffReasons: { asked: number; no_answer: number; second_no: number; reopened: number; limit: number };
  /** A person replied, called or pressed "Take over" before the assistant finished. */
  takenOver: number;
  /** Still with the assistant (the customer has not answered yet). */
  answering: number;
  /** resolved / conversations; null without conversations. */
  resolvedShare: number | null;
}

/** One ticket behind a number. */
export interface ReportTicketRow {
  id: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
  tier: string;
  channel: string;
  category: string;
  assignee: string | null;
  createdAt: string;
  firstResponseSeconds: number | null;
  solvedAt: string | null;
  resolutionSeconds: number | null;
  csatScore: number | null;
  csatComment: string | null;
}

export interface ReportTicketList {
  metric: ReportMetric;
  total: number;
  /** At most this many rows are returned (the newest first); `total` counts them all. */
  limit: number;
  rows: ReportTicketRow[];
}

export interface StatusTimeRow {
  key: string;
  totalSeconds: number;
  tickets: number;
  averageSeconds: number | null;
}

export interface LongWaitRow {
  key: string;
  ticketId: string;
  number: number;
  subject: string;
  seconds: number;
}

export interface TicketHealth {
  statuses: StatusTimeRow[];
  tiers: StatusTimeRow[];
  handoffs: { tickets: number; total: number; average: number | null; max: number; distribution: number[] };
  longestWaits: LongWaitRow[];
}

export interface TermSource {
  kind: 'subject' | 'csat' | 'call' | 'nps';
  ticketId: string | null;
  ticketNumber: number | null;
  text: string;
  at: string;
}

export interface TermRow {
  term: string;
  count: number;
  previous: number;
  change: number;
  sources: TermSource[];
}

export interface CustomerTerms {
  terms: TermRow[];
  documents: number;
  previousDocuments: number;
}
