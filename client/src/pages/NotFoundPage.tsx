import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';

/**
 * An address no route knows. `framed`: shown inside the signed-in layout (header and navigation
 * stay, the layout owns `<main>`); otherwise a page of its own for visitors who are not signed in.
 */
export function NotFoundPage({ framed = false }: { framed?: boolean }) {
  const { t } = useTranslation();
  const location = useLocation();
  useDocumentTitle(`${t('notFound.pageTitle')} · ${t('app.name')}`);
  return (
    <Center {...(framed ? { py: 'xl' } : { mih: '100vh', p: 'md', component: 'main' as const })}>
      <Stack align="center" gap="md" maw={520}>
        <Text fw={700} fz={64} c="indigo.2" lh={1} aria-hidden="true">
          404
        </Text>
        <Title order={1}>{t('notFound.heading')}</Title>
        <Text c="dimmed" ta="center">
          {t('notFound.description', { path: location.pathname })}
        </Text>
        <Button component={Link} to="/">
          {t('notFound.home')}
        </Button>
      </Stack>
    </Center>
  );
}
