import { ActionIcon, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { desktopAlerts, useDesktopAlerts } from '../lib/alerts';
import { toasts } from '../lib/toasts';

function BellIcon({ off }: { off: boolean }) {
  return (
    <svg
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden="true"
    >
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      {off && <path d="M3 3l18 18" />}
    </svg>
  );
}

/**
 * Turns desktop alerts (notification + beep when the tab is hidden) on or off. Permission is asked
 * here, on the click, as browsers require.
 */
export function AlertsToggle() {
  const { t } = useTranslation();
  const { permission, enabled } = useDesktopAlerts();
  if (permission === 'unsupported') return null;
  const label = enabled
    ? t('alerts.turnOff')
    : permission === 'denied'
      ? t('alerts.blocked')
      : t('alerts.turnOn');
  return (
    <Tooltip label={label} withArrow>
      <ActionIcon
        variant={enabled ? 'light' : 'default'}
        size="lg"
        aria-label={label}
        aria-pressed={enabled}
        onClick={async () => {
          if (enabled) {
            desktopAlerts.disable();
            return;
          }
          const result = await desktopAlerts.enable();
          if (result === 'granted') {
            desktopAlerts.beep();
            toasts.show({ title: t('alerts.enabled'), color: 'teal' });
          } else if (result === 'denied') {
            toasts.show({ title: t('alerts.blocked'), message: t('alerts.blockedHint'), color: 'orange' });
          }
        }}
      >
        <BellIcon off={!enabled} />
      </ActionIcon>
    </Tooltip>
  );
}
