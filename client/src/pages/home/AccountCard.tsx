import { DataList, Paper, Stack, Title, useMatches } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PublicUser } from '../../../../signaling/shared/protocol';
import { currentLanguage } from '../../i18n';

export function AccountCard({ user }: { user: PublicUser }) {
  const { t } = useTranslation();
  // Label beside value where there is room; label above value on a phone.
  const orientation = useMatches<'horizontal' | 'vertical'>({ base: 'vertical', sm: 'horizontal' });
  const created = new Date(user.createdAt);
  const memberSince = Number.isNaN(created.getTime())
    ? '—'
    : new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'long' }).format(created);
  return (
    <Stack gap="sm" component="section" aria-labelledby="account-heading">
      <Title order={2} id="account-heading" fz="h4">
        {t('account.heading')}
      </Title>
      <Paper withBorder p="lg">
        <DataList orientation={orientation} labelWidth={160}>
          <DataList.Item>
            <DataList.ItemLabel>{t('account.email')}</DataList.ItemLabel>
            <DataList.ItemValue style={{ overflowWrap: 'anywhere' }}>{user.email}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>{t('account.role')}</DataList.ItemLabel>
            <DataList.ItemValue>{t(`roles.${user.role}`)}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>{t('account.memberSince')}</DataList.ItemLabel>
            <DataList.ItemValue>
              <time dateTime={user.createdAt}>{memberSince}</time>
            </DataList.ItemValue>
          </DataList.Item>
        </DataList>
      </Paper>
    </Stack>
  );
}
