import { Anchor, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../lib/session';
import { CustomerHome } from '../pages/home/CustomerHome';
import { widgetRenewal } from './widgetSession';

/** The signed-in visitor's conversations (the portal's list) and who they are, with sign-out. */
export function WidgetConversations() {
  const { t } = useTranslation();
  const { session } = useSession();
  if (!session) return null;
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {t('widget.signedInAs', { name: session.user.name, email: session.user.email })}
        </Text>
        <Anchor component="button" type="button" size="xs" onClick={() => widgetRenewal.signOut('user')}>
          {t('shell.signOut')}
        </Anchor>
      </Group>
      <CustomerHome />
    </Stack>
  );
}
