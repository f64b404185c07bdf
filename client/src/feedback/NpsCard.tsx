import { Alert, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../errors';
import { feedbackApi } from './api';
import { feedbackKeys, useNpsPrompt } from './queries';
import { ScoreChoice } from './ScoreChoice';

/**
 * "How likely are you to recommend Livedesk?" on the customer's home page, when the server says to
 * ask (a solved ticket, nothing asked within the period). "Not now" counts as asked.
 */
export function NpsCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const prompt = useNpsPrompt();
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [answered, setAnswered] = useState(false);
  const done = () => {
    setAnswered(true);
    void queryClient.invalidateQueries({ queryKey: feedbackKeys.nps });
  };
  const answer = useMutation({
    mutationFn: (body: { score: number; comment?: string }) => feedbackApi.answerNps(body),
    onSuccess: done,
  });
  const dismiss = useMutation({ mutationFn: () => feedbackApi.dismissNps(), onSuccess: done });

  if (answered) {
    return answer.isSuccess ? (
      <Text role="status" c="teal.8">
        {t('feedback.nps.thanks')}
      </Text>
    ) : null;
  }
  // Errors loading the prompt stay quiet: the question is optional, the page is about the tickets.
  if (!prompt.data?.ask) return null;
  const error = answer.error ?? dismiss.error;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="nps-heading">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (score === null) return;
          answer.mutate({ score, ...(comment.trim() ? { comment: comment.trim() } : {}) });
        }}
      >
        <Stack gap="sm">
          <Title order={2} fz="lg" id="nps-heading">
            {t('feedback.nps.heading')}
          </Title>
          <ScoreChoice
            legend={t('feedback.nps.question')}
            name="nps"
            min={0}
            max={10}
            value={score}
            onChange={setScore}
            lowLabel={t('feedback.nps.low')}
            highLabel={t('feedback.nps.high')}
          />
          <Textarea
            label={t('feedback.nps.commentLabel')}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            maxLength={2000}
            autosize
            minRows={2}
          />
          {error && (
            <Alert color="red" variant="light" role="alert">
              {describeError(error, t)}
            </Alert>
          )}
          <Group gap="sm">
            <Button type="submit" disabled={score === null} loading={answer.isPending}>
              {t('feedback.submit')}
            </Button>
            <Button variant="default" loading={dismiss.isPending} onClick={() => dismiss.mutate()}>
              {t('feedback.nps.notNow')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
