import { Alert, Box, Grid, NativeSelect, NavLink, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, NavLink as RouterNavLink, useLocation, useNavigate } from 'react-router';
import { useSession } from '../lib/session';
import { sectionsFor } from './sections';

/**
 * The /admin frame: the sections the signed-in role may open, as a side navigation on wide
 * screens and a select on phones, and the section's page beside it. Someone whose role opens no
 * section is told so instead of seeing an empty frame.
 */
export function AdminLayout() {
  const { t } = useTranslation();
  const { session: current } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  if (!current) return null;
  const sections = sectionsFor(current.user.role);
  if (sections.length === 0) {
    return (
      <Alert color="red" title={t('admin.forbiddenTitle')} role="alert">
        {t('admin.forbidden')}
      </Alert>
    );
  }
  const active = sections.find((s) => location.pathname.startsWith(`/admin/${s.path}`));
  if (!active) return <Navigate to={`/admin/${sections[0]!.path}`} replace />;
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        {t('admin.heading')}
      </Title>
      <Box hiddenFrom="sm">
        <NativeSelect
          label={t('admin.section')}
          value={active.path}
          data={sections.map((s) => ({ value: s.path, label: t(s.labelKey) }))}
          onChange={(e) => navigate(`/admin/${e.currentTarget.value}`)}
        />
      </Box>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, sm: 3, lg: 2 }} visibleFrom="sm">
          <Box component="nav" aria-label={t('admin.navigation')}>
            {sections.map((s) => (
              <NavLink
                key={s.path}
                component={RouterNavLink}
                to={`/admin/${s.path}`}
                label={t(s.labelKey)}
                active={s === active}
              />
            ))}
          </Box>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 9, lg: 10 }}>
          <Outlet />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
