import { Badge, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useConnectionStatus } from '../lib/socket';

/**
 * Shows whether the live (socket.io) connection is up; a polite live region announces changes.
 * `compact`: on small screens only the coloured dot is visible (the text is still read out).
 */
export function ConnectionIndicator({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const status = useConnectionStatus();
  const view =
    status === 'connected'
      ? { color: 'teal', text: t('connection.connected'), hint: t('connection.connectedHint') }
      : status === 'offline'
        ? { color: 'red', text: t('connection.offline'), hint: t('connection.offlineHint') }
        : { color: 'yellow', text: t('connection.connecting'), hint: t('connection.connectingHint') };
  return (
    <Badge
      component="div"
      role="status"
      aria-live="polite"
      variant="dot"
      color={view.color}
      size="lg"
      title={view.hint}
      data-status={status}
      tt="none"
    >
      <VisuallyHidden>{t('connection.label')}: </VisuallyHidden>
      <span className={compact ? 'visually-hidden-xs' : undefined}>{view.text}</span>
    </Badge>
  );
}
