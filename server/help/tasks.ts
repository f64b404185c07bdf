import { readFile } from 'node:fs/promises';
import type { ArticleTaskView } from '../../signaling/shared/help';
import type { PublicUser, TimelineEntry } from '../../signaling/shared/protocol';
import type { AttachmentsService } from '../attachments/service';
import type { Clock } from '../clock';
import { forbidden, notFound } from '../errors';
import type { Logger } from '../logger';
import { canRead } from '../tickets/access';
import type { TicketsRepository } from '../tickets/repository';
import type { ArticlesService } from './articles';
import { canAuthor } from './articles';
import type { HelpImages } from './images';
import { boardImagesOfTicket, type HelpRepository } from './repository';
import { readHelpSettings } from './settings';

const HOUR = 3_600_000;

/**
 * From solution to article: the draft an agent starts from a solved ticket, the ticket ↔ article
 * links, and the article task a solved ticket gets when its category has no published article.
 */
export class ArticleTasks {
  constructor(
    private readonly repo: HelpRepository,
    private readonly articles: ArticlesService,
    private readonly tickets: TicketsRepository,
    private readonly attachments: AttachmentsService,
    private readonly images: HelpImages,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Arms the overdue notification for a task opened here (OverdueArticleTasks.watch). */
    private readonly watchDeadline: (dueAt: Date) => void = () => {},
  ) {}

  /** Bus listener: a ticket became solved → an article task unless its category is covered. */
  async onTicketUpdated(entry: TimelineEntry): Promise<void> {
    const status = entry.data.status as { to?: string } | undefined;
    if (status?.to !== 'solved') return;
    // The assistant solved it with a published article: the category has its article.
    if (entry.data.solvedBy === 'bot') return;
    const ticket = await this.tickets.findTicket(entry.ticketId);
    if (!ticket) return;
    if (await this.repo.hasPublishedInCategory(ticket.category)) return;
    if ((await this.repo.articlesOfTicket(ticket.id)).length > 0) return;
    const settings = await readHelpSettings(this.repo.db);
    const now = this.clock.now();
    const dueAt = new Date(now.getTime() + settings.articleTaskDueHours * HOUR);
    await this.repo.insertTask({
      ticketId: ticket.id,
      category: ticket.category,
      agentId: ticket.assigneeId,
      createdAt: now,
      dueAt,
    });
    this.watchDeadline(dueAt);
    this.logger.info({ ticketId: ticket.id, category: ticket.category }, 'article task opened');
  }

  /** Agents see their own tasks; supervisors and admins everyone's. */
  async list(actor: PublicUser, state: 'open' | 'done' | 'all'): Promise<ArticleTaskView[]> {
    if (!canAuthor(actor)) throw forbidden();
    const rows = await this.repo.listTasks({
      state,
      ...(actor.role === 'agent' ? { agentId: actor.id } : {}),
    });
    const people = await this.repo.usersByIds(rows.map((r) => r.task.agentId));
    const now = this.clock.now().getTime();
    return rows.map(({ task, ticket }) => ({
      id: task.id,
      ticket,
      category: task.category,
      agent: task.agentId ? (people.get(task.agentId) ?? null) : null,
      createdAt: task.createdAt.toISOString(),
      dueAt: task.dueAt.toISOString(),
      overdue: !task.doneAt && task.dueAt.getTime() <= now,
      doneAt: task.doneAt?.toISOString() ?? null,
      doneReason: task.doneReason,
      articleId: task.articleId,
    }));
  }

  /**
   * A draft prefilled from a solved ticket: the problem (subject, description, snapshot facts) and
   * the solution (the support side's public replies, the saved whiteboard images), linked to it.
   */
  async createFromTicket(actor: PublicUser, ticketId: string, locale: 'en' | 'zh-CN') {
    if (!canAuthor(actor)) throw forbidden('Only agents, supervisors and admins write help articles.');
    const ticket = await this.tickets.findTicket(ticketId);
    if (!ticket || !canRead(actor, ticket)) throw notFound('The ticket');
    const messages = await this.tickets.listMessages(ticketId, { limit: 200, includeInternal: false });
    const authors = await this.tickets.usersByIds(
      messages.map((m) => m.authorId).filter((id): id is string => !!id),
    );
    const replies = messages
      .reverse()
      .filter((m) => m.kind === 'public' && m.authorId && authors.get(m.authorId)?.role !== 'customer')
      .map((m) => m.body.trim())
      .filter(Boolean);
    const boardImages: string[] = [];
    for (const attachmentId of await boardImagesOfTicket(this.repo.db, ticketId)) {
      try {
        const file = await this.attachments.forDownload(actor, attachmentId);
        const data = await readFile(file.path);
        boardImages.push((await this.images.store(actor.id, 'image/svg+xml', data)).url);
      } catch (err) {
        this.logger.warn(
          { err, ticketId, attachmentId },
          'could not copy a whiteboard image into the article',
        );
      }
    }
    const zh = locale === 'zh-CN';
    const facts = snapshotFacts(ticket.snapshot);
    const body = [
      zh ? '## 问题' : '## Problem',
      '',
      ticket.description.trim(),
      ...(facts.length ? ['', zh ? '**环境**' : '**Environment**', '', ...facts.map((f) => `- ${f}`)] : []),
      '',
      zh ? '## 解决方法' : '## Solution',
      '',
      ...(replies.length
        ? replies.flatMap((r) => [r, ''])
        : [zh ? '（写下解决步骤）' : '(Describe the steps that solved it.)', '']),
      ...boardImages.map((url, i) => `![${zh ? '白板' : 'Whiteboard'} ${i + 1}](${url})`),
    ]
      .join('\n')
      .trim();
    const article = await this.articles.create(
      actor,
      {
        title: ticket.subject,
        body,
        locale,
        status: 'draft',
        category: ticket.category as 'other',
        tags: ticket.tags,
      },
      ticketId,
    );
    await this.repo.completeTaskOfTicket(ticketId, article.id, this.clock.now());
    return article;
  }

  async link(actor: PublicUser, articleId: string, ticketId: string) {
    if (!canAuthor(actor)) throw forbidden();
    const [article, ticket] = await Promise.all([
      this.repo.findArticle(articleId),
      this.tickets.findTicket(ticketId),
    ]);
    if (!article) throw notFound('The article');
    if (!ticket) throw notFound('The ticket');
    await this.repo.linkTicket(articleId, ticketId);
    await this.repo.completeTaskOfTicket(ticketId, articleId, this.clock.now());
  }

  async articlesOfTicket(actor: PublicUser, ticketId: string) {
    if (!canAuthor(actor) && actor.role !== 'qa') throw forbidden();
    return this.repo.articlesOfTicket(ticketId);
  }
}

const SNAPSHOT_LABELS: Record<string, string> = {
  browser: 'Browser',
  browserVersion: 'Browser version',
  os: 'OS',
  screen: 'Screen',
  language: 'Language',
  timeZone: 'Time zone',
  network: 'Network',
  networkType: 'Network',
};

/** The snapshot's plain facts as "Label: value" lines (nested statistics are left out). */
export function snapshotFacts(snapshot: Record<string, unknown> | null): string[] {
  if (!snapshot) return [];
  return Object.entries(snapshot)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .slice(0, 12)
    .map(([k, v]) => `${SNAPSHOT_LABELS[k] ?? k}: ${String(v)}`);
}
