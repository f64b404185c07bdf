import type { SlaClockView, TicketSlaView } from '../../signaling/shared/protocol';
import type { TicketEventRow, TicketRow, UserRow } from '../db/schema';
import {
  type ClockState,
  evaluateSla,
  type SlaAlertKey,
  type SlaEvaluation,
  type SlaPolicy,
  type SlaTicketFacts,
  type TicketStatus,
  urgencyScore,
} from './evaluate';

export interface ActivityRow {
  createdAt: Date;
  authorRole: UserRow['role'];
}

/**
 * Builds the SLA facts of one ticket from what the database holds: the status history from the
 * timeline (every status change is recorded there with `data.status = { from, to }`), the public
 * conversation (a customer's message opens a wait, a person's reply answers it) and connected
 * calls (which answer like a reply).
 */
export function slaFacts(
  ticket: TicketRow,
  statusEvents: TicketEventRow[],
  activity: ActivityRow[],
): SlaTicketFacts {
  const statusChanges: Array<{ status: TicketStatus; at: Date }> = [{ status: 'new', at: ticket.createdAt }];
  const calls: Array<{ kind: 'agent_response'; at: Date }> = [];
  for (const event of statusEvents) {
    if (event.type === 'call.connected') {
      calls.push({
        kind: 'agent_response',
        at: event.createdAt < ticket.createdAt ? ticket.createdAt : event.createdAt,
      });
      continue;
    }
    const change = event.data.status as { to?: TicketStatus } | undefined;
    if (!change?.to) continue;
    // Clamp to creation: the first event can share the ticket's timestamp to the microsecond.
    const at = event.createdAt < ticket.createdAt ? ticket.createdAt : event.createdAt;
    statusChanges.push({ status: change.to, at });
  }
  return {
    priority: ticket.priority,
    channel: ticket.channel,
    createdAt: ticket.createdAt,
    statusChanges,
    activity: [
      ...activity.map((a) => ({
        kind: a.authorRole === 'customer' ? ('customer_message' as const) : ('agent_response' as const),
        at: a.createdAt < ticket.createdAt ? ticket.createdAt : a.createdAt,
      })),
      ...calls,
    ].sort((a, b) => a.at.getTime() - b.at.getTime()),
  };
}

export function evaluateTicket(
  policy: SlaPolicy,
  facts: SlaTicketFacts,
  now: Date,
  recorded: readonly SlaAlertKey[] = [],
): SlaEvaluation {
  // The database's clock stamps createdAt; never evaluate "before" it because of clock skew.
  const at = now < facts.createdAt ? facts.createdAt : now;
  return evaluateSla(policy, facts, at, recorded);
}

const toClockView = (c: ClockState): SlaClockView => ({
  clock: c.clock,
  // A still-open clock past its target is shown as breached: that is what an agent must see.
  status: c.breached && (c.status === 'running' || c.status === 'paused') ? 'breached' : c.status,
  targetSeconds: c.targetSeconds,
  elapsedSeconds: Math.round(c.elapsedSeconds),
  remainingSeconds: Math.round(c.remainingSeconds),
  dueAt: c.dueAt ? c.dueAt.toISOString() : null,
});

export function slaView(evaluation: SlaEvaluation): TicketSlaView {
  const clocks = Object.values(evaluation.clocks).map(toClockView);
  const urgency = urgencyScore(evaluation.clocks);
  return { clocks, urgencySeconds: Number.isFinite(urgency) ? Math.round(urgency) : null };
}
