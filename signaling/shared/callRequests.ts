// A customer's request for a video call (issue 19): who it rings and how it ended. Shared by the
// server, the socket event `callRequest:updated` and the client.
import type { Role, Tier } from './domain';

interface Person {
  id: string;
  name: string;
  role: Role;
  tier: Tier | null;
}

export const CALL_REQUEST_STATUSES = ['ringing', 'accepted', 'declined', 'expired', 'cancelled'] as const;
export type CallRequestStatus = (typeof CALL_REQUEST_STATUSES)[number];

/** Why "Request a video call" is not offered now (the client words each one). */
export const CALL_REQUEST_REFUSALS = [
  'ticket_closed',
  'call_active',
  'request_pending',
  'priority',
  'no_agent_available',
] as const;
export type CallRequestRefusal = (typeof CALL_REQUEST_REFUSALS)[number];

export interface CallRequestView {
  id: string;
  ticketId: string;
  ticketNumber: number;
  subject: string;
  customer: Person;
  status: CallRequestStatus;
  /** The people it rings: the assignee, or the available agents of the ticket's tier and above. */
  targetIds: string[];
  /** Who accepted or declined last; null while ringing, on expiry or a cancel. */
  by: Person | null;
  /** The call the acceptance started. */
  callId: string | null;
  requestedAt: string;
  expiresAt: string;
}

/** `GET /api/tickets/:id/call-request`: may the customer ask now, and the open request if any. */
export interface CallRequestEligibility {
  allowed: boolean;
  reason: CallRequestRefusal | null;
  request: CallRequestView | null;
}
