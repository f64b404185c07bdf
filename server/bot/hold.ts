import type { PublicUser } from '../../signaling/shared/protocol';
import type { Database } from '../db/client';
import type { RoutingHold } from '../tickets/service';
import { BotRepository } from './repository';
import type { BotSettingsStore } from './settings';

/**
 * The tickets service's view of the assistant: a customer's new ticket on a channel where it is on
 * gets it first, and stays out of auto-assignment while it answers. Staff-opened tickets never do.
 */
export class AssistantHold implements RoutingHold {
  constructor(
    private readonly repo: BotRepository,
    private readonly settings: BotSettingsStore,
  ) {}

  async answersFirst(actor: PublicUser, channel: string): Promise<boolean> {
    return actor.role === 'customer' && (await this.settings.answersOn(channel));
  }

  begin(db: Database, ticketId: string, at: Date): Promise<void> {
    return BotRepository.begin(db, ticketId, at);
  }

  holds(ticketId: string): Promise<boolean> {
    return this.repo.isAnswering(ticketId);
  }
}
