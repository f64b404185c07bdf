import { Group, Pagination, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { PublicUser } from '../../../signaling/shared/protocol';
import type { QueueFilters, QueueSort, SavedQueueView } from '../../../signaling/shared/queues';
import { QueryState } from '../components/QueryState';
import { formatCount } from '../lib/format';
import { useSession } from '../lib/session';
import { NotFoundPage } from '../pages/NotFoundPage';
import { useNow } from '../tickets/useNow';
import { BulkBar } from './BulkBar';
import { activeFilterCount, type QueueState, readQueueState, writeQueueState } from './filters';
import { QueueResults, type Selection } from './QueueResults';
import { QUEUE_PAGE_SIZE, useQueueSearch } from './queries';
import { SavedViews } from './SavedViews';
import { SearchAndFilters } from './SearchAndFilters';

const BULK_ROLES = ['supervisor', 'admin'];

/**
 * The searchable queue (`/queue`): words, filters and sort live in the address, saved views are
 * tabs with counts, and supervisors select tickets to change them together.
 */
export function QueuePage() {
  const { session: current } = useSession();
  if (!current) return null;
  // Customers have their own list of tickets on the home page; the queue is the team's.
  if (current.user.role === 'customer') return <NotFoundPage framed />;
  return <Queue me={current.user} />;
}

function Queue({ me }: { me: PublicUser }) {
  const { t } = useTranslation();
  useDocumentTitle(`${t('queues.heading')} · Livedesk`);
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readQueueState(params), [params]);
  const now = useNow(1_000);
  const query = useQueueSearch(state.filters, state.sort, state.page);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const canBulk = BULK_ROLES.includes(me.role);

  const go = useCallback(
    (next: Partial<QueueState>, options: { replace?: boolean } = {}) => {
      setParams((current) => writeQueueState({ ...readQueueState(current), page: 1, ...next }), {
        replace: options.replace ?? false,
      });
    },
    [setParams],
  );
  const onChange = useCallback((filters: QueueFilters, sort: QueueSort) => go({ filters, sort }), [go]);
  const onSearch = useCallback(
    (q: string) =>
      setParams(
        (current) => {
          const was = readQueueState(current);
          const filters = { ...was.filters };
          if (q.trim()) filters.q = q.trim();
          else delete filters.q;
          return writeQueueState({ ...was, filters, page: 1 });
        },
        // The first word typed is a step back can return to; the rest refine it in place.
        { replace: Boolean(readQueueState(params).filters.q) && Boolean(q.trim()) },
      ),
    [setParams, params],
  );
  const onSelectView = (view: SavedQueueView | null) =>
    go(
      view
        ? { viewId: view.id, filters: view.filters, sort: view.sort }
        : { viewId: null, filters: {}, sort: 'updated' },
    );

  // Another search is another list: a selection never reaches tickets that are not shown.
  const key = params.toString();
  useEffect(() => {
    void key;
    setSelected(new Set());
  }, [key]);

  const selection: Selection = {
    ids: canBulk ? selected : null,
    toggle: (id) =>
      setSelected((s) => {
        const next = new Set(s);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    setAll: (ids, on) =>
      setSelected((s) => {
        const next = new Set(s);
        for (const id of ids) {
          if (on) next.add(id);
          else next.delete(id);
        }
        return next;
      }),
  };
  const filtered = Boolean(state.filters.q) || activeFilterCount(state.filters) > 0;
  const pages = query.data ? Math.max(1, Math.ceil(query.data.total / QUEUE_PAGE_SIZE)) : 1;

  return (
    <Stack gap="sm" component="section" aria-labelledby="queue-heading">
      <Group justify="space-between" align="baseline">
        <Title order={2} id="queue-heading">
          {t('queues.heading')}
        </Title>
        {query.data && (
          <Text size="sm" c="dimmed" role="status" aria-live="polite">
            {query.data.totalCapped
              ? t('queues.results.totalCapped', { shown: formatCount(query.data.total, true) })
              : t('queues.results.total', { count: query.data.total })}
          </Text>
        )}
      </Group>
      <SavedViews viewId={state.viewId} filters={state.filters} sort={state.sort} onSelect={onSelectView} />
      <SearchAndFilters filters={state.filters} sort={state.sort} onChange={onChange} onSearch={onSearch} />
      {canBulk && (
        <BulkBar
          selected={[...selected]}
          onDone={(refused) => setSelected(new Set(refused))}
          onClear={() => setSelected(new Set())}
        />
      )}
      <div aria-busy={query.isFetching} style={{ opacity: query.isPlaceholderData ? 0.6 : 1 }}>
        <QueryState
          query={query}
          loadingLabel={t('queues.results.loading')}
          loading={{ skeleton: 6, height: 22 }}
          errorTitle={t('queues.results.loadFailed')}
        >
          {(page) => (
            <QueueResults tickets={page.items} me={me} now={now} selection={selection} filtered={filtered} />
          )}
        </QueryState>
      </div>
      {pages > 1 && (
        <Group justify="center">
          <Pagination
            total={pages}
            value={Math.min(state.page, pages)}
            onChange={(page) => go({ page })}
            size="sm"
            getControlProps={(control) => ({ 'aria-label': t(`queues.results.${control}`) })}
          />
        </Group>
      )}
    </Stack>
  );
}
