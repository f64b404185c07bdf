import {
  Alert,
  Anchor,
  Badge,
  Button,
  EmptyState,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FOLLOW_UP_STATES, type FollowUpState, type FollowUpView } from '../../../signaling/shared/feedback';
import { QueryState } from '../components/QueryState';
import { describeError } from '../errors';
import { formatDateTime, formatDuration } from '../lib/format';
import { useSession } from '../lib/session';
import { useNow } from '../tickets/useNow';
import { useCloseFollowUp, useFollowUps } from './queries';

/** Supervisors and admins close follow-ups; QA reviewers read the queue. */
const canClose = (role: string) => role === 'supervisor' || role === 'admin';
export const canSeeFollowUps = (role: string) => canClose(role) || role === 'qa';

function StateBadge({ item }: { item: FollowUpView }) {
  const { t } = useTranslation();
  // Never squeezed by a long subject beside it: the state is the point of the row.
  const [color, label] = item.closedAt
    ? ['gray', t('feedback.followUps.state.closed')]
    : item.overdue
      ? ['red', t('feedback.followUps.state.overdue')]
      : ['blue', t('feedback.followUps.state.open')];
  return (
    <Badge color={color} flex="none">
      {label}
    </Badge>
  );
}

function CloseDialog({ item, onClose }: { item: FollowUpView; onClose: () => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const close = useCloseFollowUp();
  return (
    <Modal
      opened
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('common.cancel') }}
      title={t('feedback.followUps.closeTitle', { number: item.ticketNumber })}
      centered
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (note.trim()) close.mutate({ id: item.id, note: note.trim() }, { onSuccess: onClose });
        }}
      >
        <Stack gap="sm">
          <Textarea
            label={t('feedback.followUps.note')}
            description={t('feedback.followUps.noteHint')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            required
            autosize
            minRows={3}
            maxLength={5000}
            data-autofocus
          />
          {close.isError && (
            <Alert color="red" variant="light" role="alert">
              {describeError(close.error, t)}
            </Alert>
          )}
          <Group gap="sm">
            <Button type="submit" disabled={!note.trim()} loading={close.isPending}>
              {t('feedback.followUps.close')}
            </Button>
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function FollowUpItem({
  item,
  now,
  mayClose,
  onClose,
}: {
  item: FollowUpView;
  now: number;
  mayClose: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Paper component="li" withBorder px="md" py="sm" data-follow-up={item.id} data-overdue={item.overdue}>
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <Anchor
            component={Link}
            to={`/tickets/${item.ticketId}`}
            fw={600}
            style={{ overflowWrap: 'anywhere' }}
          >
            {t('ticket.numberAndSubject', { number: item.ticketNumber, subject: item.subject })}
          </Anchor>
          <StateBadge item={item} />
        </Group>
        <Group gap="xs">
          <Badge variant="light" color={item.score === null ? 'indigo' : item.score <= 1 ? 'red' : 'orange'}>
            {t(`feedback.followUps.source.${item.source}`, { score: item.score ?? '' })}
          </Badge>
          <Text size="sm" c="dimmed">
            {t('feedback.followUps.who', {
              customer: item.customer.name,
              agent: item.agent?.name ?? t('feedback.followUps.noAgent'),
            })}
          </Text>
        </Group>
        {item.comment && (
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            “{item.comment}”
          </Text>
        )}
        {item.closedAt ? (
          <Text size="sm" c="dimmed">
            {t('feedback.followUps.closedBy', {
              name: item.closedBy?.name ?? '—',
              when: formatDateTime(item.closedAt),
            })}
            {item.note ? ` — ${item.note}` : ''}
          </Text>
        ) : (
          <Group justify="space-between" gap="sm">
            <Text size="sm" c={item.overdue ? 'red.8' : 'dimmed'} fw={item.overdue ? 600 : undefined}>
              {t(item.overdue ? 'feedback.followUps.wasDue' : 'feedback.followUps.due', {
                duration: formatDuration(Math.abs(Date.parse(item.dueAt) - now) / 1000, { maxUnits: 2 }),
                at: formatDateTime(item.dueAt),
              })}
            </Text>
            {mayClose && (
              <Button size="xs" variant="light" onClick={onClose}>
                {t('feedback.followUps.close')}
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** `/feedback`: the low-score follow-up queue, the most urgent first, with overdue ones marked. */
export function FollowUpsPage() {
  const { t } = useTranslation();
  const { session } = useSession();
  const [state, setState] = useState<FollowUpState>('open');
  const [closing, setClosing] = useState<FollowUpView | null>(null);
  const followUps = useFollowUps(state);
  const now = useNow(30_000);
  useDocumentTitle(`${t('feedback.followUps.heading')} · ${t('app.name')}`);
  if (!session) return null;
  if (!canSeeFollowUps(session.user.role)) {
    return <Alert color="gray">{t('feedback.followUps.noAccess')}</Alert>;
  }
  const mayClose = canClose(session.user.role);

  return (
    <Stack gap="sm" component="section" aria-labelledby="follow-ups-heading">
      <Title order={1} fz="h2" id="follow-ups-heading">
        {t('feedback.followUps.heading')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('feedback.followUps.intro')}
      </Text>
      <SegmentedControl
        value={state}
        onChange={(value) => setState(value as FollowUpState)}
        aria-label={t('feedback.followUps.filter')}
        data={FOLLOW_UP_STATES.map((value) => ({ value, label: t(`feedback.followUps.filters.${value}`) }))}
        style={{ alignSelf: 'flex-start' }}
      />
      <QueryState
        query={followUps}
        loadingLabel={t('feedback.followUps.loading')}
        errorTitle={t('feedback.followUps.loadFailed')}
      >
        {(items) =>
          items.length === 0 ? (
            <Paper withBorder p="xl">
              <EmptyState
                title={t('feedback.followUps.emptyTitle')}
                description={t('feedback.followUps.emptyDescription')}
              />
            </Paper>
          ) : (
            <Stack
              gap="xs"
              component="ul"
              p={0}
              m={0}
              style={{ listStyle: 'none' }}
              aria-labelledby="follow-ups-heading"
            >
              {items.map((item) => (
                <FollowUpItem
                  key={item.id}
                  item={item}
                  now={now}
                  mayClose={mayClose}
                  onClose={() => setClosing(item)}
                />
              ))}
            </Stack>
          )
        }
      </QueryState>
      {closing && <CloseDialog item={closing} onClose={() => setClosing(null)} />}
    </Stack>
  );
}
