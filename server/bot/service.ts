import { randomUUID } from 'node:crypto';
import type {
  BotAnswer,
  BotArticle,
  BotConversationView,
  BotHandoffReason,
  BotLocale,
  BotMessage,
} from '../../signaling/shared/bot';
import type { MessageView, PublicUser, TimelineEntry } from '../../signaling/shared/protocol';
import type { Clock } from '../clock';
import type { BotConversationRow } from '../db/botSchema';
import type { TicketEventRow } from '../db/schema';
import { conflict, forbidden } from '../errors';
import type { EventBus } from '../events/bus';
import { searchArticles } from '../help/search';
import { snapshotFacts } from '../help/tasks';
import type { Logger } from '../logger';
import { customerLocale } from '../macros/service';
import { hanCharacters } from '../search/textTokens';
import { canWork, isStaff } from '../tickets/access';
import type { MessagesService } from '../tickets/messages';
import type { TicketsRepository } from '../tickets/repository';
import type { TicketsService } from '../tickets/service';
import { toMessageView, toTimelineEntry } from '../tickets/views';
import { classifyReply } from './replies';
import { BotRepository } from './repository';
import { TicketQueue } from './ticketQueue';
import { botMessageText } from './wording';

/**
 * "A good answer": the article contains at least this share of the question's words (weighted by
 * rarity; `SearchResult.coverage`). Below it the assistant hands over instead of guessing.
 */
export const MIN_COVERAGE = 0.5;
/** Further articles are quoted only while they score at least this share of the best one. */
const RELATIVE_SCORE = 0.5;
const MAX_ARTICLES = 3;
/** Searches per ticket; beyond, a person takes it (a flood of questions is a person's job). */
export const MAX_SEARCHES = 6;
/** At most one search per ticket in this time; messages meanwhile are answered together. */
export const MIN_SEARCH_INTERVAL_MS = 2_000;
/** A question is kept this long for the hand-off card. */
const QUESTION_CHARS = 300;
/** The customer's reply when they press a quick-reply button, as it appears in the conversation. */
const ANSWER_TEXT: Record<BotLocale, Record<BotAnswer, string>> = {
  en: { yes: 'Yes, that solved it.', no: 'No, that did not help.', human: 'Talk to a person' },
  'zh-CN': { yes: '是的，问题解决了。', no: '没有解决。', human: '转人工' },
};
/** Marks the customer messages a quick-reply button wrote (the listener leaves them alone). */
const QUICK_REPLY_PREFIX = 'bot-reply-';
const DAY = 86_400_000;

interface Deps {
  repo: BotRepository;
  tickets: TicketsService;
  ticketsRepo: TicketsRepository;
  messages: MessagesService;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
}

/**
 * The Livedesk assistant: answers a customer's ticket from the help centre until a person takes
 * over. "Taken over" means a person's first public reply, a call started on the ticket, or a
 * person pressing "Take over". Until then the ticket is held out of auto-assignment; the
 * assistant hands it to the normal routing when the customer asks for a person, when no article
 * is a good answer, or after the second "no". "Yes" solves the ticket (`solvedBy: bot`); writing
 * again reopens it (the ticket rule) and hands it to a person. docs/assistant.md has the rules.
 */
export class Assistant {
  private readonly queue: TicketQueue;
  /**
   * Tickets this node knows the assistant will never act on again: no conversation, or one handed
   * off or taken over, or a person has replied (every later post and hand-off is refused then).
   * Those states are final on every node, so the cache needs no invalidation; it spares the chat
   * path a read per customer message and a transaction per staff reply (bench:chat on PGlite).
   */
  private readonly settled = new Set<string>();

  constructor(private readonly deps: Deps) {
    this.queue = new TicketQueue(deps.clock, MIN_SEARCH_INTERVAL_MS, (err, ticketId) =>
      deps.logger.error({ err, ticketId }, 'the assistant failed on a ticket'),
    );
  }

