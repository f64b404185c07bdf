// Queues and customer context (issue 17): the shapes the server sends and the client compiles
// against, beside protocol.ts.
import type { Channel, Priority, TicketStatus, Tier } from './domain';
import type { TicketView } from './protocol';

/**
 * A ticket's SLA state in queue filters, from the alerts the SLA monitor recorded on it: `breached`
 * once a target was passed, `warning` once a warning threshold was passed (and nothing breached),
 * `ok` otherwise.
 */
export const SLA_STATES = ['ok', 'warning', 'breached'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** `updated`: latest activity first (the default); `created`: newest; `oldest`; `priority`: P1 first. */
export const QUEUE_SORTS = ['updated', 'created', 'oldest', 'priority'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export const QUEUE_CATEGORIES = ['account', 'payment', 'course', 'technical', 'video_call', 'other'] as const;
export type QueueCategory = (typeof QUEUE_CATEGORIES)[number];

/** Every filter is optional; a list matches any of its values; filters combine with AND. */
export interface QueueFilters {
  /** Words from the subject, the conversation, the customer's name or e-mail, or the number. */
  q?: string;
  /** `active`: new, open, pending or on hold. */
  status?: Array<TicketStatus | 'active'>;
  priority?: Priority[];
  tier?: Tier[];
  category?: QueueCategory[];
  channel?: Channel[];
  sla?: SlaState[];
  /** `me`, `none` (unassigned) or an agent's id. */
  assignee?: string;
}

/**
 * Matching tickets are counted up to this many; past it the count says "1,000+". A count tells
 * how broad a search is, and twenty pages deep a person refines the search rather than pages on.
 */
export const QUEUE_COUNT_CAP = 1_000;

export interface QueuePage {
  items: TicketView[];
  /** How many tickets match in all (the page holds at most `limit`), at most QUEUE_COUNT_CAP. */
  total: number;
  /** More tickets than `total` match (the count stopped at QUEUE_COUNT_CAP). */
  totalCapped: boolean;
}

export interface SavedQueueView {
  id: string;
  name: string;
  filters: QueueFilters;
  sort: QueueSort;
  /** Tickets matching the view now, at most QUEUE_COUNT_CAP. */
  count: number;
  /** More tickets than `count` match. */
  countCapped: boolean;
  createdAt: string;
  updatedAt: string;
}

export const BULK_ACTIONS = ['assign', 'priority', 'close'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export type BulkItemResult =
  | { ticketId: string; ok: true; number: number }
  | { ticketId: string; ok: false; number: number | null; error: { code: string; message: string } };

export interface BulkResult {
  results: BulkItemResult[];
  succeeded: number;
  failed: number;
}

export interface CustomerContext {
  customer: {
    id: string;
    name: string;
    email: string;
    locale: string;
    createdAt: string;
    disabled: boolean;
    ticketCount: number;
    openTicketCount: number;
  };
  /** The customer's other tickets, newest first. */
  tickets: Array<{
    id: string;
    number: number;
    subject: string;
    status: TicketStatus;
    priority: Priority;
    createdAt: string;
    updatedAt: string;
  }>;
  /** Calls on any of the customer's tickets, newest first. */
  calls: Array<{
    id: string;
    ticketId: string;
    ticketNumber: number;
    startedAt: string;
    endedAt: string | null;
    /** Connected time; null when the call never connected. */
    durationSeconds: number | null;
    /** Only when the viewer may watch it (QA, supervisors, admins, the agents on the call). */
    recording: { id: string; status: string } | null;
    /** The customer's rating of the call (1–5 each), when given. */
    rating: { picture: number; sound: number; helpfulness: number } | null;
  }>;
  /** The customer's CSAT answers, newest first. */
  csat: Array<{
    ticketId: string;
    ticketNumber: number;
    score: number;
    comment: string | null;
    submittedAt: string;
  }>;
}
