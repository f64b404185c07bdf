import type { BotMessage } from '../../signaling/shared/bot';
import type {
  AttachmentView,
  MessageView,
  PublicUser,
  SystemEvent,
  TicketView,
  TimelineEntry,
} from '../../signaling/shared/protocol';
import type { AttachmentRow, TicketEventRow, TicketMessageRow, TicketRow, UserRow } from '../db/schema';
import type { SlaPolicy } from '../sla/evaluate';
import { evaluateTicket, slaFacts, slaView } from '../sla/facts';
import { toUserRef } from '../users/service';
import { isStaff } from './access';
import type { TicketsRepository } from './repository';

export const toAttachmentView = (row: AttachmentRow): AttachmentView => ({
  id: row.id,
  fileName: row.fileName,
  contentType: row.contentType,
  sizeBytes: row.sizeBytes,
  url: `/api/attachments/${row.id}`,
});

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/**
 * Turns ticket rows into what clients see, loading everything the views need in a fixed number of
 * queries (not one per ticket): people, attachments, links, and the SLA facts.
 */
export async function buildTicketViews(
  repo: TicketsRepository,
  rows: TicketRow[],
  policy: SlaPolicy,
  now = new Date(),
): Promise<TicketView[]> {
  const ids = rows.map((r) => r.id);
  const [people, files, links, statusEvents, activity, callTotals, followers] = await Promise.all([
    repo.usersByIds(rows.flatMap((r) => (r.assigneeId ? [r.requesterId, r.assigneeId] : [r.requesterId]))),
    repo.attachmentsForTickets(ids),
    repo.linksFor(ids),
    repo.statusEventsFor(ids),
    repo.publicActivityFor(ids),
    repo.callTotals(ids),
    repo.followersFor(ids),
  ]);
  const filesByTicket = groupBy(files, (f) => f.ticketId);
  const eventsByTicket = groupBy(statusEvents, (e) => e.ticketId);
  const activityByTicket = groupBy(activity, (a) => a.ticketId);
  return rows.map((row) => {
    const requester = people.get(row.requesterId);
    const assignee = row.assigneeId ? people.get(row.assigneeId) : undefined;
    const facts = slaFacts(row, eventsByTicket.get(row.id) ?? [], activityByTicket.get(row.id) ?? []);
    return {
      id: row.id,
      number: row.number,
      subject: row.subject,
      description: row.description,
      category: row.category,
      requester: requester
        ? toUserRef(requester)
        : { id: row.requesterId, name: 'Unknown', role: 'customer', tier: null },
      assignee: assignee ? toUserRef(assignee) : null,
      tier: row.tier,
      priority: row.priority,
      status: row.status,
      channel: row.channel,
      tags: row.tags,
      snapshot: row.snapshot ?? null,
      customerUrgency: row.customerUrgency ?? null,
      mergedIntoId: row.mergedIntoId,
      linkedTicketIds: links
        .filter((l) => l.ticketId === row.id || l.linkedTicketId === row.id)
        .map((l) => (l.ticketId === row.id ? l.linkedTicketId : l.ticketId)),
      followerIds: followers.filter((f) => f.ticketId === row.id).map((f) => f.userId),
      attachments: (filesByTicket.get(row.id) ?? []).map(toAttachmentView),
      firstResponseAt: row.firstResponseAt?.toISOString() ?? null,
      firstResponseSeconds: row.firstResponseAt
        ? Math.round((row.firstResponseAt.getTime() - row.createdAt.getTime()) / 1000)
        : null,
      solvedAt: row.solvedAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      sla: slaView(evaluateTicket(policy, facts, now)),
      ...callShare(row, callTotals.get(row.id)),
    };
  });
}

/**
 * A ticket view as a customer may see it: without its links. A link is the support team's note
 * that two tickets are related, and the other ticket is usually another customer's: its id must
 * not reach this customer (their portal shows no links, so nothing is lost).
 */
export function customerView(view: TicketView): TicketView {
  return view.linkedTicketIds.length === 0 ? view : { ...view, linkedTicketIds: [] };
}

/** A ticket view for `reader`: staff see all of it, a customer what `customerView` leaves. */
export function viewFor(reader: PublicUser, view: TicketView): TicketView {
  return isStaff(reader) ? view : customerView(view);
}

function callShare(row: TicketRow, totals: { seconds: number; count: number } | undefined) {
  const seconds = totals?.seconds ?? 0;
  // A share of the time to resolution exists once the ticket is resolved: an open ticket's age so
  // far is not a resolution time, and the figure would shrink every minute it stays open.
  const toResolution = row.solvedAt ? (row.solvedAt.getTime() - row.createdAt.getTime()) / 1000 : 0;
  return {
    callSeconds: Math.round(seconds),
    callCount: totals?.count ?? 0,
    callShareOfResolution: toResolution > 0 ? shareOf(seconds, toResolution) : null,
  };
}

/** `part` as a share of `whole`, 0..1 to three decimals (call time can exceed a short lifetime). */
export function shareOf(part: number, whole: number): number {
  return Math.min(1, Math.round((part / whole) * 1000) / 1000);
}

export async function buildMessageViews(
  repo: TicketsRepository,
  rows: TicketMessageRow[],
): Promise<MessageView[]> {
  const [people, files] = await Promise.all([
    repo.usersByIds(rows.flatMap((r) => (r.authorId ? [r.authorId] : []))),
    repo.attachmentsForMessages(rows.map((r) => r.id)),
  ]);
  const filesByMessage = groupBy(files, (f) => f.messageId);
  return rows.map((row) =>
    toMessageView(row, row.authorId ? people.get(row.authorId) : undefined, filesByMessage.get(row.id) ?? []),
  );
}

/** One message as clients see it, from its row, its author and its attachments. */
export function toMessageView(
  row: TicketMessageRow,
  author: Pick<UserRow, 'id' | 'name' | 'role' | 'tier'> | undefined,
  files: AttachmentRow[],
): MessageView {
  return {
    id: row.id,
    seq: row.seq,
    ticketId: row.ticketId,
    author: author ? toUserRef(author) : null,
    kind: row.kind,
    body: row.body,
    system: row.kind === 'system' ? ((row.system as SystemEvent | null) ?? null) : null,
    bot: row.kind === 'bot' ? ((row.system as BotMessage | null) ?? null) : null,
    clientMessageId: row.clientMessageId,
    attachments: files.map(toAttachmentView),
    createdAt: row.createdAt.toISOString(),
  };
}

export function toTimelineEntry(row: TicketEventRow, actor: UserRow | undefined): TimelineEntry {
  return {
    id: row.id,
    seq: row.seq,
    ticketId: row.ticketId,
    type: row.type,
    actor: actor ? toUserRef(actor) : null,
    data: row.data,
    createdAt: row.createdAt.toISOString(),
  };
}
