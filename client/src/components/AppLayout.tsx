import { Anchor, AppShell, Box, Button, Container, Group, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import type { PublicUser } from '../../../signaling/shared/protocol';
import { canAdminister } from '../admin/sections';
import { CallRequestPrompt } from '../call/CallRequestPrompt';
import { canSeeFollowUps } from '../feedback/FollowUpsPage';
import { canAuthorArticles } from '../help/ArticlesPage';
import { reportActivity } from '../lib/presenceActivity';
import { useSession } from '../lib/session';
import { sessionRenewal } from '../lib/sessionRenewal';
import { realtime } from '../lib/socket';
import { DesktopPermissionCard } from '../notifications/DesktopPermission';
import { NotificationsLink } from '../notifications/NotificationsLink';
import { useNotifications } from '../notifications/useNotifications';
import { canReview } from '../qa/access';
import { canSeeReports } from '../reports/ReportsPage';
import { isStaffUser } from '../tickets/queries';
import { useLiveUpdates } from '../tickets/useLiveUpdates';
import { AvailabilitySwitch } from './AvailabilitySwitch';
import { ConnectionIndicator } from './ConnectionIndicator';
import { LanguageSwitcher } from './LanguageSwitcher';
import { PhoneMenu } from './PhoneMenu';
import { Toaster } from './Toaster';

/** Keeps caches live while signed in; a component so the hook follows the signed-in user. */
function LiveUpdates({ user }: { user: PublicUser }) {
  useLiveUpdates(user);
  return null;
}

/** Staff: new work announced (toast, sound, badges, title), and this tab's activity reported. */
function StaffPresence({ user }: { user: PublicUser }) {
  useNotifications(user);
  useEffect(() => reportActivity(realtime), []);
  return null;
}

/** The signed-in frame: product name, who is signed in, live connection, language and sign-out. */
export function AppLayout() {
  const { t } = useTranslation();
  const { session: current } = useSession();
  const { pathname } = useLocation();
  if (!current) return null;
  const { user } = current;
  const role = t(`roles.${user.role}`);
  const staff = isStaffUser(user);
  const links = [
    ...(staff ? [{ to: '/queue', label: t('queues.nav') }] : []),
    ...(canReview(user) || user.role === 'agent'
      ? [{ to: '/qa', label: user.role === 'agent' ? t('qa.navAgent') : t('qa.heading') }]
      : []),
    ...(canSeeFollowUps(user.role) ? [{ to: '/feedback', label: t('feedback.followUps.nav') }] : []),
    ...(canAuthorArticles(user) ? [{ to: '/articles', label: t('help.staff.nav') }] : []),
    // Agents keep their personal macros here; shared ones and playbooks are edited under /admin.
    ...(user.role === 'agent' ? [{ to: '/macros', label: t('macros.nav') }] : []),
    ...(canAdminister(user.role) ? [{ to: '/admin', label: t('admin.nav') }] : []),
    ...(canSeeReports(user) ? [{ to: '/reports', label: t('reports.nav') }] : []),
    { to: '/settings', label: t('settings.nav') },
  ];

  return (
    // A phone keeps most of its width for the page. (Not 0: Mantine puts the padding in a calc()
    // with the header's height, where a unitless 0 voids the rule and the page slides under the header.)
    <AppShell header={{ height: 64 }} padding={{ base: 'xs', sm: 'lg' }}>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px={{ base: 'sm', sm: 'md' }} justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="md" wrap="nowrap">
            <Anchor
              component={Link}
              to="/"
              fw={700}
              fz={{ base: 'lg', sm: 'xl' }}
              underline="never"
              c="indigo.7"
            >
              {t('app.name')}
            </Anchor>
            {links.length > 0 && (
              <Group
                component="nav"
                aria-label={t('shell.navigation')}
                visibleFrom="sm"
                gap="md"
                wrap="nowrap"
              >
                {links.map((link) => (
                  <Anchor
                    key={link.to}
                    component={NavLink}
                    to={link.to}
                    size="sm"
                    fw={500}
                    style={{ whiteSpace: 'nowrap' }}
                  >
                    {link.label}
                  </Anchor>
                ))}
              </Group>
            )}
          </Group>
          <Group gap={6} wrap="nowrap">
            {user.role === 'agent' && <AvailabilitySwitch user={user} />}
            {staff && <NotificationsLink user={user} />}
            <ConnectionIndicator compact />
            <Stack gap={0} visibleFrom="sm" align="flex-end">
              <Text size="sm" fw={600} lh={1.3}>
                {user.name}
              </Text>
              <Text size="xs" c="dimmed" lh={1.3}>
                {role}
              </Text>
            </Stack>
            {/* A phone has room for the name, availability and connection only; the rest is in a menu. */}
            <Box visibleFrom="sm">
              <LanguageSwitcher compact />
            </Box>
            <Button
              variant="default"
              size="xs"
              flex="none"
              visibleFrom="sm"
              onClick={() => sessionRenewal.signOut('user')}
            >
              {t('shell.signOut')}
            </Button>
            <Box hiddenFrom="sm">
              <PhoneMenu user={user} links={links} />
            </Box>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main id="main" tabIndex={-1}>
        {/* Staff work in wide tables and a two-column ticket view; customers read one column. */}
        <Container size={staff ? 'xl' : 'md'} py="md">
          {/* Desktop notifications are for desktops, explained where the queues are. */}
          {staff && pathname === '/' && (
            <Box visibleFrom="sm">
              <DesktopPermissionCard />
            </Box>
          )}
          <Outlet />
        </Container>
      </AppShell.Main>
      <LiveUpdates key={user.id} user={user} />
      {staff && <StaffPresence key={user.id} user={user} />}
      {staff && <CallRequestPrompt />}
      <Toaster />
    </AppShell>
  );
}
