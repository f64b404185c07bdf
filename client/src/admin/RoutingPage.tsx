import { Button, Group, NumberInput, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../components/QueryState';
import type { Settings } from './api';
import { ErrorNotice } from './ErrorNotice';
import { useAdminSettings, useUpdateSettings } from './queries';
import { SavedNote } from './SavedNote';

export function RoutingPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('admin.sections.routing')} · ${t('app.name')}`);
  const settings = useAdminSettings();
  return (
    <Stack gap="md">
      <Title order={2} size="h3">
        {t('admin.sections.routing')}
      </Title>
      <QueryState query={settings} loadingLabel={t('admin.loading')}>
        {(data) => <RoutingForm settings={data} />}
      </QueryState>
    </Stack>
  );
}

function RoutingForm({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const save = useUpdateSettings();
  const [autoAssign, setAutoAssign] = useState(settings.autoAssign);
  const [routing, setRouting] = useState(settings.routing);
  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Stack gap="md">
          <Switch
            label={t('admin.routing.autoAssign')}
            description={t('admin.routing.autoAssignHint')}
            checked={autoAssign}
            onChange={(e) => setAutoAssign(e.currentTarget.checked)}
          />
          <Switch
            label={t('admin.routing.bySkills')}
            description={t('admin.routing.bySkillsHint')}
            checked={routing.bySkills}
            disabled={!autoAssign}
            onChange={(e) => setRouting({ ...routing, bySkills: e.currentTarget.checked })}
          />
          <Switch
            label={t('admin.routing.byLoad')}
            description={t('admin.routing.byLoadHint')}
            checked={routing.byLoad}
            disabled={!autoAssign}
            onChange={(e) => setRouting({ ...routing, byLoad: e.currentTarget.checked })}
          />
          <NumberInput
            label={t('admin.routing.maxOpen')}
            description={t('admin.routing.maxOpenHint')}
            placeholder={t('admin.routing.noLimit')}
            value={routing.maxOpenPerAgent ?? ''}
            min={1}
            max={1000}
            disabled={!autoAssign}
            onChange={(v) => setRouting({ ...routing, maxOpenPerAgent: typeof v === 'number' ? v : null })}
            maw={280}
          />
          <Text size="sm" c="dimmed">
            {t('admin.routing.tierNote')}
          </Text>
        </Stack>
      </Paper>
      <ErrorNotice error={save.error} />
      <Group>
        <Button onClick={() => save.mutate({ autoAssign, routing })} loading={save.isPending}>
          {t('admin.save')}
        </Button>
        <SavedNote mutation={save} />
      </Group>
    </Stack>
  );
}
