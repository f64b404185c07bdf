import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PRIORITIES, type Priority, TIERS, type Tier } from '../../../signaling/shared/protocol';
import { QueryState } from '../components/QueryState';
import type { RecordingPolicy } from './api';
import { ErrorNotice } from './ErrorNotice';
import { useAdminSettings, useDemoStatus, useSetDemo, useUpdateSettings } from './queries';
import { SavedNote } from './SavedNote';

/** The recording policy and retention, and the demo switch (both are "what this install does"). */
export function RecordingPolicyPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('admin.sections.recordings')} · ${t('app.name')}`);
  const settings = useAdminSettings();
  return (
    <Stack gap="md">
      <Title order={2} size="h3">
        {t('admin.sections.recordings')}
      </Title>
      <QueryState query={settings} loadingLabel={t('admin.loading')}>
        {(data) => <PolicyForm policy={data.recordingPolicy} />}
      </QueryState>
      <DemoSwitch />
    </Stack>
  );
}

function PolicyForm({ policy }: { policy: RecordingPolicy }) {
  const { t } = useTranslation();
  const save = useUpdateSettings();
  const [draft, setDraft] = useState(policy);
  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Stack gap="md">
          <Checkbox.Group
            label={t('admin.recordings.autoPriorities')}
            description={t('admin.recordings.autoHint')}
            value={draft.autoPriorities}
            onChange={(v) => setDraft({ ...draft, autoPriorities: v as Priority[] })}
          >
            <Group mt={6}>
              {PRIORITIES.map((p) => (
                <Checkbox key={p} value={p} label={p} />
              ))}
            </Group>
          </Checkbox.Group>
          <Checkbox.Group
            label={t('admin.recordings.autoTiers')}
            value={draft.autoTiers}
            onChange={(v) => setDraft({ ...draft, autoTiers: v as Tier[] })}
          >
            <Group mt={6}>
              {TIERS.map((x) => (
                <Checkbox key={x} value={x} label={x} />
              ))}
            </Group>
          </Checkbox.Group>
          <Switch
            label={t('admin.recordings.requireConsent')}
            description={t('admin.recordings.requireConsentHint')}
            checked={draft.requireConsent}
            onChange={(e) => setDraft({ ...draft, requireConsent: e.currentTarget.checked })}
          />
          <NumberInput
            label={t('admin.recordings.retention')}
            description={t('admin.recordings.retentionHint')}
            value={draft.retentionDays}
            min={0}
            max={3650}
            suffix={` ${t('admin.recordings.days')}`}
            onChange={(v) => typeof v === 'number' && setDraft({ ...draft, retentionDays: v })}
            maw={280}
          />
        </Stack>
      </Paper>
      <ErrorNotice error={save.error} />
      <Group>
        <Button onClick={() => save.mutate({ recordingPolicy: draft })} loading={save.isPending}>
          {t('admin.save')}
        </Button>
        <SavedNote mutation={save} />
      </Group>
    </Stack>
  );
}

function DemoSwitch() {
  const { t } = useTranslation();
  const status = useDemoStatus();
  const set = useSetDemo();
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h4" mb="xs">
        {t('admin.demo.title')}
      </Title>
      <QueryState query={status} loadingLabel={t('admin.loading')}>
        {(demo) =>
          demo.accounts === 0 ? (
            <Text size="sm" c="dimmed">
              {t('admin.demo.none')}
            </Text>
          ) : (
            <Stack gap="sm">
              <Switch
                label={t('admin.demo.enabled')}
                description={t('admin.demo.hint', { count: demo.accounts })}
                checked={demo.enabled}
                disabled={set.isPending}
                onChange={(e) => set.mutate(e.currentTarget.checked)}
              />
              {demo.enabled && (
                <Alert color="yellow" variant="light">
                  {t('admin.demo.warning')}
                </Alert>
              )}
              <ErrorNotice error={set.error} />
            </Stack>
          )
        }
      </QueryState>
    </Paper>
  );
}
