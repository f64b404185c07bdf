import type { CallRequestView } from '../../signaling/shared/callRequests';
import type {
  Availability,
  CallView,
  MessageView,
  Presence,
  RecordingNotice,
  SlaAlertView,
  TimelineEntry,
} from '../../signaling/shared/protocol';
import type { Logger } from '../logger';

/**
 * The ticket of a stored message as the send saw it under its lock. `workerIds` (assignee and
 * followers) only for a requester's public message, the one the notification listener needs.
 */
export interface MessageTicketContext {
  number: number;
  subject: string;
  requesterId: string;
  workerIds?: string[];
}

/** A ticket change, as recorded on the ticket's timeline. */
export interface TicketEventPayload {
  entry: TimelineEntry;
}

/**
 * Every domain event, named `entity.verb`. Ticket and SLA events are written to the ticket's
 * timeline (`ticket_events`) in the same transaction as the change they describe, and published
 * here only after that transaction commits, so a listener never sees a change that was rolled back.
 */
export interface DomainEvents {
  /** A customer (or an agent for them) opened a ticket. */
  'ticket.created': TicketEventPayload;
  /** Priority, status, category or tags changed. */
  'ticket.updated': TicketEventPayload;
  /** Claimed, assigned, transferred or unassigned. */
  'ticket.assigned': TicketEventPayload;
  /** Moved to a higher tier, with the required note. */
  'ticket.escalated': TicketEventPayload;
  /** This ticket was merged into another (or another into this one). */
  'ticket.merged': TicketEventPayload;
  /** Linked as related to another ticket. */
  'ticket.linked': TicketEventPayload;
  /** The first public reply by a person (or a connected call) arrived. */
  'ticket.first_response': TicketEventPayload;
  /**
   * A public reply, internal note or system message was stored. `ticket`: what the store already
   * knew of the ticket (the one-statement send returns it), so listeners need no read of their own.
   */
  'message.created': { message: MessageView; ticket?: MessageTicketContext };
  /** An SLA clock passed its warning fraction. */
  'sla.warning': TicketEventPayload & { alert: SlaAlertView };
  /** An SLA clock passed its target. */
  'sla.breached': TicketEventPayload & { alert: SlaAlertView };
  /** An agent started a call on a ticket; the customer is being rung. */
  'call.started': TicketEventPayload & { call: CallView };
  /** Both sides receive each other's media: counts as a response for the SLA. */
  'call.connected': TicketEventPayload & { call: CallView };
  /** The call ended (hang-up, decline, no answer, offline customer, lost connection …). */
  'call.ended': TicketEventPayload & { call: CallView };
  /** The call changed without a timeline entry: answered, someone joined or left. */
  'call.updated': { call: CallView };
  /** A customer asked for a call, or the request was accepted, declined, cancelled or expired. */
  'call.request_recorded': TicketEventPayload;
  /** A call request's new state, for the customer and the agents it rings (after the entry). */
  'call.request_updated': { request: CallRequestView };
  /** A call's whiteboard was saved to the ticket (final scene and image) when the call ended. */
  'board.saved': TicketEventPayload & { boardId: string; callId: string };
  /** A call recording finished processing (ready, partial) or failed; on the ticket's timeline. */
  'recording.ready': TicketEventPayload;
  /**
   * A call's recording changed state (requested, consent answered, recording, stopped, failed):
   * everyone in the call is shown it. Not on the timeline (`recording.ready` is).
   */
  'recording.updated': { notice: RecordingNotice };
  /** A ticket's customer answered its CSAT survey, or changed the answer (`data.previous`). */
  'csat.submitted': TicketEventPayload;
  /** A call's customer rated it (picture, sound, helpfulness), or changed the rating. */
  'call_rating.submitted': TicketEventPayload;
  /** A low score opened a follow-up for supervisors, with its deadline. */
  'followup.opened': TicketEventPayload;
  /** A follow-up passed its deadline without being closed (recorded once). */
  'followup.overdue': TicketEventPayload;
  /** A supervisor closed a follow-up with a note of what was done. */
  'followup.closed': TicketEventPayload;
  /** An agent ticked a step of the ticket's playbook (`data.stepId`, `data.text` as it was then). */
  'playbook.step_completed': TicketEventPayload;
  /** An agent un-ticked a playbook step. */
  'playbook.step_reopened': TicketEventPayload;
  /**
   * A staff member's presence changed (server/presence/tracker.ts): a tab opened or closed, idle
   * time passed, a call began or ended, or they chose an availability by hand.
   */
  'presence.changed': { userId: string; availability: Availability; presence: Presence };
  /** A person read a ticket up to a message (server/notifications): their other tabs clear it. */
  'ticket.read': { userId: string; ticketId: string; lastReadSeq: number };
  /**
   * The Livedesk assistant handed the conversation to a person (server/bot/): `data.reason`; the
   * ticket has been offered to auto-assignment (`autoAssigned`: it chose `assigneeId`).
   */
  'bot.handed_off': TicketEventPayload & { assigneeId: string | null; autoAssigned: boolean };
  /** The customer said the assistant's articles solved it: the ticket is solved (`solvedBy: bot`). */
  'bot.resolved': TicketEventPayload;
  /** A person took over from the assistant (a public reply, a call, or "Take over"): it is silent. */
  'bot.taken_over': TicketEventPayload;
  /** An article task passed its deadline undone (told to its agent and the supervisors once). */
  'article_task.overdue': {
    taskId: string;
    ticketId: string;
    ticketNumber: number;
    subject: string;
    agentId: string | null;
  };
}
export type DomainEventName = keyof DomainEvents;

type Listener<K extends DomainEventName> = (payload: DomainEvents[K]) => void | Promise<void>;
type AnyListener = <K extends DomainEventName>(type: K, payload: DomainEvents[K]) => void | Promise<void>;

/**
 * In-process event bus: one listener per concern (realtime fan-out, SLA evaluation …). A listener
 * that throws or rejects is logged and does not affect the publisher or the other listeners.
 */
export class EventBus {
  private readonly listeners = new Map<DomainEventName, Set<Listener<never>>>();
  private readonly anyListeners = new Set<AnyListener>();
  private readonly rejectionLoggers = new Map<DomainEventName, (err: unknown) => void>();

  constructor(private readonly logger: Logger) {}

  on<K extends DomainEventName>(type: K, listener: Listener<K>): () => void {
    const set = this.listeners.get(type) ?? new Set();
    this.listeners.set(type, set);
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  onAny(listener: AnyListener): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  publish<K extends DomainEventName>(type: K, payload: DomainEvents[K]): void {
    // No closure per listener and call: every chat message is published, and on that path the
    // wrappers were allocations and calls of their own (tsx's keepNames names each one).
    const listeners = this.listeners.get(type);
    if (listeners) {
      for (const listener of listeners) {
        try {
          this.watch(type, (listener as Listener<K>)(payload));
        } catch (err) {
          this.logger.error({ err, event: type }, 'event listener failed');
        }
      }
    }
    for (const listener of this.anyListeners) {
      try {
        this.watch(type, listener(type, payload));
      } catch (err) {
        this.logger.error({ err, event: type }, 'event listener failed');
      }
    }
  }

  /** Logs a listener's rejection, through one handler per event type (made on first use). */
  private watch(type: DomainEventName, result: void | Promise<void>): void {
    if (!(result instanceof Promise)) return;
    let onRejected = this.rejectionLoggers.get(type);
    if (!onRejected) {
      onRejected = (err: unknown) => this.logger.error({ err, event: type }, 'event listener failed');
      this.rejectionLoggers.set(type, onRejected);
    }
    result.catch(onRejected);
  }
}
