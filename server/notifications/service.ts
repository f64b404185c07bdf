import { NOTIFICATION_EVENTS, type PublicUser } from '../../signaling/shared/protocol';
import type { EventBus } from '../events/bus';
import type { TicketsService } from '../tickets/service';
import type { NotificationsRepository, StoredSettings, UnreadTicket } from './repository';

export const DEFAULT_SETTINGS: StoredSettings = {
  sound: true,
  desktop: true,
  events: [...NOTIFICATION_EVENTS],
};

/** Read markers, unread counts and each person's notification settings. */
export class NotificationsService {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly tickets: TicketsService,
    private readonly bus: EventBus,
  ) {}

  async settings(actor: PublicUser): Promise<StoredSettings> {
    return (await this.repo.settings(actor.id)) ?? DEFAULT_SETTINGS;
  }

  async saveSettings(actor: PublicUser, values: StoredSettings): Promise<StoredSettings> {
    // Stored in the canonical order, once each, whatever order the client sent.
    const events = NOTIFICATION_EVENTS.filter((e) => values.events.includes(e));
    await this.repo.saveSettings(actor.id, { ...values, events });
    return { ...values, events };
  }

  /** Who works a ticket: its assignee and followers (the audience of its customer's messages). */
  workersOf(ticketId: string) {
    return this.repo.workersOf(ticketId);
  }

  async unread(actor: PublicUser): Promise<{ total: number; tickets: UnreadTicket[] }> {
    const tickets = await this.repo.unread(actor);
    return { total: tickets.reduce((sum, t) => sum + t.count, 0), tickets };
  }

  /**
   * Marks a ticket read for me up to `seq` (default: its newest message), never past its newest
   * message, so a made-up seq cannot hide messages still to come. Only on a ticket I may read.
   */
  async markRead(
    actor: PublicUser,
    ticketId: string,
    seq?: number,
  ): Promise<{ ticketId: string; lastReadSeq: number }> {
    await this.tickets.get(actor, ticketId);
    const newest = await this.repo.lastSeq(ticketId);
    const lastReadSeq = await this.repo.markRead(actor.id, ticketId, Math.min(seq ?? newest, newest));
    this.bus.publish('ticket.read', { userId: actor.id, ticketId, lastReadSeq });
    return { ticketId, lastReadSeq };
  }
}
