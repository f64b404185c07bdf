import { Alert, Blockquote, Button, Loader, Paper, Stack, Text, Timeline, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../../../signaling/protocol';
import { describeError } from '../errors';
import { formatDateTime, formatDuration, formatRelative } from '../lib/format';

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const obj = (value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

function valueText(field: string, value: unknown, t: TFunction): string {
  if (value === null || value === undefined || value === '') return t('timeline.nothing');
  if (Array.isArray(value)) return value.length ? value.join(', ') : t('timeline.nothing');
  const text = String(value);
  if (field === 'status') return t(`ticket.status.${text}` as 'ticket.status.new', { defaultValue: text });
  if (field === 'category')
    return t(`ticket.category.${text}` as 'ticket.category.other', { defaultValue: text });
  return text;
}

/** One sentence (and an optional quoted note) for a timeline entry, in the reader's language. */
export function describeTimelineEntry(entry: TimelineEntry, t: TFunction): { text: string; note?: string } {
  const actor = entry.actor?.name ?? t('timeline.system');
  const d = entry.data;
  switch (entry.type) {
    case 'ticket.created':
      return { text: t('timeline.created', { actor }) };
    case 'ticket.updated': {
      const parts: string[] = [];
      const status = obj(d.status);
      if (status) {
        parts.push(
          t('timeline.changedField', {
            field: t('ticket.fields.status').toLocaleLowerCase(),
            from: valueText('status', status.from, t),
            to: valueText('status', status.to, t),
          }),
        );
      }
      for (const [field, change] of Object.entries(obj(d.changes) ?? {})) {
        const c = obj(change);
        if (!c) continue;
        const fieldName = ['priority', 'category', 'tags'].includes(field)
          ? t(`ticket.fields.${field as 'priority' | 'category' | 'tags'}`).toLocaleLowerCase()
          : field;
        parts.push(
          t('timeline.changedField', {
            field: fieldName,
            from: valueText(field, c.from, t),
            to: valueText(field, c.to, t),
          }),
        );
      }
      return { text: t('timeline.updated', { actor, changes: parts.join('; ') || '—' }) };
    }
    case 'ticket.assigned': {
      const to = str(d.toName) ?? t('timeline.someone');
      const note = str(d.note);
      switch (d.kind) {
        case 'claim':
          return { text: t('timeline.claimed', { actor }), note };
        case 'transfer':
          return { text: t('timeline.transferred', { actor, to }), note };
        case 'unassign':
          return { text: t('timeline.unassigned', { actor }), note };
        case 'auto':
          return { text: t('timeline.autoAssigned', { to }) };
        default:
          return { text: t('timeline.assigned', { actor, to }), note };
      }
    }
    case 'ticket.escalated':
      return {
        text: t('timeline.escalated', { actor, from: str(d.from) ?? '?', to: str(d.to) ?? '?' }),
        note: str(d.note),
      };
    case 'ticket.merged':
      return typeof d.intoNumber === 'number'
        ? { text: t('timeline.mergedInto', { actor, number: d.intoNumber }) }
        : {
            text: t('timeline.mergedFrom', {
              actor,
              number: typeof d.fromNumber === 'number' ? d.fromNumber : '?',
            }),
          };
    case 'ticket.linked':
      return { text: t('timeline.linked', { actor, number: typeof d.number === 'number' ? d.number : '?' }) };
    case 'ticket.first_response':
      return {
        text: t('timeline.firstResponse', {
          actor,
          duration: formatDuration(typeof d.seconds === 'number' ? d.seconds : 0, { maxUnits: 3 }),
        }),
      };
    case 'sla.warning':
    case 'sla.breached': {
      const clock = str(d.clock);
      const clockName =
        clock === 'first_response' || clock === 'next_response' || clock === 'resolution'
          ? t(`sla.clock.${clock}`)
          : (clock ?? '');
      return {
        text: t(entry.type === 'sla.warning' ? 'timeline.slaWarning' : 'timeline.slaBreached', {
          clock: clockName,
        }),
      };
    }
    default:
      return { text: t('timeline.other', { actor, type: entry.type }) };
  }
}

const BULLET_COLORS: Record<string, string> = {
  'ticket.escalated': 'violet',
  'sla.warning': 'orange',
  'sla.breached': 'red',
  'ticket.first_response': 'teal',
};

export function TimelinePanel({ query, now }: { query: UseQueryResult<TimelineEntry[]>; now: number }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="timeline-heading">
      <Title order={3} fz="md" id="timeline-heading" mb="sm">
        {t('timeline.heading')}
      </Title>
      {query.isPending ? (
        <Stack align="center" role="status">
          <Loader size="sm" aria-hidden="true" />
          <Text size="sm" c="dimmed">
            {t('timeline.loading')}
          </Text>
        </Stack>
      ) : query.isError ? (
        <Alert color="red" variant="light">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{describeError(query.error, t)}</Text>
            <Button size="xs" variant="default" onClick={() => void query.refetch()}>
              {t('common.retry')}
            </Button>
          </Stack>
        </Alert>
      ) : query.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('timeline.empty')}
        </Text>
      ) : (
        <Timeline bulletSize={12} lineWidth={2} active={query.data.length} aria-label={t('timeline.heading')}>
          {query.data.map((entry) => {
            const { text, note } = describeTimelineEntry(entry, t);
            return (
              <Timeline.Item
                key={entry.id}
                color={BULLET_COLORS[entry.type] ?? 'indigo'}
                data-type={entry.type}
              >
                <Text size="sm">{text}</Text>
                {note && (
                  <Blockquote p="xs" mt={4} color="violet" fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {note}
                  </Blockquote>
                )}
                <Text size="xs" c="dimmed" mt={2}>
                  <time dateTime={entry.createdAt} title={formatDateTime(entry.createdAt)}>
                    {formatRelative(entry.createdAt, now)}
                  </time>
                </Text>
              </Timeline.Item>
            );
          })}
        </Timeline>
      )}
    </Paper>
  );
}
