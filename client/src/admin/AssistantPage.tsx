import { Button, Checkbox, Group, Paper, Radio, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BotSettings, BotSettingsView } from '../../../signaling/shared/bot';
import { CHANNELS, type Channel } from '../../../signaling/shared/protocol';
import { botApi } from '../bot/api';
import { QueryState } from '../components/QueryState';
import { ErrorNotice } from './ErrorNotice';
import { SavedNote } from './SavedNote';

const KEY = ['admin', 'bot'];

/** The Livedesk assistant's switch (auto / on / off) and the channels it answers on. */
export function AssistantPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('admin.sections.assistant')} · ${t('app.name')}`);
  const settings = useQuery({ queryKey: KEY, queryFn: () => botApi.settings() });
  return (
    <Stack gap="md">
      <Title order={2} size="h3">
        {t('admin.sections.assistant')}
      </Title>
      <Text size="sm" c="dimmed" maw={720}>
        {t('bot.admin.intro')}
      </Text>
      <QueryState query={settings} loadingLabel={t('admin.loading')}>
        {(data) => <AssistantForm settings={data} />}
      </QueryState>
    </Stack>
  );
}

function AssistantForm({ settings }: { settings: BotSettingsView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState(settings.mode);
  const [channels, setChannels] = useState<Channel[]>(settings.channels);
  const save = useMutation({
    mutationFn: (next: BotSettings) => botApi.saveSettings(next),
    onSuccess: (view) => queryClient.setQueryData(KEY, view),
  });
  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Stack gap="md">
          <Radio.Group
            label={t('bot.admin.mode')}
            value={mode}
            onChange={(value) => setMode(value as BotSettings['mode'])}
          >
            <Stack gap={6} mt={6}>
              <Radio value="auto" label={t('bot.admin.modeAuto')} />
              <Radio value="on" label={t('bot.admin.modeOn')} />
              <Radio value="off" label={t('bot.admin.modeOff')} />
            </Stack>
          </Radio.Group>
          <Checkbox.Group
            label={t('bot.admin.channels')}
            description={t('bot.admin.channelsHint')}
            value={channels}
            onChange={(value) => setChannels(CHANNELS.filter((c) => value.includes(c)))}
          >
            <Group gap="md" mt={6}>
              {CHANNELS.map((channel) => (
                <Checkbox
                  key={channel}
                  value={channel}
                  label={t(`ticket.channel.${channel}` as 'ticket.channel.portal', { defaultValue: channel })}
                  disabled={mode === 'off'}
                />
              ))}
            </Group>
          </Checkbox.Group>
          <Text size="sm" c={settings.active ? 'teal.8' : 'dimmed'} role="status">
            {settings.active ? t('bot.admin.activeNow') : t('bot.admin.inactiveNow')} ·{' '}
            {t('bot.admin.published', { count: settings.publishedArticles })}
          </Text>
        </Stack>
      </Paper>
      <ErrorNotice error={save.error} />
      <Group>
        <Button onClick={() => save.mutate({ mode, channels })} loading={save.isPending}>
          {t('admin.save')}
        </Button>
        <SavedNote mutation={save} />
      </Group>
    </Stack>
  );
}
