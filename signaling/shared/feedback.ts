// The feedback domain's vocabulary and views, shared by the server and the client: CSAT for a
// ticket and for a call, low-score follow-ups, NPS. Part of the shared leaf: imports nothing.

/** A CSAT score (ticket, or each part of a call rating) at or below this opens a follow-up. */
export const LOW_SCORE_THRESHOLD = 2;

/** What a follow-up was opened for. */
export const FOLLOW_UP_SOURCES = ['ticket_csat', 'call_rating', 'playbook'] as const;
export type FollowUpSource = (typeof FOLLOW_UP_SOURCES)[number];

/** The supervisor queue's filter: open (incl. overdue), only overdue, closed, or everything. */
export const FOLLOW_UP_STATES = ['open', 'overdue', 'closed', 'all'] as const;
export type FollowUpState = (typeof FOLLOW_UP_STATES)[number];

export const NPS_CATEGORIES = ['promoter', 'passive', 'detractor'] as const;
export type NpsCategory = (typeof NPS_CATEGORIES)[number];

/** The standard NPS buckets: 9–10 promoter, 7–8 passive, 0–6 detractor. */
export function npsCategory(score: number): NpsCategory {
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

/** A ticket's CSAT answer. */
export interface CsatRatingView {
  ticketId: string;
  score: number;
  comment: string | null;
  submittedAt: string;
  updatedAt: string;
  /** After this instant the answer can no longer be changed. */
  locksAt: string;
  locked: boolean;
  /** How many times it was changed after the first answer. */
  revisions: number;
}

/** What the ticket page needs: may the customer (still) answer, and the answer if any. */
export interface TicketCsatState {
  /** True while the ticket is solved or closed: the survey is open (or was answered). */
  eligible: boolean;
  rating: CsatRatingView | null;
}

export const CALL_RATING_PARTS = ['picture', 'sound', 'helpfulness'] as const;
export type CallRatingPart = (typeof CALL_RATING_PARTS)[number];

export interface CallRatingView {
  callId: string;
  ticketId: string;
  picture: number;
  sound: number;
  helpfulness: number;
  comment: string | null;
  submittedAt: string;
  updatedAt: string;
  locksAt: string;
  locked: boolean;
  revisions: number;
}

export interface CallRatingState {
  /** True for a call that connected and has ended. */
  eligible: boolean;
  rating: CallRatingView | null;
}

export interface FollowUpView {
  id: string;
  source: FollowUpSource;
  ticketId: string;
  ticketNumber: number;
  subject: string;
  callId: string | null;
  /** The lowest score that opened it (a call rating's lowest part); null for a playbook's. */
  score: number | null;
  comment: string | null;
  customer: { id: string; name: string };
  agent: { id: string; name: string } | null;
  openedAt: string;
  dueAt: string;
  /** Past its deadline and not closed (whether or not the overdue event was recorded yet). */
  overdue: boolean;
  overdueAt: string | null;
  closedAt: string | null;
  closedBy: { id: string; name: string } | null;
  note: string | null;
}

export interface NpsPromptView {
  /** Ask now: a solved ticket exists and nothing was answered or dismissed within the period. */
  ask: boolean;
  /** When the next question may be asked, if one was asked within the period. */
  nextAt: string | null;
}

export interface NpsResponseView {
  id: string;
  /** Null when the customer dismissed the question. */
  score: number | null;
  category: NpsCategory | null;
  comment: string | null;
  askedAt: string;
  nextAt: string;
}
