import {
  Alert,
  Anchor,
  Button,
  EmptyState,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { PRIORITIES, type PublicUser, TIERS } from '../../../signaling/shared/protocol';
import { QueryState } from '../components/QueryState';
import { describeError } from '../errors';
import { formatDateTime, formatDuration, formatNumber } from '../lib/format';
import { useSession } from '../lib/session';
import { RecordingStatusBadge } from '../recording/RecordingStatusBadge';
import { PriorityBadge, TierBadge } from '../tickets/badges';
import { useAgents } from '../tickets/queries';
import type { RecordingFilters, RecordingListItem } from './api';
import { useRecordings } from './queries';
import { recordingSize } from './size';

const FILTER_KEYS = ['agent', 'tier', 'priority', 'from', 'to', 'minScore'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

const isDay = (value: string | null): value is string => !!value && /^\d{4}-\d{2}-\d{2}$/.test(value);

/** A `YYYY-MM-DD` from a date input as the start (or end) of that day in the reviewer's time zone. */
function dayBound(day: string, end: boolean): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = end ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d);
  return date.toISOString();
}

/** The filters live in the address, so a reload or a shared link shows the same list. */
function useFilters() {
  const [params, setParams] = useSearchParams();
  const raw = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k)])) as Record<
    FilterKey,
    string | null
  >;
  const filters = useMemo<RecordingFilters>(() => {
    const f: RecordingFilters = {};
    if (raw.agent) f.agentId = raw.agent;
    if (raw.tier && (TIERS as readonly string[]).includes(raw.tier))
      f.tier = raw.tier as RecordingFilters['tier'];
    if (raw.priority && (PRIORITIES as readonly string[]).includes(raw.priority))
      f.priority = raw.priority as RecordingFilters['priority'];
    if (isDay(raw.from)) f.from = dayBound(raw.from, false);
    if (isDay(raw.to)) f.to = dayBound(raw.to, true);
    const min = Number(raw.minScore);
    if (raw.minScore && Number.isFinite(min) && min >= 0) f.minScore = min;
    return f;
  }, [raw.agent, raw.tier, raw.priority, raw.from, raw.to, raw.minScore]);
  const set = (key: FilterKey, value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const clear = () => setParams(new URLSearchParams(), { replace: true });
  const active = FILTER_KEYS.some((k) => raw[k]);
  return { raw, filters, set, clear, active };
}

