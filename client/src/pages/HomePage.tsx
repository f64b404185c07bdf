import { Stack, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { PublicUser } from '../../../signaling/shared/protocol';
import { useSession } from '../lib/session';
import { AccountCard } from './home/AccountCard';
import { AgentHome } from './home/AgentHome';
import { CustomerHome } from './home/CustomerHome';
import { QueueTabs } from './home/QueueTabs';
import { RoleSummary } from './home/RoleSummary';
import { SupervisorHome } from './home/SupervisorHome';

function RoleHome({ user }: { user: PublicUser }) {
  switch (user.role) {
    case 'customer':
      return <CustomerHome />;
    case 'agent':
      return <AgentHome user={user} />;
    case 'supervisor':
    case 'admin':
      return <SupervisorHome user={user} />;
    case 'qa':
      return (
        <Stack gap="md">
          <RoleSummary area="qa" />
          <QueueTabs me={user} views={['all', 'breaching']} defaultView="all" />
        </Stack>
      );
  }
}

/** `/`: a greeting, the area that belongs to the user's role, and their account details. */
export function HomePage() {
  const { t } = useTranslation();
  const { session } = useSession();
  useDocumentTitle(`${t('home.pageTitle')} · ${t('app.name')}`);
  if (!session) return null;
  const { user } = session;
  return (
    <Stack gap="xl">
      <Title order={1}>{t('home.welcome', { name: user.name })}</Title>
      <RoleHome user={user} />
      {/* Staff come here for the queues; the account card would only push them down. */}
      {user.role === 'customer' && <AccountCard user={user} />}
    </Stack>
  );
}
