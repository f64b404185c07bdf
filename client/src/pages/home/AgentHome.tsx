import { Badge, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PublicUser } from '../../../../signaling/shared/protocol';
import { QueueTabs } from './QueueTabs';

/** The agent console: the agent's tier and skills, then the queues. */
export function AgentHome({ user }: { user: PublicUser }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" component="section" aria-labelledby="agent-console-heading">
      <Group justify="space-between" align="center">
        <Title order={2} id="agent-console-heading">
          {t('home.agent.heading')}
        </Title>
        <Group gap="xs">
          <Badge size="lg" variant="light" tt="none">
            {user.tier ? t('home.agent.tier', { tier: user.tier }) : t('home.agent.noTier')}
          </Badge>
          {user.skills.length > 0 ? (
            <Group gap={4} component="ul" aria-label={t('home.agent.skills')} p={0} m={0}>
              {user.skills.map((skill) => (
                <Badge key={skill} component="li" variant="outline" color="gray" tt="none">
                  {skill}
                </Badge>
              ))}
            </Group>
          ) : (
            <Text size="sm" c="dimmed">
              {t('home.agent.noSkills')}
            </Text>
          )}
        </Group>
      </Group>
      <QueueTabs
        me={user}
        views={['mine', 'tier', 'unassigned', 'breaching', 'following']}
        defaultView="tier"
      />
    </Stack>
  );
}
