import {
  type ContentLocale,
  fillPlaceholders,
  type MacroActions,
  type MacroApplication,
  type MacroView,
} from '../../signaling/shared/macros';
import type { PublicUser } from '../../signaling/shared/protocol';
import { type AuditContext, recordAudit } from '../audit/record';
import type { MacroRow } from '../db/workspaceSchema';
import { badRequest, forbidden, notFound } from '../errors';
import type { TicketsRepository } from '../tickets/repository';
import type { TicketsService } from '../tickets/service';
import type { MacroListRow, MacrosRepository } from './repository';
import type { CreateMacroInput, UpdateMacroInput } from './schemas';

const MANAGERS_OF_SHARED = new Set(['supervisor', 'admin']);

/**
 * Canned replies: shared (supervisors and admins write them, every agent uses them) and personal
 * (their owner alone sees and uses them). Inserting one on a ticket fills its placeholders in
 * the customer's language and applies its ticket changes through the ticket service, so the
 * same access rules and timeline entries apply as when the agent changes them by hand.
 */
export class MacrosService {
  constructor(
    private readonly repo: MacrosRepository,
    private readonly tickets: TicketsService,
    private readonly ticketsRepo: TicketsRepository,
  ) {}

  async list(actor: PublicUser, filter: { q?: string; scope?: 'shared' | 'personal' }): Promise<MacroView[]> {
    const rows = await this.repo.listVisible(actor.id, filter);
    return rows.map((row) => toView(row, actor));
  }

  async create(actor: PublicUser, input: CreateMacroInput, audit: AuditContext): Promise<MacroView> {
    if (input.scope === 'shared' && !MANAGERS_OF_SHARED.has(actor.role))
      throw forbidden('Only supervisors and admins write shared macros; save it as a personal one.');
    const id = await this.repo.transaction(async (repo) => {
      const row = await repo.insert({
        scope: input.scope,
        ownerId: input.scope === 'personal' ? actor.id : null,
        title: input.title,
        bodies: cleanBodies(input.bodies),
        actions: input.actions,
      });
      await auditShared(repo, audit, 'macro.created', null, row);
      return row.id;
    });
    return this.get(actor, id);
  }

  async get(actor: PublicUser, id: string): Promise<MacroView> {
    return toView(await this.visible(actor, id), actor);
  }

  async update(
    actor: PublicUser,
    id: string,
    patch: UpdateMacroInput,
    audit: AuditContext,
  ): Promise<MacroView> {
    const row = await this.editable(actor, id);
    await this.repo.transaction(async (repo) => {
      const after = await repo.update(row.macro.id, {
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.bodies !== undefined ? { bodies: cleanBodies(patch.bodies) } : {}),
        ...(patch.actions !== undefined ? { actions: patch.actions } : {}),
      });
      if (!after) throw notFound('The macro');
      await auditShared(repo, audit, 'macro.updated', row.macro, after);
    });
    return this.get(actor, id);
  }

  async remove(actor: PublicUser, id: string, audit: AuditContext): Promise<void> {
    const row = await this.editable(actor, id);
    await this.repo.transaction(async (repo) => {
      await repo.delete(row.macro.id);
      await auditShared(repo, audit, 'macro.deleted', row.macro, null);
    });
  }

  /**
   * Inserts a macro on a ticket: the body in the customer's language (the other one when the
   * macro has no text in theirs) with its placeholders filled, and its ticket changes applied.
   */
  async apply(actor: PublicUser, id: string, ticketId: string): Promise<MacroApplication> {
    const { macro } = await this.visible(actor, id);
    const ticket = await this.tickets.readable(actor, ticketId);
    const requester = await this.ticketsRepo.findUser(ticket.requesterId);
    const wanted = customerLocale(requester, ticket.snapshot);
    const locale: ContentLocale = macro.bodies[wanted]
      ? wanted
      : ((Object.keys(macro.bodies) as ContentLocale[]).find((l) => macro.bodies[l]) ?? wanted);
    const name = requester?.name ?? '';
    const body = fillPlaceholders(macro.bodies[locale] ?? '', {
      'customer.name': name,
      'customer.firstName': firstName(name),
      'ticket.number': String(ticket.number),
      'ticket.subject': ticket.subject,
      'agent.name': actor.name,
    });
    const applied: MacroActions = {};
    const patch: { status?: typeof ticket.status; priority?: typeof ticket.priority; tags?: string[] } = {};
    if (macro.actions.status && macro.actions.status !== ticket.status) {
      patch.status = macro.actions.status;
      applied.status = macro.actions.status;
    }
    if (macro.actions.priority && macro.actions.priority !== ticket.priority) {
      patch.priority = macro.actions.priority;
      applied.priority = macro.actions.priority;
    }
    const added = (macro.actions.addTags ?? []).filter((tag) => !ticket.tags.includes(tag));
    if (added.length > 0) {
      patch.tags = [...ticket.tags, ...added];
      applied.addTags = added;
    }
    if (Object.keys(patch).length > 0) {
      if (ticket.tags.length + added.length > 20)
        throw badRequest('The ticket would have more than 20 tags.', [
          { path: 'addTags', message: 'too many tags' },
        ]);
      // The ticket service checks who may change what, and records the change on the timeline.
      await this.tickets.update(actor, ticket.id, patch);
    }
    return { body, locale, applied };
  }

  /** A macro the actor may see: shared, or their own personal one; anyone else's is `not_found`. */
  private async visible(actor: PublicUser, id: string): Promise<MacroListRow> {
    const row = await this.repo.find(id);
    if (!row || (row.macro.scope === 'personal' && row.macro.ownerId !== actor.id))
      throw notFound('The macro');
    return row;
  }

  private async editable(actor: PublicUser, id: string): Promise<MacroListRow> {
    const row = await this.visible(actor, id);
    if (!canEdit(row, actor)) throw forbidden('Only supervisors and admins change shared macros.');
    return row;
  }
}

