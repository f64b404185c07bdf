import { randomBytes } from 'node:crypto';
import type { PlaybookStep, PlaybookView, TicketPlaybookView } from '../../signaling/shared/macros';
import type { PublicUser } from '../../signaling/shared/protocol';
import { type AuditContext, recordAudit } from '../audit/record';
import type { Clock } from '../clock';
import type { PlaybookRow } from '../db/workspaceSchema';
import { forbidden, notFound } from '../errors';
import type { EventBus } from '../events/bus';
import type { FollowUpService } from '../feedback/followUps';
import type { Logger } from '../logger';
import { canRead, canSeeInternal, canWork } from '../tickets/access';
import type { TicketsRepository } from '../tickets/repository';
import { toTimelineEntry } from '../tickets/views';
import { DEFAULT_PLAYBOOK } from './defaultPlaybook';
import { PlaybooksRepository } from './repository';
import type { PutPlaybookInput } from './schemas';

const HOUR_MS = 3_600_000;

/**
 * Playbooks: one checklist per ticket category, written by admins in both languages. Agents tick
 * its steps on a ticket (each tick and un-tick is a timeline entry); when a ticket whose playbook
 * asks for a follow-up is solved, the follow-up is opened in the supervisors' queue, due the
 * playbook's hours later, and watched on the injected clock like a low score's.
 */
export class PlaybooksService {
  constructor(
    private readonly repo: PlaybooksRepository,
    private readonly tickets: TicketsRepository,
    private readonly followUps: FollowUpService,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Schedules the playbook's follow-up whenever a ticket becomes solved (by anyone, any path). */
  listen(): () => void {
    return this.bus.on('ticket.updated', async ({ entry }) => {
      const status = entry.data.status as { to?: string } | undefined;
      if (status?.to !== 'solved') return;
      await this.scheduleFollowUp(entry.ticketId).catch((err) =>
        this.logger.error({ err, ticketId: entry.ticketId }, 'could not schedule the playbook follow-up'),
      );
    });
  }

  /** The default playbook of the demo category, unless one was written already (demo data). */
  async seedDefault(): Promise<void> {
    await this.repo.upsert(DEFAULT_PLAYBOOK, true);
  }

  async list(): Promise<PlaybookView[]> {
    return (await this.repo.list()).map(toView);
  }

  async get(category: string): Promise<PlaybookView> {
    const row = await this.repo.findByCategory(category);
    if (!row) throw notFound('The playbook');
    return toView(row);
  }

  /** Writes a category's playbook; the audit log gets its before and after. */
  async put(category: string, input: PutPlaybookInput, audit: AuditContext): Promise<PlaybookView> {
    const previous = await this.repo.findByCategory(category);
    const steps: PlaybookStep[] = input.steps.map((step) => ({
      id: step.id ?? `s-${randomBytes(4).toString('hex')}`,
      text: Object.fromEntries(Object.entries(step.text).filter(([, v]) => v)),
      prefill: [...new Set(step.prefill)],
    }));
    await this.repo.upsert({
      category,
      title: Object.fromEntries(Object.entries(input.title).filter(([, v]) => v)),
      steps,
      followUpHours: input.followUpHours,
    });
    const saved = await this.get(category);
    await recordAudit(this.repo.db, {
      ...audit,
      action: previous ? 'playbook.updated' : 'playbook.created',
      targetType: 'playbook',
      targetId: category,
      before: previous ? toView(previous) : null,
      after: saved,
    });
    return saved;
  }

  async remove(category: string, audit: AuditContext): Promise<void> {
    const previous = await this.repo.findByCategory(category);
    if (!previous || !(await this.repo.delete(category))) throw notFound('The playbook');
    await recordAudit(this.repo.db, {
      ...audit,
      action: 'playbook.deleted',
      targetType: 'playbook',
      targetId: category,
      before: toView(previous),
      after: null,
    });
  }

  /** The ticket's playbook with the ticked steps and the follow-up (staff who may read it). */
  async forTicket(actor: PublicUser, ticketId: string): Promise<TicketPlaybookView> {
    const ticket = await this.tickets.findTicket(ticketId);
    if (!ticket || !canRead(actor, ticket)) throw notFound('The ticket');
    if (!canSeeInternal(actor)) throw forbidden('Playbooks are for the support team.');
    const [playbook, done, followUp] = await Promise.all([
      this.repo.findByCategory(ticket.category),
      this.repo.doneSteps(ticket.id),
      this.repo.followUpOf(ticket.id),
    ]);
    const now = this.clock.now().getTime();
    return {
      playbook: playbook ? toView(playbook) : null,
      done: done.map((d) => ({
        stepId: d.stepId,
        doneAt: d.doneAt.toISOString(),
        doneBy: d.doneById ? { id: d.doneById, name: d.doneByName ?? '' } : null,
      })),
      followUp: followUp
        ? {
            id: followUp.id,
            dueAt: followUp.dueAt.toISOString(),
            closedAt: followUp.closedAt?.toISOString() ?? null,
            overdue: !followUp.closedAt && followUp.dueAt.getTime() <= now,
          }
        : null,
    };
  }

  /** Ticks or un-ticks a step on a ticket the actor may work; a change is a timeline entry. */
  async setStep(
    actor: PublicUser,
    ticketId: string,
    stepId: string,
    done: boolean,
  ): Promise<TicketPlaybookView> {
    const recorded = await this.tickets.transaction(async (trepo) => {
      const ticket = await trepo.lockTicket(ticketId);
      if (!ticket || !canRead(actor, ticket)) throw notFound('The ticket');
      if (!canWork(actor, ticket))
        throw forbidden(
          actor.role === 'qa'
            ? 'QA reviewers can read tickets but not change them.'
            : 'This ticket is outside your tier.',
        );
      const playbook = await new PlaybooksRepository(trepo.db).findByCategory(ticket.category);
      const step = playbook?.steps.find((s) => s.id === stepId);
      if (!playbook || !step) throw notFound('The playbook step');
      const repo = new PlaybooksRepository(trepo.db);
      const changed = done
        ? await repo.markDone(ticket.id, step.id, actor.id, this.clock.now())
        : await repo.markUndone(ticket.id, step.id);
      if (!changed) return undefined;
      const type = done ? 'playbook.step_completed' : 'playbook.step_reopened';
      const row = await trepo.insertEvent({
        ticketId: ticket.id,
        type,
        actorId: actor.id,
        // The step's words as they were, so the timeline reads right after the playbook changes.
        data: { playbookId: playbook.id, stepId: step.id, text: step.text },
      });
      return { type, row } as const;
    });
    if (recorded) {
      const author = await this.tickets.findUser(actor.id);
      this.bus.publish(recorded.type, { entry: toTimelineEntry(recorded.row, author) });
    }
    return this.forTicket(actor, ticketId);
  }

  private async scheduleFollowUp(ticketId: string): Promise<void> {
    const ticket = await this.tickets.findTicket(ticketId);
    if (!ticket) return;
    const playbook = await this.repo.findByCategory(ticket.category);
    if (!playbook?.followUpHours) return;
    await this.followUps.schedule(
      { source: 'playbook', subjectId: ticket.id, ticketId: ticket.id },
      playbook.followUpHours * HOUR_MS,
    );
  }
}

function toView(row: PlaybookRow): PlaybookView {
  return {
    id: row.id,
    category: row.category,
    title: row.title,
    steps: row.steps,
    followUpHours: row.followUpHours,
    updatedAt: row.updatedAt.toISOString(),
  };
}
