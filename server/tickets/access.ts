// Who may see and do what on a ticket. Pure functions of the actor and the ticket, so every
// route and socket handler asks the same questions and the rules are unit-tested in one place.
import type { PublicUser, Tier } from '../../signaling/shared/protocol';

type TicketFacts = { requesterId: string; assigneeId: string | null; tier: Tier; status: string };

const TIER_RANK: Record<Tier, number> = { L1: 1, L2: 2, L3: 3 };
export const tierRank = (tier: Tier) => TIER_RANK[tier];

export const isStaff = (actor: PublicUser) => actor.role !== 'customer';

/**
 * A customer reads only the tickets they requested. Every staff role reads every ticket: agents
 * serve requesters across tiers, escalation keeps the history whole, and QA and supervisors review.
 */
export function canRead(actor: PublicUser, ticket: TicketFacts): boolean {
  return isStaff(actor) || ticket.requesterId === actor.id;
}

/** Internal notes and the timeline: staff only. */
export const canSeeInternal = isStaff;

/**
 * Working a ticket (reply, note, status, priority, claim): supervisors and admins always; an agent
 * when it is assigned to them or sits in a tier at or below their own. QA reviewers only read.
 */
export function canWork(actor: PublicUser, ticket: TicketFacts): boolean {
  if (actor.role === 'supervisor' || actor.role === 'admin') return true;
  if (actor.role !== 'agent' || !actor.tier) return false;
  return ticket.assigneeId === actor.id || tierRank(ticket.tier) <= tierRank(actor.tier);
}

/**
 * Internal notes: whoever may work the ticket, and an agent who follows it — the one who escalated
 * it keeps adding what they learn (the customer calls back, a workaround turns up) without working
 * it: no public reply, no status change. `following` comes from ticket_followers.
 */
export function canNote(actor: PublicUser, ticket: TicketFacts, following: boolean): boolean {
  return canWork(actor, ticket) || (actor.role === 'agent' && following);
}

/** Whether `agent` may hold a ticket of this tier (an assignee must be able to work it). */
export function canHold(agent: Pick<PublicUser, 'role' | 'tier'>, tier: Tier): boolean {
  if (agent.role === 'supervisor' || agent.role === 'admin') return true;
  return agent.role === 'agent' && agent.tier !== null && tierRank(agent.tier) >= tierRank(tier);
}

/** A customer may write on their own ticket until it is closed. */
export function canCustomerReply(actor: PublicUser, ticket: TicketFacts): boolean {
  return actor.role === 'customer' && ticket.requesterId === actor.id && ticket.status !== 'closed';
}
