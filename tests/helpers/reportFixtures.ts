import { sql } from 'drizzle-orm';
import type { Database } from '../../server/db/client';

/**
 * Rows written at known instants, exactly as the services store them (tickets with their first
 * response and solve times, public replies, timeline events, calls, ratings, NPS answers, QA
 * reviews). The reports read only stored facts, so a test can pin every instant this way; the
 * services' own timestamps come from the database clock and could not be pinned.
 */
export class ReportFixtures {
  constructor(private readonly db: Database) {}

  private async one(query: ReturnType<typeof sql>): Promise<string> {
    const result = (await this.db.execute(query)) as unknown as { rows: Array<{ id: string }> };
    return String(result.rows[0]?.id);
  }

  ticket(t: {
    subject: string;
    requester: string;
    assignee?: string | null;
    tier?: string;
    priority?: string;
    status?: string;
    channel?: string;
    category?: string;
    createdAt: string;
    firstResponseAt?: string | null;
    solvedAt?: string | null;
  }): Promise<string> {
    return this.one(sql`
      INSERT INTO tickets (subject, description, category, requester_id, assignee_id, tier, priority, status,
        channel, first_response_at, solved_at, created_at, updated_at)
      VALUES (${t.subject}, 'Fixture', ${t.category ?? 'technical'}, ${t.requester}, ${t.assignee ?? null},
        ${t.tier ?? 'L1'}, ${t.priority ?? 'P3'}, ${t.status ?? 'new'}, ${t.channel ?? 'portal'},
        ${t.firstResponseAt ?? null}::timestamptz, ${t.solvedAt ?? null}::timestamptz, ${t.createdAt}::timestamptz,
        ${t.createdAt}::timestamptz)
      RETURNING id`);
  }

  reply(
    ticketId: string,
    authorId: string,
    at: string,
    kind: 'public' | 'internal' = 'public',
  ): Promise<string> {
    return this.one(sql`
      INSERT INTO ticket_messages (ticket_id, author_id, kind, body, created_at)
      VALUES (${ticketId}, ${authorId}, ${kind}, 'Fixture reply', ${at}::timestamptz) RETURNING id`);
  }

  event(ticketId: string, type: string, actorId: string | null, data: object, at: string): Promise<string> {
    return this.one(sql`
      INSERT INTO ticket_events (ticket_id, type, actor_id, data, created_at)
      VALUES (${ticketId}, ${type}, ${actorId}, ${JSON.stringify(data)}::jsonb, ${at}::timestamptz) RETURNING id`);
  }

  call(c: { ticketId: string; startedBy: string; startedAt: string; connectedAt?: string; endedAt: string }) {
    return this.one(sql`
      INSERT INTO calls (ticket_id, started_by_id, status, started_at, connected_at, ended_at, end_reason)
      VALUES (${c.ticketId}, ${c.startedBy}, 'ended', ${c.startedAt}::timestamptz,
        ${c.connectedAt ?? null}::timestamptz, ${c.endedAt}::timestamptz, ${c.connectedAt ? 'hangup' : 'no_answer'})
      RETURNING id`);
  }

  csat(r: {
    ticketId: string;
    customer: string;
    agent: string | null;
    score: number;
    comment?: string;
    at: string;
  }) {
    return this.db.execute(sql`
      INSERT INTO ticket_csat (ticket_id, customer_id, agent_id, score, comment, submitted_at, updated_at, locks_at)
      VALUES (${r.ticketId}, ${r.customer}, ${r.agent}, ${r.score}, ${r.comment ?? null}, ${r.at}::timestamptz,
        ${r.at}::timestamptz, ${r.at}::timestamptz + interval '7 days')`);
  }

  callRating(r: {
    callId: string;
    ticketId: string;
    customer: string;
    agent: string;
    picture: number;
    sound: number;
    helpfulness: number;
    comment?: string;
    at: string;
  }) {
    return this.db.execute(sql`
      INSERT INTO call_ratings (call_id, ticket_id, customer_id, agent_id, picture, sound, helpfulness, comment,
        submitted_at, updated_at, locks_at)
      VALUES (${r.callId}, ${r.ticketId}, ${r.customer}, ${r.agent}, ${r.picture}, ${r.sound}, ${r.helpfulness},
        ${r.comment ?? null}, ${r.at}::timestamptz, ${r.at}::timestamptz, ${r.at}::timestamptz + interval '7 days')`);
  }

  nps(customer: string, score: number | null, at: string, comment?: string) {
    const category = score === null ? null : score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
    return this.db.execute(sql`
      INSERT INTO nps_responses (customer_id, score, category, comment, asked_at)
      VALUES (${customer}, ${score}, ${category}, ${comment ?? null}, ${at}::timestamptz)`);
  }

  /** A breach as the SLA monitor records it (used where the monitor saw the ticket while active). */
  slaBreach(ticketId: string, clock: string, at: string) {
    return this.db.execute(sql`
      INSERT INTO sla_alerts (ticket_id, clock, kind, cycle, at) VALUES (${ticketId}, ${clock}, 'breach', 0, ${at}::timestamptz)
      ON CONFLICT DO NOTHING`);
  }

  async qaReview(r: { callId: string; ticketId: string; reviewer: string; total: number; at: string }) {
    const recording = await this.one(sql`
      INSERT INTO recordings (call_id, ticket_id, trigger, status, started_at)
      VALUES (${r.callId}, ${r.ticketId}, 'manual', 'ready', ${r.at}::timestamptz) RETURNING id`);
    await this.db.execute(sql`
      INSERT INTO recording_reviews (recording_id, reviewer_id, scores, total, updated_at)
      VALUES (${recording}, ${r.reviewer}, '{}'::jsonb, ${r.total}, ${r.at}::timestamptz)`);
  }
}
