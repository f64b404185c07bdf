import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RecordingStatus } from '../../../signaling/shared/protocol';

export const STATUS_COLORS: Record<RecordingStatus, string> = {
  awaiting_consent: 'yellow',
  recording: 'red',
  processing: 'gray',
  ready: 'teal',
  partial: 'orange',
  failed: 'red',
  declined: 'gray',
};

/** A recording's state in the QA list and player; the error (if any) in a tooltip. */
export function RecordingStatusBadge({ status, error }: { status: RecordingStatus; error?: string | null }) {
  const { t } = useTranslation();
  const badge = (
    <Badge color={STATUS_COLORS[status]} variant="light" tt="none" data-recording-status={status}>
      {t(`recording.status.${status}`)}
    </Badge>
  );
  return error ? (
    <Tooltip label={error} withArrow multiline maw={320}>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}
