import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { AttachmentView, PublicUser } from '../../signaling/shared/protocol';
import type { Database } from '../db/client';
import { type AttachmentRow, attachments, ticketMessages } from '../db/schema';
import { AppError, badRequest, forbidden, notFound } from '../errors';
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
  constructor(
    private readonly db: Database,
    private readonly tickets: TicketsRepository,
    private readonly storage: AttachmentStorage,
    readonly maxBytes: number,
  ) {}

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
    const id = randomUUID();
    const sha256 = await this.storage.save(id, input.data);
    const [row] = await this.db
      .insert(attachments)
      .values({ id, uploaderId: actor.id, fileName, contentType, sizeBytes: input.data.length, sha256 })
      .returning();
    return toAttachmentView(row!);
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
