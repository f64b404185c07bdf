// The pure rules of customer-requested calls: when a customer may ask, whom it rings, and what
// state a request is in, derived from its timeline entries (so every node reads the same).
import type { CallRequestRefusal, CallRequestStatus } from '../../signaling/shared/callRequests';
import type { Availability, Presence, Priority, TicketStatus, Tier } from '../../signaling/shared/protocol';
import { canHold } from '../tickets/access';

export interface CallRequestPolicy {
  /** Priorities that may ask for a call (default P1–P3: P4 questions are answered in the chat). */
  priorities: readonly Priority[];
}

export interface Candidate {
  id: string;
  tier: Tier;
  presence: Presence;
  availability: Availability;
}

export interface RuleInput {
  status: TicketStatus;
  priority: Priority;
  tier: Tier;
  assigneeId: string | null;
  /** An SLA clock of the ticket is past its target: a call is the quickest way to catch up. */
  slaBreached: boolean;
  activeCall: boolean;
  pendingRequest: boolean;
  agents: readonly Candidate[];
}

export type RuleResult =
  | { allowed: true; targetIds: string[] }
  | { allowed: false; reason: CallRequestRefusal };

const free = (a: Candidate) => a.presence === 'online' && a.availability === 'available';

/**
 * A customer may ask for a call on an open ticket with no call going on and no request ringing,
 * when its priority is one the policy allows (or an SLA target was missed), and someone can pick
 * up: the assignee when there is one, otherwise the free agents who may hold the ticket's tier.
 */
export function callRequestRule(input: RuleInput, policy: CallRequestPolicy): RuleResult {
  if (input.status === 'solved' || input.status === 'closed')
    return { allowed: false, reason: 'ticket_closed' };
  if (input.activeCall) return { allowed: false, reason: 'call_active' };
  if (input.pendingRequest) return { allowed: false, reason: 'request_pending' };
  if (!policy.priorities.includes(input.priority) && !input.slaBreached)
    return { allowed: false, reason: 'priority' };
  const targets = input.assigneeId
    ? input.agents.filter((a) => a.id === input.assigneeId && free(a))
    : input.agents.filter((a) => free(a) && canHold({ role: 'agent', tier: a.tier }, input.tier));
  if (targets.length === 0) return { allowed: false, reason: 'no_agent_available' };
  return { allowed: true, targetIds: targets.map((a) => a.id) };
}

/** One timeline entry of a request (`call.requested`, `call.request_*`). */
export interface RequestEvent {
  type: string;
  actorId: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

export interface RequestState {
  id: string;
  status: CallRequestStatus;
  requestedAt: Date;
  expiresAt: Date;
  customerId: string;
  targetIds: string[];
  declinedBy: string[];
  byId: string | null;
  callId: string | null;
}

const OUTCOMES: Record<string, CallRequestStatus> = {
  'call.request_accepted': 'accepted',
  'call.request_expired': 'expired',
  'call.request_cancelled': 'cancelled',
};

/**
 * The requests of a ticket, oldest first, from their entries. A request still ringing past its
 * expiry counts as expired even if no node recorded it (its timer's node stopped).
 */
export function requestStates(events: readonly RequestEvent[], now: Date): RequestState[] {
  const byId = new Map<string, RequestState>();
  for (const e of events) {
    const id = typeof e.data.requestId === 'string' ? e.data.requestId : undefined;
    if (!id) continue;
    if (e.type === 'call.requested') {
      byId.set(id, {
        id,
        status: 'ringing',
        requestedAt: e.createdAt,
        expiresAt: new Date(String(e.data.expiresAt)),
        customerId: e.actorId ?? '',
        targetIds: Array.isArray(e.data.targetIds) ? (e.data.targetIds as string[]) : [],
        declinedBy: [],
        byId: null,
        callId: null,
      });
      continue;
    }
    const state = byId.get(id);
    if (state?.status !== 'ringing') continue;
    if (e.type === 'call.request_declined') {
      if (e.actorId) state.declinedBy.push(e.actorId);
      state.byId = e.actorId;
      // Declined once everyone it rang said no.
      if (state.targetIds.every((t) => state.declinedBy.includes(t))) state.status = 'declined';
      continue;
    }
    const outcome = OUTCOMES[e.type];
    if (!outcome) continue;
    state.status = outcome;
    state.byId = outcome === 'accepted' ? e.actorId : null;
    state.callId = typeof e.data.callId === 'string' ? e.data.callId : null;
  }
  const states = [...byId.values()];
  for (const s of states) if (s.status === 'ringing' && s.expiresAt <= now) s.status = 'expired';
  return states;
}
