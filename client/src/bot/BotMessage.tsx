import { Anchor, Badge, Box, Button, Group, List, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { BotAnswer, BotMessage as BotMessageData } from '../../../signaling/shared/bot';
import type { MessageView } from '../../../signaling/shared/protocol';
import { describeError } from '../errors';
import { formatDateTime, formatRelative } from '../lib/format';
import { botApi } from './api';

/** The assistant's mark: a small robot face (no icon font; inline SVG). */
function BotIcon() {
  return (
    <ThemeIcon size={22} radius="xl" color="teal" variant="light" aria-hidden="true">
      <svg
        width="14"
        height="14"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        aria-hidden="true"
      >
        <rect x="4" y="8" width="16" height="12" rx="3" />
        <path d="M12 4v4M9 13h.01M15 13h.01M9 17h6" strokeLinecap="round" />
      </svg>
    </ThemeIcon>
  );
}

/**
 * A message of the Livedesk assistant, worded in the reader's language from its data: the
 * articles it suggests (title, snippet, link to the help centre) with "Did this solve it?" and
 * the quick replies (customers, on its latest question only), or its hand-off — for the customer
 * "a person is coming", for the team the summary card (why, what was asked and suggested, snapshot).
 */
export function BotMessage({
  message,
  now,
  staffView,
  canAnswer,
}: {
  message: MessageView;
  now: number;
  staffView: boolean;
  /** This is the assistant's open question and the reader is its customer: show the quick replies. */
  canAnswer: boolean;
}) {
  const { t } = useTranslation();
  const bot = message.bot;
  return (
    <Box
      component="article"
      aria-label={t('bot.messageLabel')}
      data-kind="bot"
      data-bot-type={bot?.type}
      style={{ alignSelf: staffView ? 'flex-end' : 'flex-start', maxWidth: '92%', minWidth: '40%' }}
    >
      <Paper withBorder p="sm" radius="md" bg="teal.0" style={{ borderColor: 'var(--mantine-color-teal-3)' }}>
        <Group justify="space-between" gap="xs" mb={6} wrap="nowrap" align="flex-start">
          {/* On a phone the badge goes under the name rather than being cut off. */}
          <Group gap={6} wrap="wrap" style={{ minWidth: 0 }}>
            <BotIcon />
            <Text size="sm" fw={600}>
              {t('bot.name')}
            </Text>
            <Badge size="xs" color="teal" variant="light" tt="none" style={{ flexShrink: 0 }}>
              {t('bot.badge')}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
            <time dateTime={message.createdAt} title={formatDateTime(message.createdAt)}>
              {formatRelative(message.createdAt, now)}
            </time>
          </Text>
        </Group>
        {bot ? (
          <BotContent bot={bot} staffView={staffView} />
        ) : (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {message.body}
          </Text>
        )}
        {canAnswer && bot && 'ask' in bot && <QuickReplies ticketId={message.ticketId} />}
      </Paper>
    </Box>
  );
}

function BotContent({ bot, staffView }: { bot: BotMessageData; staffView: boolean }) {
  const { t } = useTranslation();
  switch (bot.type) {
    case 'answer':
      return (
        <Stack gap={6}>
          <Text size="sm">{t('bot.intro')}</Text>
          <Stack gap={6} component="ol" m={0} p={0} style={{ listStyle: 'none' }}>
            {bot.articles.map((article) => (
              <Paper key={article.id} component="li" withBorder p="xs" radius="sm" bg="white">
                <Anchor href={article.url} target="_blank" rel="noopener" size="sm" fw={600}>
                  {article.title}
                </Anchor>
                <Text size="xs" c="dimmed" lineClamp={3} style={{ overflowWrap: 'anywhere' }}>
                  {article.snippet}
                </Text>
              </Paper>
            ))}
          </Stack>
          <Text size="sm" fw={500}>
            {t('bot.ask')}
          </Text>
        </Stack>
      );
    case 'rephrase':
      return <Text size="sm">{t('bot.rephrase')}</Text>;
    case 'resolved':
      return <Text size="sm">{t('bot.resolved')}</Text>;
    case 'handoff':
      return staffView ? (
        <HandoffCard bot={bot} />
      ) : (
        <Stack gap={4}>
          <Text size="sm">{t('bot.handoff')}</Text>
          {bot.expectedWaitMinutes !== null && (
            <Text size="sm" c="dimmed">
              {t('bot.expectedWait', { count: bot.expectedWaitMinutes })}
            </Text>
          )}
        </Stack>
      );
  }
}

/** What the agent needs so the customer repeats nothing. */
function HandoffCard({ bot }: { bot: Extract<BotMessageData, { type: 'handoff' }> }) {
  const { t } = useTranslation();
  const { summary } = bot;
  return (
    <Stack gap={6} data-testid="handoff-card">
      <Text size="sm" fw={600}>
        {t('bot.handoffTitle')} · {t(`bot.reason.${bot.reason}`)}
      </Text>
      {summary.questions.length > 0 && (
        <Box>
          <Text size="xs" fw={600} c="dimmed">
            {t('bot.asked')}
          </Text>
          <List size="sm" spacing={2}>
            {summary.questions.map((q, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the same question may be asked twice
              <List.Item key={i} style={{ overflowWrap: 'anywhere' }}>
                {q}
              </List.Item>
            ))}
          </List>
        </Box>
      )}
      <Box>
        <Text size="xs" fw={600} c="dimmed">
          {t('bot.suggested', { count: summary.suggested.length })}
        </Text>
        {summary.suggested.length === 0 ? (
          <Text size="sm">{t('bot.suggestedNone')}</Text>
        ) : (
          <List size="sm" spacing={2}>
            {summary.suggested.map((a) => (
              <List.Item key={a.id}>
                <Anchor href={a.url} target="_blank" rel="noopener" size="sm">
                  {a.title}
                </Anchor>
              </List.Item>
            ))}
          </List>
        )}
      </Box>
      {summary.noCount > 0 && (
        <Text size="xs" c="dimmed">
          {t('bot.noCount', { count: summary.noCount })}
        </Text>
      )}
      {summary.snapshot.length > 0 && (
        <Box>
          <Text size="xs" fw={600} c="dimmed">
            {t('bot.snapshot')}
          </Text>
          <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
            {summary.snapshot.join(' · ')}
          </Text>
        </Box>
      )}
    </Stack>
  );
}

const ANSWERS: BotAnswer[] = ['yes', 'no', 'human'];

function QuickReplies({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const answer = useMutation({ mutationFn: (value: BotAnswer) => botApi.answer(ticketId, value) });
  return (
    <Stack gap={4} mt="xs">
      <Group gap="xs" role="group" aria-label={t('bot.ask')}>
        {ANSWERS.map((value) => (
          <Button
            key={value}
            size="compact-sm"
            variant={value === 'human' ? 'filled' : 'default'}
            color="teal"
            loading={answer.isPending && answer.variables === value}
            disabled={answer.isPending || answer.isSuccess}
            onClick={() => answer.mutate(value)}
          >
            {t(`bot.answers.${value}`)}
          </Button>
        ))}
      </Group>
      {answer.error && (
        <Text size="xs" c="red" role="alert">
          {describeError(answer.error, t)}
        </Text>
      )}
    </Stack>
  );
}
