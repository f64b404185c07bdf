import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Radio,
  ScrollArea,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicUser } from '../../../signaling/shared/protocol';
import { describeError } from '../errors';
import type { RecordingDetail } from './api';
import type { Moment } from './moments';
import { useAddComment, useSaveScores } from './queries';
import type { SyncPlayer } from './SyncPlayer';
import { formatClock } from './time';

function TimeButton({ atMs, player, what }: { atMs: number; player: SyncPlayer; what: string }) {
  const { t } = useTranslation();
  const time = formatClock(atMs / 1000);
  return (
    <Anchor
      component="button"
      type="button"
      size="sm"
      ff="monospace"
      onClick={() => player.seek(atMs / 1000)}
      aria-label={t('qa.player.jumpTo', { time, what })}
      style={{ flex: 'none' }}
    >
      {time}
    </Anchor>
  );
}

/** The rubric, 1–5 per criterion; prefilled with this reviewer's earlier scores. */
export function ScoreForm({ detail, me }: { detail: RecordingDetail; me: PublicUser }) {
  const { t } = useTranslation();
  const mine = detail.reviews.find((r) => r.reviewerId === me.id);
  const [scores, setScores] = useState<Record<string, number>>(() => ({ ...(mine?.scores ?? {}) }));
  const save = useSaveScores(detail.id);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (mine) setScores((current) => (Object.keys(current).length === 0 ? { ...mine.scores } : current));
  }, [mine]);
  const max = detail.rubric.length * 5;
  const complete = detail.rubric.every((c) => scores[c.id] !== undefined);
  const total = detail.rubric.reduce((n, c) => n + (scores[c.id] ?? 0), 0);
  const others = detail.reviews.filter((r) => r.reviewerId !== me.id);

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="score-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="lg" id="score-heading">
          {t('qa.score.heading')}
        </Title>
        <Badge variant="light" tt="none" size="lg" data-testid="score-total">
          {t('qa.score.total', { total: Object.keys(scores).length > 0 ? total : '–', max })}
        </Badge>
      </Group>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!complete) return;
          setSaved(false);
          save.mutate(scores, { onSuccess: () => setSaved(true) });
        }}
      >
        <Stack gap="sm">
          {detail.rubric.map((criterion) => (
            <Radio.Group
              key={criterion.id}
              name={`score-${criterion.id}`}
              label={t(`qa.rubric.${criterion.id}` as 'qa.rubric.greeting', {
                defaultValue: criterion.label,
              })}
              value={scores[criterion.id] === undefined ? null : String(scores[criterion.id])}
              onChange={(value) => {
                setSaved(false);
                setScores((current) => ({ ...current, [criterion.id]: Number(value) }));
              }}
            >
              <Group gap="md" mt={4}>
                {[1, 2, 3, 4, 5].map((n) => (
                  <Radio key={n} value={String(n)} label={String(n)} />
                ))}
              </Group>
            </Radio.Group>
          ))}
          <Text size="xs" c="dimmed">
            {t('qa.score.scale')}
          </Text>
          {save.isError && (
            <Alert color="red" variant="light" py="xs">
              {describeError(save.error, t)}
            </Alert>
          )}
          <Group justify="space-between">
            <Text size="sm" c="teal.8" role="status">
              {saved ? t('qa.score.saved') : ''}
            </Text>
            <Button type="submit" loading={save.isPending} disabled={!complete}>
              {mine ? t('qa.score.update') : t('qa.score.save')}
            </Button>
          </Group>
        </Stack>
      </form>
      {others.length > 0 && (
        <Stack gap={4} mt="md">
          <Text size="sm" fw={600}>
            {t('qa.score.others')}
          </Text>
          {others.map((r) => (
            <Text size="sm" key={r.reviewerId}>
              {t('qa.score.byReviewer', { name: r.reviewer, total: r.total, max })}
            </Text>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

/** Scores read-only (agents looking at their own calls). */
export function ScoresSummary({ detail }: { detail: RecordingDetail }) {
  const { t } = useTranslation();
  const max = detail.rubric.length * 5;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="score-heading">
      <Title order={2} fz="lg" id="score-heading" mb="sm">
        {t('qa.score.heading')}
      </Title>
      {detail.reviews.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('qa.score.none')}
        </Text>
      ) : (
        detail.reviews.map((r) => (
          <Stack key={r.reviewerId} gap={2} mb="sm">
            <Text size="sm" fw={600}>
              {t('qa.score.byReviewer', { name: r.reviewer, total: r.total, max })}
            </Text>
            {detail.rubric.map((c) => (
              <Text size="sm" key={c.id}>
                {t(`qa.rubric.${c.id}` as 'qa.rubric.greeting', { defaultValue: c.label })}:{' '}
                {r.scores[c.id] ?? '—'}
              </Text>
            ))}
          </Stack>
        ))
      )}
    </Paper>
  );
}

/** Timestamped comments: a new one is pinned to the player's current position. */
export function CommentsPanel({
  detail,
  player,
  position,
  editable,
}: {
  detail: RecordingDetail;
  player: SyncPlayer;
  position: number;
  editable: boolean;
}) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const add = useAddComment(detail.id);
  const submit = () => {
    const text = body.trim();
    if (!text) return;
    add.mutate({ atMs: Math.round(player.position * 1000), body: text }, { onSuccess: () => setBody('') });
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="comments-heading">
      <Title order={2} fz="lg" id="comments-heading" mb="sm">
        {t('qa.comments.heading')}
      </Title>
      {detail.comments.length === 0 ? (
        <Text size="sm" c="dimmed" mb="sm">
          {t('qa.comments.empty')}
        </Text>
      ) : (
        <Stack
          gap="xs"
          mb="sm"
          component="ol"
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
          aria-label={t('qa.comments.heading')}
        >
          {detail.comments.map((c) => (
            <Group key={c.id} component="li" gap="sm" wrap="nowrap" align="flex-start" data-comment-id={c.id}>
              <TimeButton atMs={c.atMs} player={player} what={c.body} />
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {c.body}
                </Text>
                <Text size="xs" c="dimmed">
                  {c.author}
                </Text>
              </Stack>
            </Group>
          ))}
        </Stack>
      )}
      {editable && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Stack gap="xs">
            <Textarea
              label={t('qa.comments.label')}
              placeholder={t('qa.comments.placeholder')}
              autosize
              minRows={2}
              maxRows={6}
              maxLength={5000}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
                  e.preventDefault();
                  submit();
                }
              }}
            />
            {add.isError && (
              <Alert color="red" variant="light" py="xs">
                {describeError(add.error, t)}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button type="submit" loading={add.isPending} disabled={!body.trim()}>
                {t('qa.comments.add', { time: formatClock(position) })}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Paper>
  );
}

/** What happened on the ticket during the call, each line jumping the player there. */
export function CallMomentsPanel({
  moments,
  player,
  loading,
}: {
  moments: Moment[];
  player: SyncPlayer;
  loading: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="moments-heading">
      <Title order={2} fz="lg" id="moments-heading" mb="sm">
        {t('qa.moments.heading')}
      </Title>
      {moments.length === 0 ? (
        <Text size="sm" c="dimmed">
          {loading ? t('qa.moments.loading') : t('qa.moments.empty')}
        </Text>
      ) : (
        <ScrollArea.Autosize mah={420} type="auto" offsetScrollbars>
          <Stack gap={6} component="ol" p={0} m={0} style={{ listStyle: 'none' }}>
            {moments.map((m) => (
              <Group
                key={m.key}
                component="li"
                gap="sm"
                wrap="nowrap"
                align="flex-start"
                data-moment-kind={m.kind}
              >
                <TimeButton atMs={m.atMs} player={player} what={m.text} />
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {m.text}
                  </Text>
                  {m.note && (
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
                      {m.note}
                    </Text>
                  )}
                </Stack>
              </Group>
            ))}
          </Stack>
        </ScrollArea.Autosize>
      )}
    </Paper>
  );
}
