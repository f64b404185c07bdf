import { Alert, Button, Group, List, Modal, Paper, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PRIORITIES } from '../../../signaling/shared/domain';
import type { BulkResult } from '../../../signaling/shared/queues';
import { describeError, describeRefusal } from '../errors';
import { toasts } from '../lib/toasts';
import { useAgents } from '../tickets/queries';
import type { BulkRequest } from './api';
import { useBulkChange } from './queries';

const UNASSIGN = '__unassign__';

/**
 * What a supervisor does with the selected tickets: assign (or unassign), set the priority, close.
 * The server changes each ticket on its own; the tickets it refused stay selected and are listed
 * with the reason, the others are deselected.
 */
export function BulkBar({
  selected,
  onDone,
  onClear,
}: {
  selected: string[];
  /** After a change: the ids that were refused (they stay selected). */
  onDone: (refused: string[]) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const agents = useAgents();
  const bulk = useBulkChange();
  const [confirmClose, setConfirmClose] = useState(false);
  const [report, setReport] = useState<BulkResult | null>(null);

  const run = (request: BulkRequest) => {
    setReport(null);
    bulk.mutate(request, {
      onSuccess: (result) => {
        toasts.show({
          title: t('queues.bulk.done', { succeeded: result.succeeded, failed: result.failed }),
          color: result.failed ? 'orange' : 'teal',
        });
        if (result.failed) setReport(result);
        onDone(result.results.filter((r) => !r.ok).map((r) => r.ticketId));
      },
      onError: (err) =>
        toasts.show({ title: t('queues.bulk.failed'), message: describeError(err, t), color: 'red' }),
    });
  };

  return (
    <Stack gap="xs">
      {selected.length > 0 && (
        <Paper withBorder p="xs" role="region" aria-label={t('queues.bulk.label')}>
          <Group gap="xs" wrap="wrap" align="center">
            <Text size="sm" fw={600}>
              {t('queues.select.selected', { count: selected.length })}
            </Text>
            <Select
              aria-label={t('queues.bulk.assign')}
              placeholder={t('queues.bulk.assign')}
              data={[
                { value: UNASSIGN, label: t('queues.bulk.unassign') },
                ...(agents.data ?? []).map((a) => ({ value: a.id, label: `${a.name} (${a.tier})` })),
              ]}
              value={null}
              onChange={(value) =>
                value &&
                run({ action: 'assign', ticketIds: selected, assigneeId: value === UNASSIGN ? null : value })
              }
              searchable
              size="xs"
              w={{ base: '100%', xs: 200 }}
              disabled={bulk.isPending}
            />
            <Select
              aria-label={t('queues.bulk.priority')}
              placeholder={t('queues.bulk.priority')}
              data={PRIORITIES.map((p) => ({ value: p, label: `${p} · ${t(`ticket.priorityName.${p}`)}` }))}
              value={null}
              onChange={(value) =>
                value && run({ action: 'priority', ticketIds: selected, priority: value as 'P1' })
              }
              size="xs"
              w={{ base: '100%', xs: 170 }}
              disabled={bulk.isPending}
            />
            <Button
              size="xs"
              color="red"
              variant="light"
              onClick={() => setConfirmClose(true)}
              loading={bulk.isPending}
            >
              {t('queues.bulk.close')}
            </Button>
            <Button size="xs" variant="subtle" onClick={onClear}>
              {t('queues.select.clear')}
            </Button>
          </Group>
        </Paper>
      )}
      {report && (
        <Alert
          color="orange"
          title={t('queues.bulk.refusedTitle', { count: report.failed })}
          withCloseButton
          onClose={() => setReport(null)}
        >
          <List size="sm">
            {report.results.map((r) =>
              r.ok ? null : (
                <List.Item key={r.ticketId}>
                  {r.number ? `#${r.number}` : t('queues.bulk.unknownTicket')}: {describeRefusal(r.error, t)}
                </List.Item>
              ),
            )}
          </List>
        </Alert>
      )}
      <Modal
        opened={confirmClose}
        onClose={() => setConfirmClose(false)}
        title={t('queues.bulk.closeTitle', { count: selected.length })}
        centered
      >
        <Stack gap="sm">
          <Text size="sm">{t('queues.bulk.closeBody')}</Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setConfirmClose(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              data-autofocus
              onClick={() => {
                setConfirmClose(false);
                run({ action: 'close', ticketIds: selected });
              }}
            >
              {t('queues.bulk.close')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
