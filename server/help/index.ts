import type { AttachmentsService } from '../attachments/service';
import { AttachmentStorage } from '../attachments/storage';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import type { EventBus } from '../events/bus';
import type { Logger } from '../logger';
import type { TicketsRepository } from '../tickets/repository';
import { ArticlesService } from './articles';
import { Deflection, PublicLimits } from './deflection';
import { HelpImages } from './images';
import { OverdueArticleTasks } from './overdueTasks';
import { HelpRepository } from './repository';
import { helpRoutes } from './routes';
import { HelpSettingsService } from './settingsService';
import { ArticleTasks } from './tasks';

export { searchArticles } from './search';

export interface Help {
  articles: ArticlesService;
  tasks: ArticleTasks;
  /** Tells an overdue article task's agent and the supervisors, once (start/stop with the app). */
  overdueTasks: OverdueArticleTasks;
  deflection: Deflection;
  settings: HelpSettingsService;
  routes: ReturnType<typeof helpRoutes>;
}

/** Builds the help centre's services and routes (called once, by the composition root). */
export function createHelp(deps: {
  db: Database;
  imagesDir: string;
  ticketsRepo: TicketsRepository;
  attachments: AttachmentsService;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
}): Help {
  const repo = new HelpRepository(deps.db);
  const images = new HelpImages(repo, new AttachmentStorage(deps.imagesDir));
  // Publishing an article of a category does that category's open article tasks.
  const articles = new ArticlesService(repo, deps.clock, (article, at) =>
    repo.completeTasksOfCategory(article.category, article.id, at),
  );
  const overdueTasks = new OverdueArticleTasks(deps.db, deps.bus, deps.clock, deps.logger);
  const tasks = new ArticleTasks(
    repo,
    articles,
    deps.ticketsRepo,
    deps.attachments,
    images,
    deps.clock,
    deps.logger,
    (dueAt) => overdueTasks.watch(dueAt),
  );
  deps.bus.on('ticket.updated', ({ entry }) => tasks.onTicketUpdated(entry));
  const deflection = new Deflection(repo, deps.clock);
  const settings = new HelpSettingsService(deps.db);
  return {
    articles,
    tasks,
    overdueTasks,
    deflection,
    settings,
    routes: helpRoutes({
      db: deps.db,
      articles,
      tasks,
      images,
      deflection,
      limits: new PublicLimits(),
      settings,
    }),
  };
}
