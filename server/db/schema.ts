// The one schema for both database backends (PGlite embedded, PostgreSQL in production).
// Change it here, then run `npm run db:generate` to write the SQL migration into
// server/db/migrations/, and commit both.
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { BotMessage } from '../../signaling/shared/bot';
import {
  AVAILABILITIES,
  CALL_END_REASONS,
  CALL_ROLES,
  CALL_STATUSES,
  CHANNELS,
  MESSAGE_KINDS,
  PRESENCES,
  PRIORITIES,
  RECORDING_STATUSES,
  ROLES,
  STATUSES,
  TIERS,
} from '../../signaling/shared/domain';
import type { FollowUpSource } from '../../signaling/shared/feedback';
import type { Urgency } from '../../signaling/shared/macros';
import type { SystemEvent } from '../../signaling/shared/protocol';

export const roleEnum = pgEnum('user_role', ROLES);
export const tierEnum = pgEnum('agent_tier', TIERS);
export const availabilityEnum = pgEnum('agent_availability', AVAILABILITIES);
export const presenceEnum = pgEnum('user_presence', PRESENCES);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-cased and trimmed; the unique index is on this column. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: roleEnum('role').notNull(),
    /** Agents have a tier (L1 to L3); nobody else does. */
    tier: tierEnum('tier'),
    skills: text('skills').array().notNull().default(sql`'{}'::text[]`),
    /** Languages the person serves customers in (BCP 47 tags such as `en`, `zh-CN`); not the UI language. */
    languages: text('languages').array().notNull().default(sql`'{}'::text[]`),
    /** The language of the person's UI, mails and macros (`en`, `zh-CN`). */
    locale: text('locale').notNull().default('en'),
    /**
     * When the person chose `locale` themselves (the language switcher, signed in). Until then it is
     * a default, and a customer's browser language on a ticket says more (server/macros).
     */
    localeChosenAt: timestamp('locale_chosen_at', { withTimezone: true }),
    /** The agent's manual choice: `available` follows their activity, `busy`/`away` stick. */
    availability: availabilityEnum('availability').notNull().default('available'),
    /** Where the person is now (derived: server/presence); auto-assignment picks `online` agents. */
    presence: presenceEnum('presence').notNull().default('offline'),
    passwordHash: text('password_hash').notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_unique').on(t.email),
    index('users_role_idx').on(t.role),
    check('users_tier_matches_role', sql`(${t.role} = 'agent') = (${t.tier} IS NOT NULL)`),
  ],
);

/**
 * Small key/value facts about this installation, e.g. when the demo accounts were seeded, so
 * that one-time actions stay one-time across restarts.
 */
