import { Alert, Anchor, Button, Stack, Text, Textarea, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { AuthShell } from '../components/AuthShell';
import { describeError } from '../errors';
import { isApiError } from '../lib/api';
import { type RedeemedSurvey, surveyLinkApi } from './api';
import { ScoreChoice } from './ScoreChoice';

/**
 * Where this tab keeps the opened survey: the link works once, so a reload of the page must not
 * need it again. Per tab (sessionStorage), and only for the hour the access token lives.
 */
const STORE_KEY = 'livedesk.csatSurvey';

function remembered(token: string): RedeemedSurvey | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? 'null') as
      | (RedeemedSurvey & { token: string })
      | null;
    if (saved?.token === token && Date.parse(saved.expiresAt) > Date.now()) return saved;
  } catch {
    // A damaged entry is as good as none.
  }
  return null;
}

/**
 * Opening uses the link up, so it is asked once per page load whatever re-renders or remounts the
 * page (a second ask would answer "already used"); the result is kept for reloads of this tab.
 */
const opening = new Map<string, Promise<RedeemedSurvey>>();
function openOnce(token: string): Promise<RedeemedSurvey> {
  let pending = opening.get(token);
  if (!pending) {
    pending = surveyLinkApi.redeem(token).then((opened) => {
      sessionStorage.setItem(STORE_KEY, JSON.stringify({ ...opened, token }));
      return opened;
    });
    opening.set(token, pending);
  }
  return pending;
}

/**
 * `/rate#<token>`: the CSAT question mailed to a customer who was away when their ticket was
 * solved. Opening it uses the link (once) for an access token to that one ticket's rating; the
 * customer answers without signing in. Used, expired and unknown links say so and offer signing in.
 */
export function SurveyPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('feedback.survey.pageTitle')} · ${t('app.name')}`);
  const [token] = useState(() => window.location.hash.slice(1));
  const [survey, setSurvey] = useState<RedeemedSurvey | null>(() => remembered(token));
  const [score, setScore] = useState<number | null>(survey?.state.rating?.score ?? null);
  const [comment, setComment] = useState(survey?.state.rating?.comment ?? '');

  const open = useQuery({
    queryKey: ['csat-survey', token],
    queryFn: () => openOnce(token),
    enabled: token.length > 0 && survey === null,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
  });
  useEffect(() => {
    if (!open.data || survey) return;
    setSurvey(open.data);
    setScore(open.data.state.rating?.score ?? null);
    setComment(open.data.state.rating?.comment ?? '');
  }, [open.data, survey]);
  const rate = useMutation({
    mutationFn: (answer: { score: number; comment?: string }) =>
      surveyLinkApi.rate({ access: survey!.access, ticketId: survey!.ticket.id, ...answer }),
  });
  const signIn = (
    <Anchor component={RouterLink} to="/login" size="sm" ta="center">
      {t('feedback.survey.signIn')}
    </Anchor>
  );
  const code = !token ? 'not_found' : isApiError(open.error) ? open.error.code : null;
  if (code || open.isError) {
    const known = code === 'link_used' || code === 'link_expired' || code === 'not_found';
    return (
      <AuthShell below={signIn}>
        <Title order={1} fz="h2">
          {t('feedback.survey.heading')}
        </Title>
        <Alert color="red" variant="light" title={t('feedback.survey.problemTitle')} role="alert">
          {known ? t(`feedback.survey.${code}`) : describeError(open.error, t)}
        </Alert>
        <Text size="sm">{t('feedback.survey.signInHint')}</Text>
      </AuthShell>
    );
  }
  if (!survey) {
    return (
      <AuthShell below={signIn}>
        <Text role="status" c="dimmed">
          {t('feedback.survey.opening')}
        </Text>
      </AuthShell>
    );
  }

  const done = rate.data ?? null;
  const rateError = rate.error
    ? isApiError(rate.error) && rate.error.code === 'unauthenticated'
      ? t('feedback.survey.accessExpired')
      : describeError(rate.error, t)
    : null;
  return (
    <AuthShell below={signIn}>
      <div>
        <Title order={1} fz="h2">
          {t('feedback.csat.heading')}
        </Title>
        <Text c="dimmed" size="sm" mt={4}>
          {t('feedback.survey.intro', { number: survey.ticket.number, subject: survey.ticket.subject })}
        </Text>
      </div>
      {!survey.state.eligible ? (
        <Alert color="gray" variant="light">
          {t('feedback.survey.notSolved')}
        </Alert>
      ) : done ? (
        <Alert color="teal" variant="light" role="status" data-testid="survey-thanks">
          {t('feedback.csat.yourAnswer', { score: done.score })}
        </Alert>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (score === null || rate.isPending) return;
            rate.mutate({ score, ...(comment.trim() ? { comment: comment.trim() } : {}) });
          }}
        >
          <Stack gap="sm">
            <ScoreChoice
              legend={t('feedback.csat.question')}
              name="survey-csat"
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
            {rateError && (
              <Alert color="red" variant="light" role="alert">
                {rateError}
              </Alert>
            )}
            <Button type="submit" disabled={score === null} loading={rate.isPending}>
              {t(survey.state.rating ? 'feedback.saveChange' : 'feedback.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </AuthShell>
  );
}
