import { Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** The staff areas whose tools arrive in later releases: a heading and what the area is for. */
export function RoleSummary({ area }: { area: 'supervisor' | 'qa' | 'admin' }) {
  const { t } = useTranslation();
  const headingId = `${area}-heading`;
  return (
    <Stack gap="sm" component="section" aria-labelledby={headingId}>
      <Title order={2} id={headingId}>
        {t(`home.${area}.heading`)}
      </Title>
      <Paper withBorder p="lg">
        <Text>{t(`home.${area}.description`)}</Text>
        {area === 'qa' && (
          <Button component={Link} to="/qa" mt="md">
            {t('qa.openArea')}
          </Button>
        )}
      </Paper>
    </Stack>
  );
}