  /** Subscribes to the bus; returns the unsubscribe. */
  listen(): () => void {
    const { bus } = this.deps;
    const offs = [
      bus.on('ticket.created', ({ entry }) => {
        if (entry.data.assistant !== true) return;
        // The first question is the ticket itself (subject and description, read from the row).
        return this.queue.question(entry.ticketId, '', (text) =>
          this.answerQuestion(entry.ticketId, text, true),
        );
      }),
      bus.on('message.created', async ({ message }) => {
        await this.onMessage(message);
      }),
      bus.on('call.started', async ({ entry }) => {
        await this.takeOver(entry.ticketId, entry.actor?.id ?? null, 'call');
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  /** Resolves when no queued work is left (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * A message on some ticket. A person's public reply takes over at once; a customer's message is
   * queued on its ticket synchronously (so `idle()` covers it from the moment it was published).
   */
  private onMessage(message: MessageView): Promise<unknown> | undefined {
    if (message.kind !== 'public' || !message.author) return undefined;
    if (this.settled.has(message.ticketId)) return undefined;
    if (message.author.role !== 'customer') {
      // A person replied: whatever the conversation's state, the assistant never speaks again.
      return this.takeOver(message.ticketId, message.author.id, 'reply').finally(() =>
        this.settle(message.ticketId),
      );
    }
    if (message.clientMessageId?.startsWith(QUICK_REPLY_PREFIX)) return undefined;
    const { ticketId, body } = message;
    return this.queue.run(ticketId, async () => {
      const row = await this.deps.repo.find(ticketId);
      if (!row) return this.settle(ticketId);
      if (row.state === 'resolved') {
        // Back after "yes": it was not solved after all (the ticket reopened); a person takes it.
        await this.handOff(ticketId, 'reopened', ['resolved']);
        return;
      }
      if (row.state !== 'answering') return this.settle(ticketId);
      const reply = classifyReply(body);
      // "yes"/"no" mean something only once the assistant asked; before, they are a question.
      if (reply === 'human' || ((reply === 'yes' || reply === 'no') && row.suggested.length > 0)) {
        await this.apply(ticketId, reply);
        return;
      }
      // Not awaited: it queues behind this very piece of work (and may wait for the interval).
      void this.queue.question(ticketId, body, (text) => this.answerQuestion(ticketId, text, false));
    });
  }

  /** A quick-reply button: the customer's words in the conversation, then what they mean. */
  async answer(actor: PublicUser, ticketId: string, answer: BotAnswer): Promise<BotConversationView> {
    if (actor.role !== 'customer') throw forbidden('Only the customer answers the assistant.');
    const ticket = await this.deps.tickets.readable(actor, ticketId);
    const row = await this.deps.repo.find(ticket.id);
    if (row?.state !== 'answering') {
      throw conflict('The assistant is no longer answering on this ticket: a person will reply.');
    }
    if (answer !== 'human' && row.suggested.length === 0) {
      throw conflict('The assistant has not suggested anything to answer yet.');
    }
    await this.deps.messages.send(actor, {
      ticketId: ticket.id,
      body: ANSWER_TEXT[row.locale][answer],
      internal: false,
      attachmentIds: [],
      clientMessageId: `${QUICK_REPLY_PREFIX}${randomUUID()}`,
    });
    await this.queue.run(ticket.id, () => this.apply(ticket.id, answer));
    return this.conversation(actor, ticket.id) as Promise<BotConversationView>;
  }

  /** "Take over" in the agent's view: the assistant stops and the ticket goes to routing. */
  async takeOverBy(actor: PublicUser, ticketId: string): Promise<BotConversationView> {
    const ticket = await this.deps.tickets.readable(actor, ticketId);
    if (!isStaff(actor) || !canWork(actor, ticket))
      throw forbidden('Only the team working this ticket takes it over.');
    const taken = await this.takeOver(ticket.id, actor.id, 'button');
    if (!taken) throw conflict('The assistant is not answering on this ticket.');
    return (await this.conversation(actor, ticket.id))!;
  }

  async conversation(actor: PublicUser, ticketId: string): Promise<BotConversationView | null> {
    const ticket = await this.deps.tickets.readable(actor, ticketId);
    const row = await this.deps.repo.find(ticket.id);
    return row ? toView(row) : null;
  }

  // ----- what the assistant does ---------------------------------------------------------------

  private settle(ticketId: string): void {
    // Bounded: a miss only costs the read it saves, so dropping everything at once is fine.
    if (this.settled.size >= 100_000) this.settled.clear();
    this.settled.add(ticketId);
  }

  private async apply(ticketId: string, answer: BotAnswer): Promise<void> {
    if (answer === 'human') return void (await this.handOff(ticketId, 'asked'));
    if (answer === 'yes') return this.resolve(ticketId);
    const noCount = await this.deps.repo.countNo(ticketId);
    if (noCount === undefined) return;
    if (noCount >= 2) return void (await this.handOff(ticketId, 'second_no'));
    const row = await this.deps.repo.find(ticketId);
    await this.post(ticketId, { type: 'rephrase', locale: row?.locale ?? 'en', ask: true });
  }

  /** Searches the help centre for the question and quotes the best articles, or hands over. */
  private async answerQuestion(ticketId: string, question: string, first: boolean): Promise<void> {
    const before = await this.deps.repo.find(ticketId);
    if (before?.state !== 'answering') return;
    if (before.searches >= MAX_SEARCHES) return void (await this.handOff(ticketId, 'limit'));
    const ticket = await this.deps.ticketsRepo.findTicket(ticketId);
    if (!ticket) return;
    // A question coalesced with the ticket's own first words keeps both.
    const text = first ? `${ticket.subject}\n${ticket.description}\n${question}`.trim() : question;
    const locale = await this.localeOf(text, ticket.requesterId, ticket.snapshot);
    const row = await this.deps.repo.countSearch(
      ticketId,
      shorten(first ? ticket.subject : question),
      locale,
    );
    if (!row) return;
    const results = await searchArticles(this.deps.repo.db, {
      q: text,
      locale,
      limit: MAX_ARTICLES,
      excludeIds: row.suggested.map((a) => a.id),
    });
    const best = results[0];
    if (!best || best.coverage < MIN_COVERAGE) return void (await this.handOff(ticketId, 'no_answer'));
    const articles: BotArticle[] = results
      .filter((r) => r.coverage >= MIN_COVERAGE && r.score >= best.score * RELATIVE_SCORE)
      .map((r) => ({ id: r.id, title: r.title, snippet: r.snippet, url: `/help/articles/${r.id}` }));
    const posted = await this.post(ticketId, { type: 'answer', locale, articles, ask: true });
    if (posted) await this.deps.repo.addSuggested(ticketId, articles);
  }

  /** "Yes": the ticket is solved by the assistant, in one transaction with its message. */
  private async resolve(ticketId: string): Promise<void> {
    const now = this.deps.clock.now();
    const outcome = await this.deps.ticketsRepo.transaction(async (repo) => {
      const ticket = await repo.lockTicket(ticketId);
      // A person answered meanwhile: theirs to solve (the take-over ends the assistant's part).
      if (!ticket || ticket.firstResponseAt) return undefined;
      const bot = new BotRepository(repo.db);
      const ended = await bot.end(ticketId, ['answering'], 'resolved', now);
      if (!ended) return undefined;
      const events: TicketEventRow[] = [
        await repo.insertEvent({
          ticketId,
          type: 'bot.resolved',
          actorId: null,
          data: { searches: ended.searches },
        }),
      ];
      let statusEvent: TicketEventRow | undefined;
      if (ticket.status !== 'solved' && ticket.status !== 'closed') {
        await repo.updateTicket(ticketId, { status: 'solved', solvedAt: now });
        statusEvent = await repo.insertEvent({
          ticketId,
          type: 'ticket.updated',
          actorId: null,
          data: { status: { from: ticket.status, to: 'solved' }, changes: {}, solvedBy: 'bot' },
        });
      }
      const message = await repo.insertMessage(botRow(ticketId, { type: 'resolved', locale: ended.locale }));
      return { events, statusEvent, message };
    });
    if (!outcome) return;
    this.deps.bus.publish('message.created', { message: toMessageView(outcome.message, undefined, []) });
    for (const row of outcome.events) this.deps.bus.publish('bot.resolved', { entry: entryOf(row) });
    if (outcome.statusEvent)
      await this.deps.tickets.publish([{ type: 'ticket.updated', row: outcome.statusEvent }]);
    this.deps.logger.info({ ticketId }, 'the assistant solved a ticket');
  }

  /**
   * Hands the ticket to a person: the customer is told (with the expected wait), the agent gets
   * the summary card, and the ticket goes to auto-assignment and the notifications.
   */
  private async handOff(
    ticketId: string,
    reason: BotHandoffReason,
    from: Array<'answering' | 'resolved'> = ['answering'],
  ): Promise<boolean> {
    const now = this.deps.clock.now();
    const median = await this.deps.repo.medianFirstResponseSeconds(new Date(now.getTime() - 7 * DAY));
    const expectedWaitMinutes = median === null ? null : Math.max(1, Math.ceil(median / 60));
    const outcome = await this.deps.ticketsRepo.transaction(async (repo) => {
      const ticket = await repo.lockTicket(ticketId);
      // A person answered meanwhile: they have the conversation already.
      if (!ticket || ticket.firstResponseAt) return undefined;
      const ended = await new BotRepository(repo.db).end(ticketId, from, 'handed_off', now, reason);
      if (!ended) return undefined;
      const message = await repo.insertMessage(
        botRow(ticketId, {
          type: 'handoff',
          locale: ended.locale,
          reason,
          expectedWaitMinutes,
          summary: {
            questions: ended.questions.slice(-5),
            suggested: ended.suggested.map(({ id, title, url }) => ({ id, title, url })),
            noCount: ended.noCount,
            // The facts an agent reads at a glance (the user agent string and the capture time are
            // in the snapshot panel beside the conversation).
            snapshot: snapshotFacts(ticket.snapshot).filter((f) => !/^(userAgent|capturedAt):/.test(f)),
          },
        }),
      );
      const event = await repo.insertEvent({
        ticketId,
        type: 'bot.handed_off',
        actorId: null,
        data: { reason, suggested: ended.suggested.length, noCount: ended.noCount },
      });
      return { message, event, assigneeId: ticket.assigneeId };
    });
    if (!outcome) return false;
    this.deps.bus.publish('message.created', { message: toMessageView(outcome.message, undefined, []) });
    const assigned = await this.deps.tickets.autoAssign(ticketId);
    this.deps.bus.publish('bot.handed_off', {
      entry: entryOf(outcome.event),
      assigneeId: assigned?.assigneeId ?? outcome.assigneeId,
      autoAssigned: !!assigned,
    });
    this.deps.logger.info({ ticketId, reason }, 'the assistant handed a ticket to a person');
    return true;
  }

  /** A person took over: the assistant stops; the ticket is no longer held from routing. */
  private async takeOver(
    ticketId: string,
    actorId: string | null,
    via: 'reply' | 'call' | 'button',
  ): Promise<boolean> {
    const now = this.deps.clock.now();
    const event = await this.deps.ticketsRepo.transaction(async (repo) => {
      const ended = await new BotRepository(repo.db).end(ticketId, ['answering'], 'taken_over', now);
      if (!ended) return undefined;
      return repo.insertEvent({ ticketId, type: 'bot.taken_over', actorId, data: { via } });
    });
    if (!event) return false;
    const actor = actorId ? (await this.deps.ticketsRepo.usersByIds([actorId])).get(actorId) : undefined;
    this.deps.bus.publish('bot.taken_over', { entry: toTimelineEntry(event, actor) });
    if (via === 'button') await this.deps.tickets.autoAssign(ticketId);
    return true;
  }

  /**
   * Posts an assistant message unless a person has taken over: under the ticket's row lock (a
   * person's first reply takes the same lock and sets `firstResponseAt`), so the assistant never
   * speaks after a person, even when its search was under way as they replied.
   */
  private async post(ticketId: string, message: BotMessage): Promise<boolean> {
    const row = await this.deps.ticketsRepo.transaction(async (repo) => {
      const ticket = await repo.lockTicket(ticketId);
      if (!ticket || ticket.firstResponseAt || ticket.status === 'closed') return undefined;
      const bot = await new BotRepository(repo.db).find(ticketId);
      if (bot?.state !== 'answering') return undefined;
      return repo.insertMessage(botRow(ticketId, message));
    });
    if (!row) return false;
    this.deps.bus.publish('message.created', { message: toMessageView(row, undefined, []) });
    return true;
  }

  /** The conversation's language: Chinese text is answered in Chinese, Latin text in English. */
  private async localeOf(
    text: string,
    requesterId: string,
    snapshot: Record<string, unknown> | null,
  ): Promise<BotLocale> {
    if (hanCharacters(text).length > 0) return 'zh-CN';
    if (/[a-z]/i.test(text)) return 'en';
    const requester = (await this.deps.ticketsRepo.usersByIds([requesterId])).get(requesterId);
    return customerLocale(requester, snapshot);
  }
}

function botRow(ticketId: string, message: BotMessage) {
  return { ticketId, authorId: null, kind: 'bot' as const, system: message, body: botMessageText(message) };
}

function entryOf(row: TicketEventRow): TimelineEntry {
  return toTimelineEntry(row, undefined);
}

function shorten(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return trimmed.length > QUESTION_CHARS ? `${trimmed.slice(0, QUESTION_CHARS - 1)}…` : trimmed;
}

export function toView(row: BotConversationRow): BotConversationView {
  return {
    ticketId: row.ticketId,
    state: row.state,
    noCount: row.noCount,
    handoffReason: row.handoffReason,
    suggested: row.suggested.map(({ id, title, url }) => ({ id, title, url })),
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
  };
}
