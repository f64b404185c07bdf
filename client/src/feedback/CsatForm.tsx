import { Alert, Button, Group, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CsatRatingView } from '../../../signaling/shared/feedback';
import { describeError } from '../errors';
import { useRateTicket } from './queries';
import { ScoreChoice } from './ScoreChoice';

/** The ticket's 1–5 question with an optional comment; answers or changes the one answer. */
export function CsatForm({
  ticketId,
  name,
  initial,
  onDone,
  secondary,
}: {
  ticketId: string;
  /** Tells this form's radio group apart from another on the page (card and prompt). */
  name: string;
  initial: CsatRatingView | null;
  onDone?: () => void;
  /** A second button beside Submit ("Later", "Cancel"). */
  secondary?: { label: string; onClick: () => void };
}) {
  const { t } = useTranslation();
  const [score, setScore] = useState<number | null>(initial?.score ?? null);
  const [comment, setComment] = useState(initial?.comment ?? '');
  const rate = useRateTicket(ticketId);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (score === null) return;
        rate.mutate(
          { score, ...(comment.trim() ? { comment: comment.trim() } : {}) },
          { onSuccess: () => onDone?.() },
        );
      }}
    >
      <Stack gap="sm">
        <ScoreChoice
          legend={t('feedback.csat.question')}
          name={name}
          min={1}
          max={5}
          value={score}
          onChange={setScore}
          lowLabel={t('feedback.csat.low')}
          highLabel={t('feedback.csat.high')}
        />
        <Textarea
          label={t('feedback.comment')}
          description={t('feedback.commentHint')}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          maxLength={2000}
          autosize
          minRows={2}
        />
        {rate.isError && (
          <Alert color="red" variant="light" role="alert">
            {describeError(rate.error, t)}
          </Alert>
        )}
        <Group gap="sm">
          <Button type="submit" disabled={score === null} loading={rate.isPending}>
            {t(initial ? 'feedback.saveChange' : 'feedback.submit')}
          </Button>
          {secondary && (
            <Button variant="default" onClick={secondary.onClick}>
              {secondary.label}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