export const installationMeta = pgTable('installation_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;

// ---------------------------------------------------------------------------------------------
// Support desk core: tickets, conversation, attachments, timeline, links, SLA alerts.

export const priorityEnum = pgEnum('ticket_priority', PRIORITIES);
export const statusEnum = pgEnum('ticket_status', STATUSES);
export const channelEnum = pgEnum('ticket_channel', CHANNELS);
export const messageKindEnum = pgEnum('message_kind', MESSAGE_KINDS);

export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The human-readable number (#1001 …), sequential per installation. */
    number: integer('number').notNull().generatedAlwaysAsIdentity({ startWith: 1001 }),
    subject: text('subject').notNull(),
    description: text('description').notNull(),
    category: text('category').notNull(),
    requesterId: uuid('requester_id')
      .notNull()
      .references(() => users.id),
    assigneeId: uuid('assignee_id').references(() => users.id),
    tier: tierEnum('tier').notNull().default('L1'),
    priority: priorityEnum('priority').notNull().default('P3'),
    status: statusEnum('status').notNull().default('new'),
    channel: channelEnum('channel').notNull().default('portal'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** The problem snapshot the customer's browser attached (browser, OS, screen, network …). */
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>(),
    /** How urgent the customer said it is when they opened it (null: staff opened it). */
    customerUrgency: text('customer_urgency').$type<Urgency>(),
    mergedIntoId: uuid('merged_into_id'),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    solvedAt: timestamp('solved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('tickets_number_unique').on(t.number),
    index('tickets_requester_idx').on(t.requesterId),
    index('tickets_assignee_idx').on(t.assigneeId),
    index('tickets_queue_idx').on(t.status, t.tier),
    // The SLA pass reads only the tickets changed since its last pass (issue 14).
    index('tickets_updated_idx').on(t.updatedAt),
    index('tickets_created_idx').on(t.createdAt), // reports: created in a range
    index('tickets_solved_idx').on(t.solvedAt).where(sql`${t.solvedAt} IS NOT NULL`),
  ],
);

export const ticketMessages = pgTable(
  'ticket_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Total order of messages (and the pagination cursor): identity values only grow. */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    /** Null for system messages. */
    authorId: uuid('author_id').references(() => users.id),
    kind: messageKindEnum('kind').notNull(),
    /** For system messages: an English rendering of `system`, for clients that predate it. */
    body: text('body').notNull(),
    /**
     * What a system message (a `SystemEvent`) or an assistant message (a `BotMessage`,
     * signaling/shared/bot.ts) says, as data; each client words it in its reader's language.
     */
    system: jsonb('system').$type<SystemEvent | BotMessage>(),
    /** Chosen by the sending client; a retried send with the same id returns the stored message. */
    clientMessageId: text('client_message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ticket_messages_ticket_seq_idx').on(t.ticketId, t.seq),
    uniqueIndex('ticket_messages_client_id_unique').on(t.ticketId, t.authorId, t.clientMessageId),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    uploaderId: uuid('uploader_id')
      .notNull()
      .references(() => users.id),
    /** Set when the upload is attached to a ticket (at creation or with a message). */
    ticketId: uuid('ticket_id').references(() => tickets.id),
    messageId: uuid('message_id').references(() => ticketMessages.id),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('attachments_ticket_idx').on(t.ticketId),
    index('attachments_message_idx').on(t.messageId),
    // Uploads not claimed yet: a person's quota (by uploader) and the sweeper (by age) read them.
    index('attachments_unclaimed_idx').on(t.uploaderId, t.createdAt).where(sql`${t.ticketId} is null`),
  ],
);

/** The ticket's timeline: one row per domain event, written in the same transaction as the change. */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    /** `entity.verb`, e.g. `ticket.escalated`. */
    type: text('type').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ticket_events_ticket_seq_idx').on(t.ticketId, t.seq),
    index('ticket_events_type_idx').on(t.type, t.ticketId), // reports: ever escalated / reopened
    // Reports: the reopenings alone (a few per hundred tickets), read without the other updates.
    index('ticket_events_reopened_idx')
      .on(t.ticketId)
      .where(sql`${t.type} = 'ticket.updated' AND (${t.data}->'status'->>'from') IN ('solved', 'closed')`),
  ],
);

/**
 * Staff who follow a ticket they no longer work. Today: the agent who escalated it (`reason`
 * 'escalated'), recorded in the escalation's transaction. A follower keeps the ticket in their
 * "Following" queue and may add internal notes to it (server/tickets/access.ts, canNote). A table
 * rather than a scan of the timeline, so the access check and the queue are one indexed lookup.
 */
export const ticketFollowers = pgTable(
  'ticket_followers',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    reason: text('reason').$type<'escalated'>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] }), index('ticket_followers_user_idx').on(t.userId)],
);

