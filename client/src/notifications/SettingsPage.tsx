import { Alert, Button, Checkbox, Group, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { NOTIFICATION_EVENTS, type PublicUser } from '../../../signaling/shared/protocol';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { QueryState } from '../components/QueryState';
import { describeError } from '../errors';
import { desktopAlerts, useDesktopPermission } from '../lib/alerts';
import { useSession } from '../lib/session';
import { toasts } from '../lib/toasts';
import { ComposerSettings } from '../settings/ComposerSettings';
import { PresenceBadge } from '../tickets/badges';
import { isStaffUser } from '../tickets/queries';
import type { NotificationSettings } from './api';
import { allowDesktopNotifications } from './DesktopPermission';
import { useMyPresence, useNotificationSettings, useSaveNotificationSettings } from './queries';

/** `/settings`: every signed-in person's own settings (notifications, presence, language). */
export function SettingsPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  useDocumentTitle(`${t('settings.heading')} · ${t('app.name')}`);
  if (!session) return null;
  const me = session.user;
  return (
    <Stack gap="md" maw={720}>
      <div>
        <Title order={2}>{t('settings.heading')}</Title>
        <Text c="dimmed" size="sm">
          {t('settings.intro')}
        </Text>
      </div>
      {me.role === 'agent' && <PresenceSection me={me} />}
      <NotificationsSection me={me} />
      {/* Everyone who writes in a composer chooses which key sends (QA only reads). */}
      {me.role !== 'qa' && <ComposerSettings />}
      <Paper withBorder p="md">
        <Title order={3} size="h4" mb="xs">
          {t('settings.language')}
        </Title>
        <LanguageSwitcher />
      </Paper>
    </Stack>
  );
}

function PresenceSection({ me }: { me: PublicUser }) {
  const { t } = useTranslation();
  const presence = useMyPresence(me).data?.presence;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="presence-heading">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id="presence-heading">
          {t('availability.label')}
        </Title>
        {presence && <PresenceBadge presence={presence} />}
      </Group>
      <Text size="sm" c="dimmed">
        {t('availability.hint')}
      </Text>
    </Paper>
  );
}

function NotificationsSection({ me }: { me: PublicUser }) {
  const { t } = useTranslation();
  const query = useNotificationSettings();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="notifications-heading">
      <Title order={3} size="h4" id="notifications-heading">
        {t('notifications.heading')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('notifications.intro')}
      </Text>
      <QueryState
        query={query}
        loadingLabel={t('settings.loading')}
        loading={{ skeleton: 4, height: 22 }}
        errorTitle={t('settings.loadFailed')}
      >
        {(settings) => <NotificationsForm settings={settings} staff={isStaffUser(me)} />}
      </QueryState>
    </Paper>
  );
}

function NotificationsForm({ settings, staff }: { settings: NotificationSettings; staff: boolean }) {
  const { t } = useTranslation();
  const save = useSaveNotificationSettings();
  const permission = useDesktopPermission();
  // Shown as chosen at once; put back (by the query) if the server refuses.
  const shown = save.isPending && save.variables ? save.variables : settings;
  const change = (next: Partial<NotificationSettings>) =>
    save.mutate(
      { ...shown, ...next },
      {
        onError: (err) =>
          toasts.show({ title: t('notifications.saveFailed'), message: describeError(err, t), color: 'red' }),
      },
    );
  return (
    <Stack gap="md">
      {/* Wraps on a phone: the test button goes under the switch rather than being cut off. */}
      <Group justify="space-between" wrap="wrap" align="flex-start" gap="xs">
        <Switch
          checked={shown.sound}
          onChange={(e) => change({ sound: e.currentTarget.checked })}
          label={t('notifications.sound')}
          description={t('notifications.soundHint')}
        />
        <Button size="xs" variant="default" onClick={() => desktopAlerts.beep()}>
          {t('notifications.testSound')}
        </Button>
      </Group>
      <Stack gap={6}>
        <Switch
          checked={shown.desktop}
          onChange={(e) => change({ desktop: e.currentTarget.checked })}
          label={t('notifications.desktop')}
          description={t('notifications.desktopHint')}
        />
        {shown.desktop && (
          <Alert
            color={permission === 'granted' ? 'teal' : permission === 'denied' ? 'orange' : 'gray'}
            p="xs"
          >
            <Group justify="space-between" gap="xs">
              <Text size="sm">{t(`notifications.permission.${permission}`)}</Text>
              {permission === 'default' && (
                <Button size="xs" onClick={() => void allowDesktopNotifications(t)}>
                  {t('notifications.allow')}
                </Button>
              )}
            </Group>
          </Alert>
        )}
      </Stack>
      {staff && (
        <Checkbox.Group
          label={t('notifications.events')}
          value={shown.events}
          onChange={(values) => change({ events: NOTIFICATION_EVENTS.filter((e) => values.includes(e)) })}
        >
          <Stack gap={6} mt={6}>
            {NOTIFICATION_EVENTS.map((event) => (
              <Checkbox key={event} value={event} label={t(`notifications.event.${event}`)} />
            ))}
          </Stack>
        </Checkbox.Group>
      )}
    </Stack>
  );
}
