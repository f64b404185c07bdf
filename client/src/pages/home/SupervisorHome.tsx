import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PublicUser } from '../../../../signaling/shared/protocol';
import { SignupSettingCard } from '../../accounts/SignupSettingCard';
import { AgentsTable } from './AgentsTable';
import { QueueTabs } from './QueueTabs';

/** Supervisors (and admins): every queue, and the team's availability and load. */
export function SupervisorHome({ user }: { user: PublicUser }) {
  const { t } = useTranslation();
  const area = user.role === 'admin' ? 'admin' : 'supervisor';
  return (
    <Stack gap="xl">
      <Stack gap="sm" component="section" aria-labelledby="queues-heading">
        <Title order={2} id="queues-heading">
          {t(`home.${area}.heading`)}
        </Title>
        <QueueTabs me={user} views={['all', 'unassigned', 'breaching', 'mine']} defaultView="all" />
      </Stack>
      <AgentsTable />
      {user.role === 'admin' && <SignupSettingCard />}
    </Stack>
  );
}