function Filters({ me, state }: { me: PublicUser; state: ReturnType<typeof useFilters> }) {
  const { t } = useTranslation();
  const agents = useAgents(me.role !== 'agent');
  const { raw, set } = state;
  return (
    <Paper withBorder p="md" component="form" role="search" aria-label={t('qa.filters.label')}>
      <SimpleGrid cols={{ base: 1, xs: 2, md: me.role === 'agent' ? 5 : 6 }} spacing="sm">
        {me.role !== 'agent' && (
          <Select
            label={t('qa.filters.agent')}
            placeholder={t('qa.filters.anyAgent')}
            data={(agents.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
            value={raw.agent}
            onChange={(value) => set('agent', value)}
            clearable
            searchable
            nothingFoundMessage={agents.isError ? describeError(agents.error, t) : undefined}
          />
        )}
        <Select
          label={t('qa.filters.tier')}
          placeholder={t('qa.filters.any')}
          data={TIERS.map((tier) => ({ value: tier, label: tier }))}
          value={raw.tier}
          onChange={(value) => set('tier', value)}
          clearable
        />
        <Select
          label={t('qa.filters.priority')}
          placeholder={t('qa.filters.any')}
          data={PRIORITIES.map((p) => ({ value: p, label: p }))}
          value={raw.priority}
          onChange={(value) => set('priority', value)}
          clearable
        />
        <TextInput
          type="date"
          label={t('qa.filters.from')}
          value={raw.from ?? ''}
          max={raw.to ?? undefined}
          onChange={(e) => set('from', e.currentTarget.value || null)}
        />
        <TextInput
          type="date"
          label={t('qa.filters.to')}
          value={raw.to ?? ''}
          min={raw.from ?? undefined}
          onChange={(e) => set('to', e.currentTarget.value || null)}
        />
        <NumberInput
          label={t('qa.filters.minScore')}
          description={t('qa.filters.minScoreHint')}
          min={0}
          max={1000}
          step={1}
          allowNegative={false}
          value={raw.minScore ?? ''}
          onChange={(value) => set('minScore', value === '' ? null : String(value))}
        />
      </SimpleGrid>
      {state.active && (
        <Group justify="flex-end" mt="sm">
          <Button variant="subtle" size="xs" onClick={state.clear}>
            {t('qa.filters.clear')}
          </Button>
        </Group>
      )}
    </Paper>
  );
}

function RecordingsTable({ items, label }: { items: RecordingListItem[]; label: string }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table highlightOnHover verticalSpacing="xs" aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('qa.columns.started')}</Table.Th>
            <Table.Th>{t('qa.columns.ticket')}</Table.Th>
            <Table.Th>{t('qa.columns.agent')}</Table.Th>
            <Table.Th>{t('qa.columns.tier')}</Table.Th>
            <Table.Th>{t('qa.columns.priority')}</Table.Th>
            <Table.Th ta="right">{t('qa.columns.duration')}</Table.Th>
            <Table.Th ta="right">{t('qa.columns.size')}</Table.Th>
            <Table.Th ta="right">{t('qa.columns.score')}</Table.Th>
            <Table.Th>{t('qa.columns.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((r) => (
            <Table.Tr key={r.id} data-recording-id={r.id}>
              <Table.Td>
                <time dateTime={r.startedAt}>{formatDateTime(r.startedAt)}</time>
              </Table.Td>
              <Table.Td maw={340}>
                <Stack gap={0}>
                  <Anchor
                    component={Link}
                    to={`/qa/recordings/${r.id}`}
                    fw={500}
                    lineClamp={2}
                    aria-label={t('qa.openRecording', { number: r.ticketNumber, subject: r.subject })}
                  >
                    {r.subject}
                  </Anchor>
                  <Anchor component={Link} to={`/tickets/${r.ticketId}`} size="xs" c="dimmed">
                    {t('qa.ticketNumber', { number: r.ticketNumber })}
                  </Anchor>
                </Stack>
              </Table.Td>
              <Table.Td>{r.agent.name}</Table.Td>
              <Table.Td>
                <TierBadge tier={r.tier} />
              </Table.Td>
              <Table.Td>
                <PriorityBadge priority={r.priority} />
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                {r.durationSeconds === null ? '—' : formatDuration(r.durationSeconds, { maxUnits: 2 })}
              </Table.Td>
              <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                {recordingSize(r, t) ?? '—'}
              </Table.Td>
              <Table.Td ta="right">
                {r.score === null ? (
                  <Text span size="sm" c="dimmed" title={t('qa.notScored')}>
                    <span aria-hidden="true">—</span>
                    <VisuallyHidden>{t('qa.notScored')}</VisuallyHidden>
                  </Text>
                ) : (
                  <Text span fw={600} data-score={r.score}>
                    {formatNumber(r.score, { maximumFractionDigits: 1 })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <RecordingStatusBadge status={r.status} error={r.error} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** `/qa`: recorded calls with filters (QA reviewers, supervisors, admins; agents their own calls). */
export function QaPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const state = useFilters();
  const me = session?.user;
  const allowed = me !== undefined && me.role !== 'customer';
  const query = useRecordings(state.filters, allowed);
  const heading = me?.role === 'agent' ? t('qa.myHeading') : t('qa.heading');
  useDocumentTitle(`${heading} · Livedesk`);
  if (!me) return null;
  if (!allowed) {
    return (
      <Alert color="gray" title={t('qa.forbiddenTitle')} maw={560} mx="auto">
        {t('qa.forbiddenBody')}
      </Alert>
    );
  }

  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Title order={1}>{heading}</Title>
        <Text c="dimmed">{me.role === 'agent' ? t('qa.myIntro') : t('qa.intro')}</Text>
      </Stack>
      <Filters me={me} state={state} />
      <QueryState
        query={query}
        loadingLabel={t('qa.loading')}
        loading={{ skeleton: 4, height: 22 }}
        errorTitle={t('qa.loadFailed')}
        retryLabel={t('qa.retry')}
      >
        {(data) =>
          data.length === 0 ? (
            <Paper withBorder p="xl">
              <EmptyState
                title={state.active ? t('qa.emptyFilteredTitle') : t('qa.emptyTitle')}
                description={state.active ? t('qa.emptyFilteredDescription') : t('qa.emptyDescription')}
              />
            </Paper>
          ) : (
            <Paper
              withBorder
              style={{ opacity: query.isPlaceholderData ? 0.6 : 1 }}
              aria-busy={query.isFetching}
            >
              <RecordingsTable items={data} label={heading} />
              <Text size="xs" c="dimmed" p="xs" ta="right">
                {t('qa.count', { count: data.length })}
              </Text>
            </Paper>
          )
        }
      </QueryState>
    </Stack>
  );
}
