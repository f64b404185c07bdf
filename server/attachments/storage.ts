import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Attachment files on local disk (DATA_DIR/attachments), named by their database id so a client's
 * file name never becomes a path. Written to a temporary name and renamed, so a crash never leaves
 * a half-written file under a real id.
 */
export class AttachmentStorage {
  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  pathFor(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error('attachment ids are UUIDs');
    return path.join(this.dir, id);
  }

  async save(id: string, data: Buffer): Promise<string> {
    const target = this.pathFor(id);
    const tmp = `${target}.tmp-${process.pid}`;
    await fs.promises.writeFile(tmp, data, { mode: 0o600 });
    await fs.promises.rename(tmp, target);
    return createHash('sha256').update(data).digest('hex');
  }

  async remove(id: string): Promise<void> {
    await fs.promises.rm(this.pathFor(id), { force: true });
  }
}

/**
 * File types an attachment may have, with the leading bytes that prove it where there are any. A
 * Map, not an object literal: the type comes from the client, and `'constructor' in {}` is true.
 */
const ALLOWED = new Map<string, ((b: Buffer) => boolean) | null>([
  [
    'image/png',
    (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  ],
  ['image/jpeg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/gif', (b) => b.subarray(0, 4).toString('latin1') === 'GIF8'],
  [
    'image/webp',
    (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  ],
  ['application/pdf', (b) => b.subarray(0, 5).toString('latin1') === '%PDF-'],
  ['application/zip', (b) => b[0] === 0x50 && b[1] === 0x4b],
  ['video/webm', (b) => b.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]))],
  ['video/mp4', (b) => b.subarray(4, 8).toString('latin1') === 'ftyp'],
  ['text/plain', null],
  ['text/csv', null],
  ['application/json', null],
]);
export const ALLOWED_ATTACHMENT_TYPES = [...ALLOWED.keys()];

/** Returns a reason when the content does not fit the declared type, or undefined when it does. */
export function checkAttachmentType(contentType: string, data: Buffer): string | undefined {
  const signature = ALLOWED.get(contentType);
  if (signature === undefined) {
    return `files of type ${contentType || '(none)'} are not accepted; allowed: ${ALLOWED_ATTACHMENT_TYPES.join(', ')}`;
  }
  if (signature && !signature(data)) return `the file's content is not ${contentType}`;
  if (!signature && data.includes(0)) return `a ${contentType} file cannot contain binary data`;
  return undefined;
}
