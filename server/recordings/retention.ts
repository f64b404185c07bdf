import fs from 'node:fs';
import path from 'node:path';
import type { RecordingsRepository } from './repository';

/**
 * Deletes concluded recordings (rows and files) started more than `retentionDays` before `now`;
 * 0 days keeps everything. Returns how many it deleted.
 */
export async function sweepRetention(
  repo: RecordingsRepository,
  dir: string,
  retentionDays: number,
  now: Date,
): Promise<number> {
  if (retentionDays <= 0) return 0;
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const old = await repo.concludedBefore(cutoff);
  for (const row of old) {
    fs.rmSync(path.join(dir, row.id), { recursive: true, force: true });
    await repo.deleteRecording(row.id);
  }
  return old.length;
}
