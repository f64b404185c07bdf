import { Alert, Badge, Box, Button, Center, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { type ReactNode, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicUser } from '../../../signaling/shared/protocol';
import { BotMessage } from '../bot/BotMessage';
import { describeError } from '../errors';
import type { Conversation, ConversationItem, ConversationState } from '../lib/conversation';
import { formatDateTime, formatRelative } from '../lib/format';
import { codeOf } from '../lib/requests';
import { AttachmentList } from './attachments';
import { SystemMessage } from './SystemMessage';

/** Near enough to the bottom that a new message should keep the view pinned there. */
const STICK_THRESHOLD_PX = 80;

function MessageBubble({
  item,
  me,
  staffView,
  now,
  conversation,
  openQuestion,
}: {
  item: ConversationItem;
  me: PublicUser;
  staffView: boolean;
  now: number;
  conversation: Conversation;
  /** The assistant's latest message asks the customer: its quick replies are live. */
  openQuestion: boolean;
}) {
  const { t } = useTranslation();
  const { message, delivery } = item;
  if (message.kind === 'system') return <SystemMessage message={message} now={now} staffView={staffView} />;
  if (message.kind === 'bot')
    return (
      <BotMessage message={message} now={now} staffView={staffView} canAnswer={openQuestion && !staffView} />
    );
  const internal = message.kind === 'internal';
  const mine = message.author?.id === me.id;
  const fromStaff = message.author ? message.author.role !== 'customer' : false;
  const authorName = mine ? t('conversation.you') : (message.author?.name ?? t('conversation.system'));
  const roleLabel = message.author
    ? message.author.role === 'customer'
      ? t('roles.customer')
      : message.author.tier
        ? t('conversation.staffWithTier', { tier: message.author.tier })
        : t(`roles.${message.author.role}`)
    : '';
  // Staff replies sit on one side and the customer's on the other, whoever is reading.
  const alignRight = staffView ? fromStaff : mine;
  return (
    <Box
      component="article"
      aria-label={
        internal
          ? t('conversation.noteBy', { name: authorName })
          : t('conversation.messageBy', { name: authorName })
      }
      data-kind={message.kind}
      data-delivery={delivery}
      style={{ alignSelf: alignRight ? 'flex-end' : 'flex-start', maxWidth: '85%', minWidth: '40%' }}
    >
      <Paper
        withBorder
        p="sm"
        radius="md"
        bg={internal ? 'yellow.0' : alignRight ? 'indigo.0' : 'gray.0'}
        style={{
          borderColor: internal ? 'var(--mantine-color-yellow-5)' : undefined,
          borderStyle: internal ? 'dashed' : undefined,
          opacity: delivery === 'sending' || delivery === 'queued' ? 0.7 : 1,
        }}
      >
        <Group justify="space-between" gap="xs" mb={4} wrap="nowrap">
          <Group gap={6} wrap="nowrap">
            <Text size="sm" fw={600}>
              {authorName}
            </Text>
            {roleLabel && (
              <Text size="xs" c="dimmed">
                {roleLabel}
              </Text>
            )}
            {internal && (
              <Badge size="xs" color="yellow" variant="filled" tt="none" c="dark">
                {t('conversation.internalNote')}
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
            {delivery === 'sending' ? (
              t('conversation.sending')
            ) : delivery === 'queued' ? (
              t('conversation.queued')
            ) : delivery === 'failed' ? (
              <Text span c="red" size="xs">
                {t('conversation.notSent')}
              </Text>
            ) : (
              <time dateTime={message.createdAt} title={formatDateTime(message.createdAt)}>
                {formatRelative(message.createdAt, now)}
              </time>
            )}
          </Text>
        </Group>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {message.body}
        </Text>
        {message.attachments.length > 0 && (
          <Box mt="xs">
            <AttachmentList attachments={message.attachments} />
          </Box>
        )}
        {delivery === 'queued' && (
          // Offline: it goes out by itself when the connection returns; it can still be dropped.
          <Group gap="xs" mt="xs" role="status">
            <Text size="xs" c="dimmed" style={{ flex: 1 }}>
              {t('conversation.waitingForConnection')}
            </Text>
            <DiscardButton onClick={() => conversation.discard(item.key)} />
          </Group>
        )}
        {delivery === 'failed' && (
          <Group gap="xs" mt="xs" role="alert">
            <Text size="xs" c="red" style={{ flex: 1 }}>
              {/* Refused by the per-person chat limit: say what to do, not "too many requests". */}
              {codeOf(item.error) === 'rate_limited'
                ? t('conversation.slowDown')
                : describeError(item.error, t)}
            </Text>
            <Button size="compact-xs" color="red" onClick={() => conversation.retry(item.key)}>
              {t('conversation.retry')}
            </Button>
            <DiscardButton onClick={() => conversation.discard(item.key)} />
          </Group>
        )}
      </Paper>
    </Box>
  );
}

/** Drops a message that has not reached the server (waiting for the connection, or refused). */
function DiscardButton({ onClick }: { onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Button size="compact-xs" variant="subtle" color="gray" onClick={onClick}>
      {t('conversation.discard')}
    </Button>
  );
}

export function TypingLine({ state }: { state: ConversationState }) {
  const { t } = useTranslation();
  const text = state.typing
    .map((p) =>
      p.internal
        ? t('conversation.typingNote', { name: p.user.name })
        : t('conversation.typing', { name: p.user.name }),
    )
    .join(' · ');
  return (
    <Text size="xs" c="dimmed" fs="italic" mih={18} aria-live="polite">
      {text}
    </Text>
  );
}

/**
 * The message log: earlier pages on demand (button, or scrolling to the top), new messages pinned
 * to the bottom while the reader is already there.
 */
export function ConversationView({
  conversation,
  state,
  me,
  staffView,
  now,
  lead,
}: {
  conversation: Conversation;
  state: ConversationState;
  me: PublicUser;
  staffView: boolean;
  now: number;
  /** Shown above the first message (the ticket's description) once the oldest page is loaded. */
  lead?: ReactNode;
}) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const prevHeight = useRef(0);
  const prevFirstKey = useRef<string | undefined>(undefined);

  const firstKey = state.items[0]?.key;
  // Only the assistant's latest message, when it is a question, offers the quick replies.
  const lastBot = state.items.findLast((item) => item.message.kind === 'bot');
  const openQuestionKey =
    lastBot?.message.bot && 'ask' in lastBot.message.bot && me.role === 'customer' ? lastBot.key : undefined;

  // After every render: keep the reader's place when older messages are put on top, and follow
  // new ones at the bottom while the reader is there. Cheap: it only reads two numbers.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (prevFirstKey.current && firstKey !== prevFirstKey.current && !stick.current) {
      el.scrollTop += el.scrollHeight - prevHeight.current;
    } else if (stick.current) {
      el.scrollTop = el.scrollHeight;
    }
    prevHeight.current = el.scrollHeight;
    prevFirstKey.current = firstKey;
  });

  if (state.status === 'loading') {
    return (
      <Center py="xl" role="status">
        <Group gap="xs">
          <Loader size="sm" aria-hidden="true" />
          <Text c="dimmed" size="sm">
            {t('conversation.loading')}
          </Text>
        </Group>
      </Center>
    );
  }
  if (state.status === 'error') {
    return (
      <Alert color="red" title={t('conversation.loadFailed')}>
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{describeError(state.error, t)}</Text>
          <Button size="xs" variant="default" onClick={() => conversation.retryLoad()}>
            {t('common.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  }

  return (
    <Stack gap={4}>
      <Box
        ref={scroller}
        role="log"
        aria-label={t('conversation.label')}
        aria-live="polite"
        aria-relevant="additions"
        tabIndex={0}
        onScroll={(event) => {
          const el = event.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD_PX;
          prevHeight.current = el.scrollHeight;
          if (el.scrollTop < 40 && state.nextBefore !== null && !state.loadingEarlier) {
            void conversation.loadEarlier();
          }
        }}
        style={{ maxHeight: 'min(60vh, 640px)', overflowY: 'auto', overscrollBehavior: 'contain' }}
        p="xs"
      >
        <Stack gap="sm">
          {state.nextBefore !== null ? (
            <Center>
              <Button
                size="xs"
                variant="subtle"
                loading={state.loadingEarlier}
                onClick={() => {
                  stick.current = false;
                  void conversation.loadEarlier();
                }}
              >
                {t('conversation.loadEarlier')}
              </Button>
            </Center>
          ) : (
            lead
          )}
          {state.earlierError != null && (
            <Text size="xs" c="red" ta="center" role="alert">
              {describeError(state.earlierError, t)}
            </Text>
          )}
          {state.items.length === 0 && (!lead || !staffView) && (
            <Text c="dimmed" size="sm" ta="center" py="md">
              {lead ? t('conversation.noReplies') : t('conversation.empty')}
            </Text>
          )}
          {state.items.map((item) => (
            <MessageBubble
              key={item.key}
              item={item}
              me={me}
              staffView={staffView}
              now={now}
              conversation={conversation}
              openQuestion={item.key === openQuestionKey}
            />
          ))}
        </Stack>
      </Box>
      <TypingLine state={state} />
    </Stack>
  );
}
