import { Button, CloseButton, Group, Paper, Stack, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { desktopAlerts, useDesktopPermission } from '../lib/alerts';
import { toasts } from '../lib/toasts';
import { DEFAULT_SETTINGS, useNotificationSettings } from './queries';

const DISMISSED_KEY = 'livedesk.desktopPrompt';

function wasDismissed(): boolean {
  try {
    return window.localStorage.getItem(DISMISSED_KEY) === 'dismissed';
  } catch {
    return false;
  }
}

/** Asks the browser (from a click: browsers allow nothing else), and says how it went. */
export async function allowDesktopNotifications(t: TFunction): Promise<void> {
  const result = await desktopAlerts.enable();
  if (result === 'granted') toasts.show({ title: t('notifications.allowed'), color: 'teal' });
  else if (result === 'denied')
    toasts.show({ title: t('alerts.blocked'), message: t('alerts.blockedHint'), color: 'orange' });
}

/**
 * A small card that explains desktop notifications before the browser asks, shown to staff until
 * they answer it once (allow, or "not now", remembered on this browser). The browser's own
 * question only comes from the button: never on page load.
 */
export function DesktopPermissionCard() {
  const { t } = useTranslation();
  const permission = useDesktopPermission();
  const settings = useNotificationSettings().data ?? DEFAULT_SETTINGS;
  const [dismissed, setDismissed] = useState(wasDismissed);
  if (permission !== 'default' || !settings.desktop || dismissed) return null;
  const later = () => {
    try {
      window.localStorage.setItem(DISMISSED_KEY, 'dismissed');
    } catch {
      // Not remembered: the card shows again on the next visit, nothing worse.
    }
    setDismissed(true);
  };
  return (
    <Paper withBorder p="sm" mb="md" role="region" aria-labelledby="desktop-prompt-title" bg="indigo.0">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Stack gap={6}>
          <Text fw={600} id="desktop-prompt-title">
            {t('notifications.promptTitle')}
          </Text>
          <Text size="sm">{t('notifications.promptBody')}</Text>
          <Group gap="xs">
            <Button size="xs" onClick={() => void allowDesktopNotifications(t).then(later)}>
              {t('notifications.promptAllow')}
            </Button>
            <Button size="xs" variant="default" onClick={later}>
              {t('notifications.promptLater')}
            </Button>
          </Group>
        </Stack>
        <CloseButton aria-label={t('notifications.promptLater')} onClick={later} />
      </Group>
    </Paper>
  );
}