/**
 * Shared macros are the team's: a change to one is an administrative change, audited with its
 * before and after in the change's transaction. A personal macro is its owner's own business.
 */
async function auditShared(
  repo: MacrosRepository,
  audit: AuditContext,
  action: 'macro.created' | 'macro.updated' | 'macro.deleted',
  before: MacroRow | null,
  after: MacroRow | null,
): Promise<void> {
  if ((before ?? after)?.scope !== 'shared') return;
  await recordAudit(repo.db, {
    ...audit,
    action,
    targetType: 'macro',
    targetId: (before ?? after)!.id,
    before: before && auditedMacro(before),
    after: after && auditedMacro(after),
  });
}

const auditedMacro = (row: MacroRow) => ({ title: row.title, bodies: row.bodies, actions: row.actions });

function canEdit(row: MacroListRow, actor: PublicUser): boolean {
  return row.macro.scope === 'personal' ? row.macro.ownerId === actor.id : MANAGERS_OF_SHARED.has(actor.role);
}

function toView(row: MacroListRow, actor: PublicUser): MacroView {
  const { macro } = row;
  return {
    id: macro.id,
    scope: macro.scope,
    title: macro.title,
    bodies: macro.bodies,
    actions: macro.actions,
    owner: macro.ownerId ? { id: macro.ownerId, name: row.ownerName ?? '' } : null,
    editable: canEdit(row, actor),
    updatedAt: macro.updatedAt.toISOString(),
  };
}

/** Drops empty variants, so "has text in this language" is simply "has the key". */
function cleanBodies(bodies: Partial<Record<ContentLocale, string | undefined>>) {
  return Object.fromEntries(Object.entries(bodies).filter(([, v]) => v && v.length > 0)) as Partial<
    Record<ContentLocale, string>
  >;
}

/**
 * The customer's language: the one they chose with the language switcher when they did; else
 * their account's when it is Chinese, else what their browser reported on the ticket (accounts
 * default to English, so an English default says less than a browser).
 */
export function customerLocale(
  account: { locale: string; localeChosenAt: Date | null } | undefined,
  snapshot: Record<string, unknown> | null,
): ContentLocale {
  if (account?.localeChosenAt) return account.locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
  if (account?.locale.toLowerCase().startsWith('zh')) return 'zh-CN';
  const browser = typeof snapshot?.language === 'string' ? snapshot.language.toLowerCase() : '';
  return browser.startsWith('zh') ? 'zh-CN' : 'en';
}

/** The first word of a Latin name; a Chinese name (no spaces) is used whole. */
function firstName(name: string): string {
  const trimmed = name.trim();
  return trimmed.includes(' ') ? trimmed.split(/\s+/)[0]! : trimmed;
}
