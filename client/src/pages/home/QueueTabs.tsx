import { Badge, Group, Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { PublicUser } from '../../../../signaling/shared/protocol';
import type { QueueView } from '../../lib/tickets';
import { useUnreadAmong } from '../../notifications/UnreadBadge';
import { useQueue } from '../../tickets/queries';
import { useNow } from '../../tickets/useNow';
import { QueueTable } from './QueueTable';

function QueueCount({ view, me }: { view: QueueView; me: PublicUser }) {
  const { t } = useTranslation();
  const query = useQueue(view);
  const unread = useUnreadAmong(
    me,
    query.data?.map((ticket) => ticket.id),
  );
  if (!query.data) return null;
  const breaching = view === 'breaching' && query.data.length > 0;
  const count = (
    <Badge
      size="sm"
      variant={breaching ? 'filled' : 'light'}
      color={breaching ? 'red' : 'gray'}
      circle={query.data.length < 10}
      aria-label={t('queue.count', { count: query.data.length })}
    >
      {query.data.length}
    </Badge>
  );
  if (unread === 0) return count;
  return (
    <Group gap={4} wrap="nowrap">
      {count}
      <Badge
        size="sm"
        variant="filled"
        color="red"
        circle={unread < 10}
        data-unread-tickets={unread}
        aria-label={t('notifications.unreadInQueue', { count: unread })}
      >
        {unread}
      </Badge>
    </Group>
  );
}

function QueuePanel({ view, me, label }: { view: QueueView; me: PublicUser; label: string }) {
  const { t } = useTranslation();
  const query = useQueue(view);
  const now = useNow(1_000);
  return (
    <QueueTable
      query={query}
      me={me}
      now={now}
      label={label}
      emptyDescription={view === 'following' ? t('queue.emptyFollowing') : undefined}
    />
  );
}

/** Queues as tabs; the chosen one is kept in the address (`?queue=`), so a reload stays on it. */
export function QueueTabs({
  me,
  views,
  defaultView,
}: {
  me: PublicUser;
  views: QueueView[];
  defaultView: QueueView;
}) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('queue');
  const active = views.find((v) => v === requested) ?? defaultView;
  return (
    <Tabs
      value={active}
      onChange={(value) => {
        if (!value) return;
        setParams(
          (p) => {
            const next = new URLSearchParams(p);
            next.set('queue', value);
            return next;
          },
          { replace: true },
        );
      }}
      keepMounted={false}
    >
      <Tabs.List aria-label={t('queue.tabsLabel')} mb="sm">
        {views.map((view) => (
          <Tabs.Tab key={view} value={view} rightSection={<QueueCount view={view} me={me} />}>
            <Group gap={4}>{t(`queue.views.${view}`)}</Group>
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {views.map((view) => (
        <Tabs.Panel key={view} value={view}>
          <QueuePanel view={view} me={me} label={t(`queue.views.${view}`)} />
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
