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

/**
 * Auto-assignment: among `online` agents (a Livedesk tab open and in use, not away, busy or in a
 * call) of exactly the ticket's tier, prefer those whose skills
 * include the ticket's category (when anyone has it), then the fewest open tickets, then the
 * longest-serving agent (a stable tie-break, so the choice is repeatable). Returns null when no
 * agent qualifies; the ticket then waits in the tier's unassigned queue.
 */
export function pickAssignee<C extends AssigneeCandidate>(
  candidates: readonly C[],
  ticket: { tier: Tier; category: string },
): C | null {
  const eligible = candidates.filter((c) => c.tier === ticket.tier && c.presence === 'online');
  const skilled = eligible.filter((c) => c.skills.includes(ticket.category));
  const pool = skilled.length > 0 ? skilled : eligible;
  const sorted = [...pool].sort(
    (a, b) => a.openTickets - b.openTickets || a.createdAt.getTime() - b.createdAt.getTime(),
  );
  return sorted[0] ?? null;
}
