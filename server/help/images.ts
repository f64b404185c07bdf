import fs from 'node:fs';
import type { Response } from 'express';
import type { PublicUser } from '../../signaling/shared/protocol';
import type { AttachmentStorage } from '../attachments/storage';
import { checkAttachmentType } from '../attachments/storage';
import { badRequest, notFound } from '../errors';
import { canAuthor } from './articles';
import type { HelpRepository } from './repository';

const UPLOADABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
export const HELP_IMAGE_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Images of articles: uploaded by authors (PNG, JPEG, GIF, WebP, content checked), or copied from
 * a ticket's saved whiteboard (SVG the server drew). Public by URL like the articles they are in;
 * the ids are random UUIDs, so nobody lists them.
 */
export class HelpImages {
  constructor(
    private readonly repo: HelpRepository,
    private readonly storage: AttachmentStorage,
  ) {}

  async upload(actor: PublicUser, contentType: string, data: Buffer): Promise<{ id: string; url: string }> {
    if (!canAuthor(actor)) throw notFound('The route');
    const type = contentType.split(';')[0]!.trim().toLowerCase();
    if (!UPLOADABLE.has(type)) throw badRequest('Article images are PNG, JPEG, GIF or WebP files.');
    if (data.length === 0) throw badRequest('The image is empty.');
    const reason = checkAttachmentType(type, data);
    if (reason) throw badRequest(`The image cannot be used: ${reason}.`);
    return this.store(actor.id, type, data);
  }

  /** Stores a server-made image (the whiteboard's SVG) for an article. */
  async store(uploaderId: string, contentType: string, data: Buffer): Promise<{ id: string; url: string }> {
    const row = await this.repo.insertImage({ contentType, size: data.length, uploaderId });
    await this.storage.save(row.id, data);
    return { id: row.id, url: `/api/help/images/${row.id}` };
  }

  async send(id: string, res: Response): Promise<void> {
    const row = await this.repo.findImage(id);
    const file = row ? this.storage.pathFor(row.id) : undefined;
    if (!row || !file || !fs.existsSync(file)) throw notFound('The image');
    res.setHeader('Content-Type', row.contentType);
    res.setHeader('Cache-Control', 'public, max-age=86400, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // An SVG opened on its own must not run anything.
    res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    res.sendFile(file);
  }
}
