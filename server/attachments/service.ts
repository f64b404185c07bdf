import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { AttachmentView, PublicUser } from '../../signaling/shared/protocol';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { type AttachmentRow, attachments, ticketMessages } from '../db/schema';
import { AppError, badRequest, forbidden, notFound } from '../errors';
import { limited } from '../limits/userLimits';
import { canRead, isStaff } from '../tickets/access';
import type { TicketsRepository } from '../tickets/repository';
import { toAttachmentView } from '../tickets/views';
import { type AttachmentStorage, checkAttachmentType } from './storage';

/**
 * Uploads come first (with a progress bar in the browser), then a ticket or message claims them by
 * id. Until then only the uploader can see an upload; afterwards whoever can read the ticket (and,
 * for a file on an internal note, only staff).
 */
export class AttachmentsService {
  readonly maxBytes: number;
  private readonly perUser: RateLimiterMemory;
  /** Bytes of each person's uploads being stored now, so parallel uploads cannot pass the quota together. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly tickets: TicketsRepository,
    private readonly storage: AttachmentStorage,
    private readonly limits: Config['attachments'],
  ) {
    this.maxBytes = limits.maxBytes;
    // Per node, in memory, as the other per-person limits (see UserLimits).
    this.perUser = new RateLimiterMemory({ keyPrefix: 'uploads', points: limits.perMinute, duration: 60 });
  }

  async upload(
    actor: PublicUser,
    input: { fileName: string; contentType: string; data: Buffer },
  ): Promise<AttachmentView> {
    if (actor.role === 'qa') throw forbidden('QA reviewers cannot attach files.');
    if (input.data.length === 0) throw badRequest('The file is empty.');
    const fileName = input.fileName.trim();
    if (!fileName || fileName.length > 200 || /[\\/\0]/.test(fileName)) {
      throw badRequest('Name the file in the X-File-Name header (at most 200 characters, no slashes).', [
        { path: 'X-File-Name', message: 'missing or invalid file name' },
      ]);
    }
    const contentType = input.contentType.split(';')[0]!.trim().toLowerCase();
    const problem = checkAttachmentType(contentType, input.data);
    if (problem) throw new AppError('bad_request', `This file cannot be attached: ${problem}.`);
    try {
      await this.perUser.consume(actor.id);
    } catch (res) {
      throw limited(res, 'You are uploading files too fast. Wait a moment, then try again.');
    }
    const size = input.data.length;
    const pending = this.inFlight.get(actor.id) ?? 0;
    this.inFlight.set(actor.id, pending + size);
    try {
      const held = (await this.unclaimedBytes(actor.id)) + pending;
      if (held + size > this.limits.unclaimedQuotaBytes) {
        throw new AppError(
          'quota_exceeded',
          `You have ${formatMiB(held)} of uploads not yet sent with a message (at most ` +
            `${formatMiB(this.limits.unclaimedQuotaBytes)}). Send or remove them first; ` +
            'unsent uploads are deleted after a while.',
        );
      }
      const id = randomUUID();
      const sha256 = await this.storage.save(id, input.data);
      const [row] = await this.db
        .insert(attachments)
        .values({ id, uploaderId: actor.id, fileName, contentType, sizeBytes: size, sha256 })
        .returning();
      return toAttachmentView(row!);
    } finally {
      const left = (this.inFlight.get(actor.id) ?? size) - size;
      if (left > 0) this.inFlight.set(actor.id, left);
      else this.inFlight.delete(actor.id);
    }
  }

  /** Bytes of the person's uploads that no ticket or message has claimed (yet). */
  private async unclaimedBytes(uploaderId: string): Promise<number> {
    const [row] = await this.db
      .select({ bytes: sql<string>`coalesce(sum(${attachments.sizeBytes}), 0)` })
      .from(attachments)
      .where(and(eq(attachments.uploaderId, uploaderId), isNull(attachments.ticketId)));
    return Number(row?.bytes ?? 0);
  }

  /**
   * Stores a file the server made itself (a whiteboard's image and scene) on a ticket. No type
   * check: the content is ours, not a client's.
   */
  async storeGenerated(input: {
    uploaderId: string;
    ticketId: string;
    /** The (system) message the file belongs to, so it shows in the conversation. */
    messageId?: string;
    fileName: string;
    contentType: string;
    data: Buffer;
  }): Promise<AttachmentView> {
    const id = randomUUID();
    const sha256 = await this.storage.save(id, input.data);
    const [row] = await this.db
      .insert(attachments)
      .values({
        id,
        uploaderId: input.uploaderId,
        ticketId: input.ticketId,
        messageId: input.messageId ?? null,
        fileName: input.fileName,
        contentType: input.contentType,
        sizeBytes: input.data.length,
        sha256,
      })
      .returning();
    return toAttachmentView(row!);
  }

  /** The attachment's row and file path, when the actor may download it. */
  async forDownload(actor: PublicUser, id: string): Promise<{ row: AttachmentRow; path: string }> {
    const [row] = await this.db.select().from(attachments).where(eq(attachments.id, id));
    if (!row) throw notFound('The attachment');
    let allowed = row.uploaderId === actor.id;
    if (!allowed && row.ticketId) {
      const ticket = await this.tickets.findTicket(row.ticketId);
      allowed = ticket !== undefined && canRead(actor, ticket);
      if (allowed && row.messageId && !isStaff(actor)) {
        const [message] = await this.db
          .select()
          .from(ticketMessages)
          .where(eq(ticketMessages.id, row.messageId));
        allowed = message?.kind !== 'internal';
      }
    }
    // Not found rather than forbidden: nobody learns that someone else's file exists.
    if (!allowed) throw notFound('The attachment');
    return { row, path: this.storage.pathFor(row.id) };
  }
}

const formatMiB = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`;
