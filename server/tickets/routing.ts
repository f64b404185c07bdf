import type { Presence, Tier } from '../../signaling/shared/protocol';

export interface AssigneeCandidate {
  id: string;
  tier: Tier;
  skills: string[];
  /** Derived by server/presence: only `online` agents (a tab open and in use) get tickets. */
  presence: Presence;
  /** Tickets assigned to them that are not solved or closed. */
  openTickets: number;
  createdAt: Date;
}

/** What an administrator chooses about auto-assignment (`/admin/routing`). */
export interface RoutingOptions {
  /** Prefer agents whose skills include the ticket's category. */
  readonly bySkills: boolean;
  /** Prefer the agent with the fewest open tickets; off = the longest-serving agent takes it. */
  readonly byLoad: boolean;
  /** An agent with this many open tickets gets no more automatically; null = no limit. */
  readonly maxOpenPerAgent: number | null;
}

export const DEFAULT_ROUTING: RoutingOptions = { bySkills: true, byLoad: true, maxOpenPerAgent: null };

/**
 * Auto-assignment: among `online` agents (a Livedesk tab open and in use, not away, busy or in a
 * call) of exactly the ticket's tier, prefer those whose skills
 * include the ticket's category (when anyone has it), then the fewest open tickets, then the
 * longest-serving agent (a stable tie-break, so the choice is repeatable). `options` turns the
 * skill and load preferences off and caps how many open tickets an agent is given. Returns null when no
 * agent qualifies; the ticket then waits in the tier's unassigned queue.
 */
export function pickAssignee<C extends AssigneeCandidate>(
  candidates: readonly C[],
  ticket: { tier: Tier; category: string },
  options: RoutingOptions = DEFAULT_ROUTING,
): C | null {
  const max = options.maxOpenPerAgent;
  const eligible = candidates.filter(
    (c) => c.tier === ticket.tier && c.presence === 'online' && (max === null || c.openTickets < max),
  );
  const skilled = options.bySkills ? eligible.filter((c) => c.skills.includes(ticket.category)) : [];
  const pool = skilled.length > 0 ? skilled : eligible;
  const sorted = [...pool].sort(
    (a, b) =>
      (options.byLoad ? a.openTickets - b.openTickets : 0) || a.createdAt.getTime() - b.createdAt.getTime(),
  );
  return sorted[0] ?? null;
}
