// /admin/widget: which websites may embed the widget (their origins) and whether visitors may chat
// as guests, with the script tag to paste into the site.
import {
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Paper,
  Stack,
  Switch,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PRIORITIES, type Priority } from '../../../signaling/shared/protocol';
import { QueryState } from '../components/QueryState';
import { api } from '../lib/api';
import { ErrorNotice } from './ErrorNotice';
import { SavedNote } from './SavedNote';

interface WidgetSettings {
  allowedOrigins: string[];
  guestChat: boolean;
  callRequestPriorities: Priority[];
}
const KEY = ['admin', 'widget'] as const;

export function WidgetAdminPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('admin.sections.widget')} · ${t('app.name')}`);
  const settings = useQuery({
    queryKey: KEY,
    queryFn: ({ signal }) => api.request<WidgetSettings>('/api/admin/widget', { signal }),
  });
  return (
    <Stack gap="md">
      <Title order={2} size="h3">
        {t('admin.sections.widget')}
      </Title>
      <QueryState query={settings} loadingLabel={t('admin.loading')}>
        {(data) => <WidgetForm settings={data} />}
      </QueryState>
      <EmbedSnippet />
    </Stack>
  );
}

function WidgetForm({ settings }: { settings: WidgetSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [origins, setOrigins] = useState(settings.allowedOrigins.join('\n'));
  const [guestChat, setGuestChat] = useState(settings.guestChat);
  const [priorities, setPriorities] = useState<Priority[]>(settings.callRequestPriorities);
  const save = useMutation({
    mutationFn: (body: WidgetSettings) =>
      api.request<WidgetSettings>('/api/admin/widget', { method: 'PUT', body }),
    onSuccess: (saved) => {
      queryClient.setQueryData(KEY, saved);
      setOrigins(saved.allowedOrigins.join('\n'));
    },
  });
  const list = origins
    .split(/[\s,]+/)
    .map((o) => o.trim())
    .filter(Boolean);
  return (
    <Paper withBorder p="md">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ allowedOrigins: list, guestChat, callRequestPriorities: priorities });
        }}
      >
        <Stack gap="md">
          <Textarea
            label={t('admin.widget.origins')}
            description={t('admin.widget.originsHint')}
            placeholder="https://www.example.com"
            autosize
            minRows={3}
            value={origins}
            spellCheck={false}
            onChange={(e) => setOrigins(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <Switch
            label={t('admin.widget.guestChat')}
            description={t('admin.widget.guestChatHint')}
            checked={guestChat}
            onChange={(e) => setGuestChat(e.currentTarget.checked)}
          />
          <Checkbox.Group
            label={t('admin.widget.callPriorities')}
            description={t('admin.widget.callPrioritiesHint')}
            value={priorities}
            onChange={(v) => setPriorities(v as Priority[])}
          >
            <Group mt={6}>
              {PRIORITIES.map((p) => (
                <Checkbox key={p} value={p} label={p} />
              ))}
            </Group>
          </Checkbox.Group>
          <ErrorNotice error={save.error} />
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('admin.save')}
            </Button>
            <SavedNote mutation={save} />
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function EmbedSnippet() {
  const { t } = useTranslation();
  const snippet = `<script src="${window.location.origin}/widget.js" data-locale="en" async></script>`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="widget-embed-heading">
      <Stack gap="xs">
        <Title order={3} fz="md" id="widget-embed-heading">
          {t('admin.widget.embedHeading')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('admin.widget.embedHint')}
        </Text>
        <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {snippet}
        </Code>
        <CopyButton value={snippet}>
          {({ copied, copy }) => (
            <Button variant="light" size="xs" w="fit-content" onClick={copy}>
              {copied ? t('admin.widget.copied') : t('admin.widget.copy')}
            </Button>
          )}
        </CopyButton>
      </Stack>
    </Paper>
  );
}
