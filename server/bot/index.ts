import type { Clock } from '../clock';
import type { Database } from '../db/client';
import type { EventBus } from '../events/bus';
import type { Logger } from '../logger';
import type { MessagesService } from '../tickets/messages';
import type { TicketsRepository } from '../tickets/repository';
import type { TicketsService } from '../tickets/service';
import { AssistantHold } from './hold';
import { BotRepository } from './repository';
import { botRoutes } from './routes';
import { Assistant } from './service';
import { BotSettingsStore } from './settings';

/**
 * The assistant's hold on new tickets, built before the tickets service (which takes it), and the
 * assistant itself, built after (it answers through the tickets and messages services).
 */
export function createBotHold(db: Database) {
  const repo = new BotRepository(db);
  const settings = new BotSettingsStore(db);
  return { repo, settings, hold: new AssistantHold(repo, settings) };
}

export function createBot(deps: {
  parts: ReturnType<typeof createBotHold>;
  tickets: TicketsService;
  ticketsRepo: TicketsRepository;
  messages: MessagesService;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
}) {
  const assistant = new Assistant({
    repo: deps.parts.repo,
    tickets: deps.tickets,
    ticketsRepo: deps.ticketsRepo,
    messages: deps.messages,
    bus: deps.bus,
    clock: deps.clock,
    logger: deps.logger,
  });
  const stop = assistant.listen();
  return { assistant, stop, routes: botRoutes(assistant, deps.parts.settings) };
}
