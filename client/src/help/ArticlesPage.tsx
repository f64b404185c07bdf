// /articles: the staff side of the help centre — the article list (drafts and published), the
// article tasks of solved tickets, the deflection rate, and (admins) the help settings.
import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PublicUser } from '../../../signaling/shared/protocol';
import { QueryState } from '../components/QueryState';
import { describeError } from '../errors';
import { formatDateTime } from '../lib/format';
import { useSession } from '../lib/session';
import { type HelpSettings, helpApi, helpKeys } from './api';

export const canAuthorArticles = (user: Pick<PublicUser, 'role'>) =>
  user.role === 'agent' || user.role === 'supervisor' || user.role === 'admin';

export function ArticlesPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('help.staff.heading')} · ${t('app.name')}`);
  const { session } = useSession();
  const [status, setStatus] = useState('');
  const [locale, setLocale] = useState('');
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 300);
  const filter = { status, locale, q };
  const list = useQuery({ queryKey: helpKeys.list(filter), queryFn: () => helpApi.list(filter) });
  const role = session?.user.role;
  if (!session || !canAuthorArticles(session.user)) {
    return <Text>{t('help.staff.noAccess')}</Text>;
  }
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1}>{t('help.staff.heading')}</Title>
        <Group gap="xs">
          <Button component={Link} to="/help" variant="default" target="_blank">
            {t('help.staff.openPublic')}
          </Button>
          <Button component={Link} to="/articles/new">
            {t('help.staff.new')}
          </Button>
        </Group>
      </Group>
      <ArticleTasksCard />
      {(role === 'supervisor' || role === 'admin') && <DeflectionCard />}
      <Paper withBorder p="md" component="section" aria-labelledby="articles-heading">
        <Title order={2} fz="lg" id="articles-heading" mb="sm">
          {t('help.staff.articles')}
        </Title>
        <Group gap="sm" mb="sm" grow preventGrowOverflow={false} wrap="wrap">
          <TextInput
            type="search"
            label={t('help.staff.filterText')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <NativeSelect
            label={t('help.staff.status')}
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value)}
            data={[
              { value: '', label: t('help.staff.any') },
              { value: 'draft', label: t('help.status.draft') },
              { value: 'published', label: t('help.status.published') },
            ]}
          />
          <NativeSelect
            label={t('help.staff.language')}
            value={locale}
            onChange={(e) => setLocale(e.currentTarget.value)}
            data={[
              { value: '', label: t('help.staff.any') },
              { value: 'en', label: 'English' },
              { value: 'zh-CN', label: '中文' },
            ]}
          />
        </Group>
        <QueryState query={list} loadingLabel={t('help.loading')}>
          {({ items }) =>
            items.length === 0 ? (
              <Text c="dimmed">{t('help.staff.empty')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={560}>
                <Table highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('help.staff.title')}</Table.Th>
                      <Table.Th>{t('help.staff.status')}</Table.Th>
                      <Table.Th>{t('help.staff.category')}</Table.Th>
                      <Table.Th>{t('help.staff.helpful')}</Table.Th>
                      <Table.Th>{t('help.staff.updated')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((a) => (
                      <Table.Tr key={a.id}>
                        <Table.Td>
                          <Anchor component={Link} to={`/articles/${a.id}`}>
                            {a.title}
                          </Anchor>{' '}
                          <Badge size="xs" variant="outline" color="gray">
                            {a.locale}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          <Group gap={4}>
                            <Badge color={a.status === 'published' ? 'teal' : 'gray'} variant="light">
                              {t(`help.status.${a.status}`)}
                            </Badge>
                            {a.status === 'published' && a.hasUnpublishedChanges && (
                              <Badge color="orange" variant="light">
                                {t('help.staff.unpublishedChanges')}
                              </Badge>
                            )}
                          </Group>
                        </Table.Td>
                        <Table.Td>{t(`ticket.category.${a.category as 'other'}`)}</Table.Td>
                        <Table.Td>
                          👍 {a.helpfulYes} · 👎 {a.helpfulNo}
                        </Table.Td>
                        <Table.Td>{formatDateTime(a.updatedAt)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </QueryState>
      </Paper>
      {role === 'admin' && <HelpSettingsCard />}
    </Stack>
  );
}

/** The article tasks of solved tickets: an agent's own, a supervisor's whole team's. */
export function ArticleTasksCard() {
  const { t } = useTranslation();
  const tasks = useQuery({ queryKey: helpKeys.tasks('open'), queryFn: () => helpApi.tasks('open') });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="tasks-heading">
      <Title order={2} fz="lg" id="tasks-heading" mb="xs">
        {t('help.tasks.heading')}
      </Title>
      <QueryState query={tasks} loadingLabel={t('help.loading')}>
        {({ items }) =>
          items.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('help.tasks.empty')}
            </Text>
          ) : (
            <Stack gap={6} data-testid="article-tasks">
              {items.map((task) => (
                <Group key={task.id} gap="xs" wrap="wrap">
                  <Anchor component={Link} to={`/tickets/${task.ticket.id}`}>
                    #{task.ticket.number} {task.ticket.subject}
                  </Anchor>
                  <Badge variant="light" color="gray">
                    {t(`ticket.category.${task.category as 'other'}`)}
                  </Badge>
                  <Text size="sm" c={task.overdue ? 'red' : 'dimmed'}>
                    {task.overdue
                      ? t('help.tasks.overdue')
                      : t('help.tasks.due', { at: formatDateTime(task.dueAt) })}
                  </Text>
                  {task.agent && (
                    <Text size="sm" c="dimmed">
                      · {task.agent.name}
                    </Text>
                  )}
                </Group>
              ))}
            </Stack>
          )
        }
      </QueryState>
    </Paper>
  );
}

function DeflectionCard() {
  const { t, i18n } = useTranslation();
  const stats = useQuery({ queryKey: ['help', 'deflection'], queryFn: () => helpApi.deflectionStats() });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="deflection-heading">
      <Title order={2} fz="lg" id="deflection-heading" mb="xs">
        {t('help.deflection.heading')}
      </Title>
      <QueryState query={stats} loadingLabel={t('help.loading')}>
        {(s) => (
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <Stat
              label={t('help.deflection.rate')}
              value={s.rate.toLocaleString(i18n.language, { style: 'percent', maximumFractionDigits: 1 })}
            />
            <Stat label={t('help.deflection.shown')} value={String(s.sessionsShown)} />
            <Stat label={t('help.deflection.deflected')} value={String(s.deflected)} />
            <Stat label={t('help.deflection.submittedAnyway')} value={String(s.submittedAnyway)} />
          </SimpleGrid>
        )}
      </QueryState>
    </Paper>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="xl" fw={700}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}

function synonymsToText(list: HelpSettings['synonyms']) {
  return list.map((s) => `${s.from} => ${s.to}`).join('\n');
}

function textToSynonyms(text: string): HelpSettings['synonyms'] | null {
  const out: HelpSettings['synonyms'] = [];
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const [from, to, ...rest] = line.split('=>').map((p) => p.trim());
    if (!from || !to || rest.length) return null;
    out.push({ from, to });
  }
  return out;
}

function HelpSettingsCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: helpKeys.settings, queryFn: () => helpApi.settings() });
  const [roles, setRoles] = useState<HelpSettings['publishRoles']>([]);
  const [synonyms, setSynonyms] = useState('');
  const [hours, setHours] = useState<number>(48);
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    if (!settings.data) return;
    setRoles(settings.data.publishRoles);
    setSynonyms(synonymsToText(settings.data.synonyms));
    setHours(settings.data.articleTaskDueHours);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (body: HelpSettings) => helpApi.saveSettings(body),
    onSuccess: (data) => queryClient.setQueryData(helpKeys.settings, data),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="help-settings-heading">
      <Title order={2} fz="lg" id="help-settings-heading" mb="sm">
        {t('help.settings.heading')}
      </Title>
      <QueryState query={settings} loadingLabel={t('help.loading')}>
        {() => (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const parsed = textToSynonyms(synonyms);
              setInvalid(!parsed);
              if (parsed && roles.length > 0)
                save.mutate({ publishRoles: roles, synonyms: parsed, articleTaskDueHours: hours });
            }}
          >
            <Stack gap="sm">
              <Checkbox.Group
                label={t('help.settings.publishRoles')}
                value={roles}
                onChange={(v) => setRoles(v as HelpSettings['publishRoles'])}
                error={roles.length === 0 ? t('help.settings.rolesRequired') : undefined}
              >
                <Group gap="md" mt={4}>
                  {(['agent', 'supervisor', 'admin'] as const).map((r) => (
                    <Checkbox key={r} value={r} label={t(`roles.${r}`)} />
                  ))}
                </Group>
              </Checkbox.Group>
              <Textarea
                label={t('help.settings.synonyms')}
                description={t('help.settings.synonymsHint')}
                autosize
                minRows={4}
                maxRows={14}
                value={synonyms}
                error={invalid ? t('help.settings.synonymsInvalid') : undefined}
                onChange={(e) => setSynonyms(e.currentTarget.value)}
              />
              <NumberInput
                label={t('help.settings.taskHours')}
                min={1}
                max={720}
                value={hours}
                onChange={(v) => setHours(typeof v === 'number' ? v : 48)}
                maw={200}
              />
              {save.isError && (
                <Text c="red" size="sm" role="alert">
                  {describeError(save.error, t)}
                </Text>
              )}
              {save.isSuccess && (
                <Text c="teal" size="sm" role="status">
                  {t('help.settings.saved')}
                </Text>
              )}
              <Group>
                <Button type="submit" loading={save.isPending}>
                  {t('help.save')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </QueryState>
    </Paper>
  );
}
