import { z } from 'zod';
import { badRequest } from '../errors';
import { defineRoute } from '../http/route';
import type { AttachmentsService } from './service';

const attachmentViewSchema = z
  .object({
    id: z.uuid(),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number(),
    url: z.string(),
  })
  .meta({ id: 'Attachment' });

/**
 * The X-File-Name header is percent-encoded UTF-8 (`encodeURIComponent`), since a header cannot
 * carry most non-ASCII names. A malformed escape is the client's mistake, not ours.
 */
function decodeFileName(header: string | string[] | undefined): string {
  try {
    return decodeURIComponent(String(header ?? ''));
  } catch {
    throw badRequest('The X-File-Name header is not valid percent-encoding.', [
      { path: 'X-File-Name', message: 'must be percent-encoded UTF-8 (as encodeURIComponent makes it)' },
    ]);
  }
}

export function attachmentRoutes(service: AttachmentsService) {
  return [
    defineRoute({
      method: 'post',
      path: '/api/attachments',
      summary: 'Upload a file (raw body; X-File-Name header) to attach to a ticket or message',
      tag: 'attachments',
      access: 'signed-in',
      upload: { maxBytes: service.maxBytes },
      response: attachmentViewSchema,
      status: 201,
      handler: ({ actor, raw, req }) =>
        service.upload(actor!, {
          fileName: decodeFileName(req.headers['x-file-name']),
          contentType: String(req.headers['content-type'] ?? ''),
          data: raw ?? Buffer.alloc(0),
        }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/attachments/:id',
      summary: 'Download an attachment',
      tag: 'attachments',
      access: 'signed-in',
      params: z.object({ id: z.uuid() }),
      response: z.any(),
      streams: true,
      handler: async ({ actor, params, res }) => {
        const { row, path } = await service.forDownload(actor!, params.id);
        // Always a download, never rendered in our origin: a hostile HTML or SVG stays inert.
        res.setHeader('Content-Type', row.contentType);
        res.setHeader('X-Content-Type-Options', 'nosniff');
        // The reader's own browser may keep it but asks again each time (access is checked on
        // every request); no shared cache stores it. `send` would otherwise say `public`.
        res.setHeader('Cache-Control', 'private, no-cache');
        res.setHeader(
          'Content-Disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(row.fileName)}`,
        );
        await new Promise<void>((resolve, reject) =>
          res.sendFile(path, (err) => (err ? reject(err) : resolve())),
        );
      },
    }),
  ];
}
