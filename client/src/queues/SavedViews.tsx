import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Menu,
  Modal,
  ScrollArea,
  Stack,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueFilters, QueueSort, SavedQueueView } from '../../../signaling/shared/queues';
import { describeError } from '../errors';
import { formatCount } from '../lib/format';
import { toasts } from '../lib/toasts';
import { sameFilters } from './filters';
import { useDeleteView, useSavedViews, useSaveView } from './queries';

const ALL = 'all';

/**
 * The person's saved views as tabs, each with its count, and what can be done with them: save the
 * current filters as a new view, save changes to the chosen one, rename it, delete it.
 */
export function SavedViews({
  viewId,
  filters,
  sort,
  onSelect,
}: {
  viewId: string | null;
  filters: QueueFilters;
  sort: QueueSort;
  onSelect: (view: SavedQueueView | null) => void;
}) {
  const { t } = useTranslation();
  const views = useSavedViews();
  const save = useSaveView();
  const remove = useDeleteView();
  const [naming, setNaming] = useState<{ mode: 'create' | 'rename'; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = views.data?.find((v) => v.id === viewId) ?? null;
  const modified = current !== null && (!sameFilters(current.filters, filters) || current.sort !== sort);

  const submitName = () => {
    if (!naming) return;
    setError(null);
    const input =
      naming.mode === 'create'
        ? { name: naming.name, filters, sort }
        : { id: current!.id, name: naming.name };
    save.mutate(input, {
      onSuccess: (view) => {
        setNaming(null);
        toasts.show({ title: t('queues.views.saved', { name: view.name }), color: 'teal' });
        if (naming.mode === 'create') onSelect(view);
      },
      onError: (err) => setError(describeError(err, t)),
    });
  };

  return (
    <Group gap="xs" wrap="nowrap" align="center">
      <ScrollArea type="auto" scrollbarSize={6} style={{ flex: 1, minWidth: 0 }}>
        <Tabs
          value={current ? current.id : ALL}
          onChange={(value) =>
            onSelect(value === ALL ? null : (views.data?.find((v) => v.id === value) ?? null))
          }
          variant="pills"
          activateTabWithKeyboard
        >
          <Tabs.List aria-label={t('queues.views.label')} style={{ flexWrap: 'nowrap' }}>
            <Tabs.Tab value={ALL}>{t('queues.views.all')}</Tabs.Tab>
            {(views.data ?? []).map((view) => (
              <Tabs.Tab
                key={view.id}
                value={view.id}
                rightSection={
                  <Badge
                    size="sm"
                    variant="light"
                    color="gray"
                    aria-label={
                      view.countCapped
                        ? t('queues.results.totalCapped', { shown: formatCount(view.count, true) })
                        : t('queue.count', { count: view.count })
                    }
                  >
                    {formatCount(view.count, view.countCapped)}
                  </Badge>
                }
              >
                <Text span size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {view.name}
                  {view.id === current?.id && modified ? ' *' : ''}
                </Text>
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
      </ScrollArea>
      {views.isError && (
        <Text size="xs" c="red">
          {t('queues.views.loadFailed')}
        </Text>
      )}
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="default" size="lg" aria-label={t('queues.views.actions')}>
            <span aria-hidden="true">⋯</span>
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => setNaming({ mode: 'create', name: '' })}>
            {t('queues.views.saveAs')}
          </Menu.Item>
          {current && (
            <>
              <Menu.Item
                disabled={!modified}
                onClick={() =>
                  save.mutate(
                    { id: current.id, filters, sort },
                    {
                      onSuccess: () =>
                        toasts.show({
                          title: t('queues.views.saved', { name: current.name }),
                          color: 'teal',
                        }),
                      onError: (err) =>
                        toasts.show({
                          title: t('queues.views.saveFailed'),
                          message: describeError(err, t),
                          color: 'red',
                        }),
                    },
                  )
                }
              >
                {t('queues.views.update')}
              </Menu.Item>
              <Menu.Item onClick={() => setNaming({ mode: 'rename', name: current.name })}>
                {t('queues.views.rename')}
              </Menu.Item>
              <Menu.Item
                color="red"
                onClick={() =>
                  remove.mutate(current.id, {
                    onSuccess: () => {
                      toasts.show({
                        title: t('queues.views.deleted', { name: current.name }),
                        color: 'teal',
                      });
                      onSelect(null);
                    },
                    onError: (err) =>
                      toasts.show({
                        title: t('queues.views.saveFailed'),
                        message: describeError(err, t),
                        color: 'red',
                      }),
                  })
                }
              >
                {t('queues.views.delete')}
              </Menu.Item>
            </>
          )}
        </Menu.Dropdown>
      </Menu>
      <Modal
        opened={naming !== null}
        onClose={() => setNaming(null)}
        title={naming?.mode === 'rename' ? t('queues.views.rename') : t('queues.views.saveAs')}
        centered
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submitName();
          }}
        >
          <Stack gap="sm">
            <TextInput
              label={t('queues.views.name')}
              description={naming?.mode === 'create' ? t('queues.views.nameHint') : undefined}
              value={naming?.name ?? ''}
              onChange={(e) => {
                const name = e.currentTarget.value;
                setNaming((n) => (n ? { ...n, name } : n));
              }}
              maxLength={60}
              required
              data-autofocus
              error={error}
            />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={() => setNaming(null)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={save.isPending} disabled={!naming?.name.trim()}>
                {t('queues.views.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Group>
  );
}
