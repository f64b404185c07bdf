import { Alert, Box, Button, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CALL_RATING_PARTS, type CallRatingPart } from '../../../signaling/shared/feedback';
import { describeError } from '../errors';
import { useCallRating, useRateCall } from './queries';
import { ScoreChoice } from './ScoreChoice';

type Scores = Record<CallRatingPart, number | null>;

/**
 * The short rating a customer is offered when a connected call ends: picture, sound and
 * helpfulness (1–5 each) and a comment. Skippable; once sent it thanks and stays out of the way.
 */
export function CallRating({ callId }: { callId: string }) {
  const { t } = useTranslation();
  const existing = useCallRating(callId);
  const rate = useRateCall(callId);
  const [skipped, setSkipped] = useState(false);
  const [scores, setScores] = useState<Scores>({ picture: null, sound: null, helpfulness: null });
  const [comment, setComment] = useState('');
  if (skipped || !existing.data?.eligible) return null;
  if (existing.data.rating || rate.isSuccess) {
    return (
      <Text role="status" c="teal.8" data-call-rated="true">
        {t('feedback.call.thanks')}
      </Text>
    );
  }
  const complete = CALL_RATING_PARTS.every((part) => scores[part] !== null);

  return (
    // Inside the ended-call card already: a rule above instead of a card in a card, which keeps
    // the five choices on one line at 390 px.
    <Box
      w="100%"
      pt="md"
      component="section"
      aria-labelledby="call-rating-heading"
      style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!complete) return;
          rate.mutate({
            picture: scores.picture!,
            sound: scores.sound!,
            helpfulness: scores.helpfulness!,
            ...(comment.trim() ? { comment: comment.trim() } : {}),
          });
        }}
      >
        <Stack gap="sm">
          <Title order={2} fz="lg" id="call-rating-heading">
            {t('feedback.call.heading')}
          </Title>
          {CALL_RATING_PARTS.map((part) => (
            <ScoreChoice
              key={part}
              legend={t(`feedback.call.${part}`)}
              name={`call-${part}`}
              min={1}
              max={5}
              value={scores[part]}
              onChange={(score) => setScores((s) => ({ ...s, [part]: score }))}
              lowLabel={t('feedback.call.low')}
              highLabel={t('feedback.call.high')}
            />
          ))}
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
            <Button type="submit" disabled={!complete} loading={rate.isPending}>
              {t('feedback.submit')}
            </Button>
            <Button variant="default" onClick={() => setSkipped(true)}>
              {t('feedback.skip')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Box>
  );
}
