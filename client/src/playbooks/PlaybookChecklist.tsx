import { Alert, Badge, Checkbox, Group, Paper, Progress, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PlaybookPrefill } from '../../../signaling/shared/macros';
import type { TicketView } from '../../../signaling/shared/protocol';
import { describeError } from '../errors';
import { formatDateTime } from '../lib/format';
import { pickLocalized } from '../lib/localized';
import { readSnapshot } from '../lib/snapshot';
import { toasts } from '../lib/toasts';
import { type SnapshotFact, snapshotFacts } from '../tickets/SnapshotDetails';
import { useSetStep, useTicketPlaybook } from './api';

/** Which snapshot facts each prefill shows beside a step. */
const PREFILL_FACTS: Record<PlaybookPrefill, SnapshotFact[]> = {
  device: ['os', 'screen', 'camera', 'microphone'],
  browser: ['browser', 'language'],
  network: ['network', 'timeZone'],
};

/**
 * The playbook of the ticket's category as a checklist beside the conversation: each step ticked
 * or un-ticked is saved and recorded on the timeline; steps that check the customer's setup show
 * the problem snapshot's facts; the follow-up the playbook schedules on solving, with its deadline.
 */
export function PlaybookChecklist({ ticket, canWork }: { ticket: TicketView; canWork: boolean }) {
  const { t } = useTranslation();
  const query = useTicketPlaybook(ticket.id);
  const setStep = useSetStep(ticket.id);

  if (query.isPending) return <Skeleton height={120} />;
  if (query.isError)
    return (
      <Alert color="red" variant="light" title={t('playbooks.loadFailed')}>
        {describeError(query.error, t)}
      </Alert>
    );
  const { playbook, done, followUp } = query.data;
  if (!playbook) return null;
  const doneById = new Map(done.map((d) => [d.stepId, d]));
  const count = playbook.steps.filter((s) => doneById.has(s.id)).length;
  const snapshot = readSnapshot(ticket.snapshot);
  const facts = snapshot ? snapshotFacts(snapshot, t) : [];

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="playbook-heading" data-testid="playbook">
      <Group justify="space-between" gap="xs" mb={4} wrap="nowrap">
        <Title order={3} fz="md" id="playbook-heading" style={{ overflowWrap: 'anywhere' }}>
          {t('playbooks.onTicket', { title: pickLocalized(playbook.title) })}
        </Title>
        <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
          {t('playbooks.progress', { done: count, total: playbook.steps.length })}
        </Text>
      </Group>
      <Progress value={(count / playbook.steps.length) * 100} size="xs" mb="sm" aria-hidden />
      <Stack gap="sm">
        {playbook.steps.map((step) => {
          const stepDone = doneById.get(step.id);
          const shown = new Set(step.prefill.flatMap((p) => PREFILL_FACTS[p]));
          // The box follows the click at once; a refusal puts it back (and says why).
          const saving = setStep.isPending && setStep.variables?.stepId === step.id;
          const checked = saving ? setStep.variables.done : Boolean(stepDone);
          return (
            <Stack key={step.id} gap={2}>
              <Checkbox
                label={pickLocalized(step.text)}
                checked={checked}
                disabled={!canWork || setStep.isPending}
                onChange={(event) =>
                  setStep.mutate(
                    { stepId: step.id, done: event.currentTarget.checked },
                    {
                      onError: (err) =>
                        toasts.show({
                          title: t('playbooks.saveFailed'),
                          message: describeError(err, t),
                          color: 'red',
                        }),
                    },
                  )
                }
                description={
                  stepDone
                    ? t('playbooks.doneBy', {
                        name: stepDone.doneBy?.name ?? t('timeline.system'),
                        when: formatDateTime(stepDone.doneAt),
                      })
                    : undefined
                }
              />
              {shown.size > 0 && (
                <Stack gap={0} pl={32}>
                  {snapshot ? (
                    facts
                      .filter(([fact]) => shown.has(fact))
                      .map(([fact, label, value]) => (
                        <Text key={fact} size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                          {label}:{' '}
                          <Text span size="xs" c="dark">
                            {value}
                          </Text>
                        </Text>
                      ))
                  ) : (
                    <Text size="xs" c="dimmed">
                      {t('playbooks.noSnapshot')}
                    </Text>
                  )}
                </Stack>
              )}
            </Stack>
          );
        })}
      </Stack>
      {playbook.followUpHours !== null && (
        <Group gap="xs" mt="sm">
          {followUp ? (
            <Badge
              variant="light"
              color={followUp.closedAt ? 'teal' : followUp.overdue ? 'red' : 'indigo'}
              data-testid="playbook-follow-up"
            >
              {followUp.closedAt
                ? t('playbooks.followUpClosed')
                : followUp.overdue
                  ? t('playbooks.followUpOverdue', { when: formatDateTime(followUp.dueAt) })
                  : t('playbooks.followUpDue', { when: formatDateTime(followUp.dueAt) })}
            </Badge>
          ) : (
            <Text size="xs" c="dimmed">
              {t('playbooks.followUpOnSolve', { hours: playbook.followUpHours })}
            </Text>
          )}
        </Group>
      )}
    </Paper>
  );
}
