import { Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketView } from '../../../signaling/shared/protocol';
import { QueryState } from '../components/QueryState';
import { formatDateTime } from '../lib/format';
import { CsatForm } from './CsatForm';
import { csatPromptPutOff, putOffCsatPrompt } from './promptMemory';
import { useTicketCsat } from './queries';

/**
 * The customer's CSAT for a solved ticket: a card on the ticket page (answer, change within the
 * window, then the locked answer) and, the first time they open the solved ticket unanswered, the
 * same question as a prompt they can put off.
 */
export function TicketCsat({ ticket }: { ticket: TicketView }) {
  const { t } = useTranslation();
  const solved = ticket.status === 'solved' || ticket.status === 'closed';
  const csat = useTicketCsat(ticket.id, solved);
  const [editing, setEditing] = useState(false);
  const [promptOpen, setPromptOpen] = useState(() => !csatPromptPutOff(ticket.id));
  const loaded = csat.data !== undefined;
  useEffect(() => {
    // The page rendered before this card existed, so the browser could not scroll to `#csat`.
    if (loaded && window.location.hash === '#csat') document.getElementById('csat')?.scrollIntoView();
  }, [loaded]);
  if (!solved) return null;

  const unanswered = csat.data?.eligible === true && csat.data.rating === null;
  const closePrompt = () => {
    putOffCsatPrompt(ticket.id);
    setPromptOpen(false);
  };

  return (
    // `#csat`: the CSAT mail's link lands here.
    <Paper withBorder p="md" component="section" aria-labelledby="csat-heading" id="csat">
      <Title order={2} fz="lg" id="csat-heading" mb="xs">
        {t('feedback.csat.heading')}
      </Title>
      <QueryState query={csat} loadingLabel={t('feedback.loading')} loading="spinner">
        {(state) => {
          const rating = state.rating;
          if (!rating || editing) {
            return (
              <CsatForm
                ticketId={ticket.id}
                name="csat-card"
                initial={rating}
                onDone={() => setEditing(false)}
                {...(editing
                  ? { secondary: { label: t('common.cancel'), onClick: () => setEditing(false) } }
                  : {})}
              />
            );
          }
          return (
            <Stack gap="xs" data-csat-score={rating.score}>
              <Text>{t('feedback.csat.yourAnswer', { score: rating.score })}</Text>
              {rating.comment && (
                <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  “{rating.comment}”
                </Text>
              )}
              <Group gap="sm">
                <Text size="sm" c="dimmed">
                  {rating.locked
                    ? t('feedback.lockedSince', { when: formatDateTime(rating.locksAt) })
                    : t('feedback.changeableUntil', { when: formatDateTime(rating.locksAt) })}
                </Text>
                {!rating.locked && (
                  <Button size="xs" variant="default" onClick={() => setEditing(true)}>
                    {t('feedback.change')}
                  </Button>
                )}
              </Group>
            </Stack>
          );
        }}
      </QueryState>
      <Modal
        opened={promptOpen && unanswered}
        onClose={closePrompt}
        closeButtonProps={{ 'aria-label': t('common.dismiss') }}
        title={t('feedback.csat.promptTitle', { number: ticket.number })}
        centered
      >
        <CsatForm
          ticketId={ticket.id}
          name="csat-prompt"
          initial={null}
          onDone={closePrompt}
          secondary={{ label: t('feedback.later'), onClick: closePrompt }}
        />
      </Modal>
    </Paper>
  );
}
