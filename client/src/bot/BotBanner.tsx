import { Alert, Button, Group, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { describeError } from '../errors';
import { botApi } from './api';

/**
 * Above the agent's conversation while the assistant answers the customer: it says so, and
 * "Take over" stops it (a reply does too). `messageCount` re-reads the state as messages arrive.
 */
export function BotBanner({
  ticketId,
  canWork,
  messageCount,
}: {
  ticketId: string;
  canWork: boolean;
  messageCount: number;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = ['bot', ticketId, messageCount];
  const state = useQuery({ queryKey: key, queryFn: () => botApi.conversation(ticketId) });
  const takeOver = useMutation({
    mutationFn: () => botApi.takeOver(ticketId),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['bot', ticketId] }),
  });
  if (state.data?.conversation?.state !== 'answering') return null;
  return (
    <Alert color="teal" variant="light" data-testid="bot-banner">
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Text size="sm" style={{ flex: '1 1 240px' }}>
          {t('bot.banner.answering')}
        </Text>
        {canWork && (
          <Button size="xs" color="teal" loading={takeOver.isPending} onClick={() => takeOver.mutate()}>
            {t('bot.banner.takeOver')}
          </Button>
        )}
      </Group>
      {takeOver.error && (
        <Text size="xs" c="red" role="alert" mt={4}>
          {t('bot.banner.takeOverFailed')}: {describeError(takeOver.error, t)}
        </Text>
      )}
    </Alert>
  );
}