export const ticketLinks = pgTable(
  'ticket_links',
  {
    /** Stored once per pair with ticketId < linkedTicketId, so a link has no direction. */
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    linkedTicketId: uuid('linked_ticket_id')
      .notNull()
      .references(() => tickets.id),
    createdById: uuid('created_by_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.linkedTicketId] })],
);

/** SLA warnings and breaches; the primary key is what makes each one happen exactly once. */
export const slaAlerts = pgTable(
  'sla_alerts',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    clock: text('clock').notNull(),
    kind: text('kind').notNull(),
    cycle: integer('cycle').notNull(),
    /** The instant the threshold was crossed (computed), not when it was noticed. */
    at: timestamp('at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.clock, t.kind, t.cycle] })],
);

export type TicketRow = typeof tickets.$inferSelect;
export type TicketMessageRow = typeof ticketMessages.$inferSelect;
export type AttachmentRow = typeof attachments.$inferSelect;
export type TicketEventRow = typeof ticketEvents.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Calls: a ticket escalated to a live video call.

export const callStatusEnum = pgEnum('call_status', CALL_STATUSES);
export const callEndReasonEnum = pgEnum('call_end_reason', CALL_END_REASONS);
export const callRoleEnum = pgEnum('call_role', CALL_ROLES);

export const calls = pgTable(
  'calls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    startedById: uuid('started_by_id')
      .notNull()
      .references(() => users.id),
    status: callStatusEnum('status').notNull().default('ringing'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    /** When the SFU first saw media between the customer and support, in either direction. */
    connectedAt: timestamp('connected_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endReason: callEndReasonEnum('end_reason'),
    /** Per participant: the WebRTC statistics summary (RTT, loss, bitrate, resolution). */
    statsSummary: jsonb('stats_summary').$type<Record<string, unknown>>(),
  },
  (t) => [index('calls_ticket_idx').on(t.ticketId), index('calls_status_idx').on(t.status)],
);

export const callParticipants = pgTable(
  'call_participants',
  {
    callId: uuid('call_id')
      .notNull()
      .references(() => calls.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: callRoleEnum('role').notNull(),
    /** First time this person entered the media room; rejoins keep it. */
    joinedAt: timestamp('joined_at', { withTimezone: true }),
    /** Last time they left; cleared when they rejoin. */
    leftAt: timestamp('left_at', { withTimezone: true }),
    /** When the SFU first saw media reach this person (mediasoup's counters, not their report). */
    receivingAt: timestamp('receiving_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.callId, t.userId] })],
);

export type CallRow = typeof calls.$inferSelect;
export type CallParticipantRow = typeof callParticipants.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Whiteboards: one per call, kept on the ticket.

export const boards = pgTable(
  'boards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    callId: uuid('call_id')
      .notNull()
      .references(() => calls.id),
    /** The earlier board this one was reopened from, if any. */
    sourceBoardId: uuid('source_board_id'),
    /** The frozen screen frame drawn over, as a data: URL (bounded in size). */
    background: text('background'),
    finalScene: jsonb('final_scene').$type<Record<string, unknown>>(),
    imageAttachmentId: uuid('image_attachment_id'),
    sceneAttachmentId: uuid('scene_attachment_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finalizedAt: timestamp('finalized_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('boards_call_unique').on(t.callId), index('boards_ticket_idx').on(t.ticketId)],
);

/** Append-only log of accepted element updates, written in throttled batches. */
export const boardUpdates = pgTable(
  'board_updates',
  {
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity().primaryKey(),
    boardId: uuid('board_id')
      .notNull()
      .references(() => boards.id),
    elements: jsonb('elements').$type<unknown[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('board_updates_board_idx').on(t.boardId, t.seq)],
);

export type BoardRow = typeof boards.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Recordings for QA.

export const recordingStatusEnum = pgEnum('recording_status', RECORDING_STATUSES);

export const recordings = pgTable(
  'recordings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    callId: uuid('call_id')
      .notNull()
      .references(() => calls.id),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    /** Null when a rule started it. */
    startedById: uuid('started_by_id').references(() => users.id),
    trigger: text('trigger').notNull(),
    status: recordingStatusEnum('status').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    durationSeconds: integer('duration_seconds'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    error: text('error'),
  },
  (t) => [index('recordings_call_idx').on(t.callId), index('recordings_ticket_idx').on(t.ticketId)],
);

/** One file per recorded track (a person's microphone, camera, or shared screen). */
export const recordingTracks = pgTable(
  'recording_tracks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => recordings.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    source: text('source').notNull(),
    /** Relative to the recordings directory. */
    file: text('file').notNull(),
    /** When this track's media begins, relative to the recording's start (ms): aligns the players. */
    offsetMs: integer('offset_ms').notNull(),
    status: text('status').notNull(),
    durationSeconds: text('duration_seconds'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    codec: text('codec'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('recording_tracks_recording_idx').on(t.recordingId)],
);

export const recordingReviews = pgTable(
  'recording_reviews',
  {
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => recordings.id),
    reviewerId: uuid('reviewer_id')
      .notNull()
      .references(() => users.id),
    /** Criterion id → score (1..5), per the rubric in force when scored. */
    scores: jsonb('scores').$type<Record<string, number>>().notNull(),
    total: integer('total').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.recordingId, t.reviewerId] })],
);

export const recordingComments = pgTable(
  'recording_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recordingId: uuid('recording_id')
      .notNull()
      .references(() => recordings.id),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    /** Position in the recording the comment is about (ms from its start). */
    atMs: integer('at_ms').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('recording_comments_recording_idx').on(t.recordingId)],
);

export type RecordingRow = typeof recordings.$inferSelect;
export type RecordingTrackRow = typeof recordingTracks.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Feedback: CSAT per ticket and per call, low-score follow-ups, NPS. Each row keeps the ids and
// instants the reports filter and group by (customer, agent, when asked, answered, changed, locked),
// with an index on the answer's time for date-range queries.

/** One CSAT answer per ticket, by its customer; changeable until `locks_at`. */
export const ticketCsat = pgTable(
  'ticket_csat',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => users.id),
    /** The ticket's assignee when first answered: whose service was rated. */
    agentId: uuid('agent_id').references(() => users.id),
    score: integer('score').notNull(),
    comment: text('comment'),
    /** When the ticket was solved (the survey was asked), for the response delay. */
    solvedAt: timestamp('solved_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    locksAt: timestamp('locks_at', { withTimezone: true }).notNull(),
    revisions: integer('revisions').notNull().default(0),
  },
  (t) => [
    check('ticket_csat_score_range', sql`${t.score} BETWEEN 1 AND 5`),
    index('ticket_csat_submitted_idx').on(t.submittedAt),
    index('ticket_csat_agent_idx').on(t.agentId, t.submittedAt),
  ],
);

/** One rating per connected call, by its customer: picture, sound and helpfulness (1–5 each). */
export const callRatings = pgTable(
  'call_ratings',
  {
    callId: uuid('call_id')
      .primaryKey()
      .references(() => calls.id),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => users.id),
    /** Who started the call (the agent whose call was rated). */
    agentId: uuid('agent_id').references(() => users.id),
    picture: integer('picture').notNull(),
    sound: integer('sound').notNull(),
    helpfulness: integer('helpfulness').notNull(),
    comment: text('comment'),
    /** When the call ended (the rating was asked), for the response delay. */
    callEndedAt: timestamp('call_ended_at', { withTimezone: true }),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    locksAt: timestamp('locks_at', { withTimezone: true }).notNull(),
    revisions: integer('revisions').notNull().default(0),
  },
  (t) => [
    check(
      'call_ratings_score_range',
      sql`${t.picture} BETWEEN 1 AND 5 AND ${t.sound} BETWEEN 1 AND 5 AND ${t.helpfulness} BETWEEN 1 AND 5`,
    ),
    index('call_ratings_submitted_idx').on(t.submittedAt),
    index('call_ratings_ticket_idx').on(t.ticketId),
    index('call_ratings_agent_idx').on(t.agentId, t.submittedAt),
  ],
);

/**
 * A low score to follow up: opened with the rating that was low (one per rating: `subject_id` is
 * the ticket id for ticket CSAT, the call id for a call rating), due by `due_at`, marked overdue
 * once past it, closed by a supervisor with a note of what was done.
 */
export const feedbackFollowUps = pgTable(
  'feedback_follow_ups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source').$type<FollowUpSource>().notNull(),
    subjectId: uuid('subject_id').notNull(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    callId: uuid('call_id').references(() => calls.id),
    /** The low score that opened it; null for a playbook's follow-up after solving. */
    score: integer('score'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    overdueAt: timestamp('overdue_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedById: uuid('closed_by_id').references(() => users.id),
    note: text('note'),
  },
  (t) => [
    uniqueIndex('feedback_follow_ups_subject_unique').on(t.source, t.subjectId),
    index('feedback_follow_ups_queue_idx').on(t.closedAt, t.dueAt),
    index('feedback_follow_ups_opened_idx').on(t.openedAt),
    index('feedback_follow_ups_ticket_idx').on(t.ticketId),
  ],
);

/** NPS answers; a dismissed question is a row with no score (it counts as asked). */
export const npsResponses = pgTable(
  'nps_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => users.id),
    score: integer('score'),
    /** promoter (9–10) / passive (7–8) / detractor (0–6); null when dismissed. */
    category: text('category').$type<'promoter' | 'passive' | 'detractor'>(),
    comment: text('comment'),
    askedAt: timestamp('asked_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('nps_responses_score_range', sql`${t.score} IS NULL OR ${t.score} BETWEEN 0 AND 10`),
    index('nps_responses_customer_idx').on(t.customerId, t.askedAt),
    index('nps_responses_asked_idx').on(t.askedAt),
  ],
);

export type TicketCsatRow = typeof ticketCsat.$inferSelect;
export type CallRatingRow = typeof callRatings.$inferSelect;
export type FeedbackFollowUpRow = typeof feedbackFollowUps.$inferSelect;
export type NpsResponseRow = typeof npsResponses.$inferSelect;

// Mail and the links mails carry: server/db/mailSchema.ts (drizzle.config.ts lists both files).
