import type { TFunction } from 'i18next';
import { formatBytes } from '../lib/format';
import type { RecordingSummary } from './api';

/**
 * What a recording's size reads as: null while there is none yet (still recording), "No file"
 * when nothing was saved (a failed recording totals 0 bytes, which is no size to show).
 */
export function recordingSize(
  recording: Pick<RecordingSummary, 'status' | 'sizeBytes'>,
  t: TFunction,
): string | null {
  if (recording.status === 'failed' || recording.sizeBytes === 0) return t('qa.noFile');
  return recording.sizeBytes === null ? null : formatBytes(recording.sizeBytes);
}
