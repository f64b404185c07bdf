import { Avatar, Badge, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CallView } from '../../../signaling/shared/protocol';
import { initials } from './Stage';

/** Who is in the call: a supervisor who joins shows up here for both sides. */
export function ParticipantList({ call, meId }: { call: CallView | null; meId: string }) {
  const { t } = useTranslation();
  const people = call?.participants ?? [];
  return (
    <Stack gap="xs" component="section" aria-labelledby="call-people-title">
      <Title order={2} size="h5" id="call-people-title">
        {t('call.participants.title')}
      </Title>
      <Stack gap={6} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {people.map((p) => {
          const state = p.present
            ? { color: 'teal', text: t('call.participants.inCall') }
            : p.leftAt
              ? { color: 'gray', text: t('call.participants.left') }
              : { color: 'gray', text: t('call.participants.notJoined') };
          return (
            <Group component="li" key={p.user.id} gap="sm" wrap="nowrap" data-participant={p.role}>
              <Avatar size="sm" radius="xl" color={p.role === 'supervisor' ? 'grape' : 'indigo'}>
                {initials(p.user.name)}
              </Avatar>
              <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
                <Text size="sm" fw={500} truncate>
                  {p.user.id === meId ? t('call.youSuffix', { name: p.user.name }) : p.user.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {t(`call.participants.roles.${p.role}`)}
                </Text>
              </Stack>
              <Badge size="sm" variant="dot" color={state.color} tt="none">
                {state.text}
              </Badge>
            </Group>
          );
        })}
      </Stack>
    </Stack>
  );
}
