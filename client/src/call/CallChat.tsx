import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PublicUser } from '../../../signaling/shared/protocol';
import { Composer } from '../tickets/Composer';
import { ConversationView } from '../tickets/ConversationView';
import { isStaffUser, useConversation, useConversationState } from '../tickets/queries';
import { useNow } from '../tickets/useNow';

/** The ticket's conversation beside the call: the same messages, live, both ways. */
export function CallChat({ ticketId, me }: { ticketId: string; me: PublicUser }) {
  const { t } = useTranslation();
  const conversation = useConversation(ticketId, me);
  const state = useConversationState(conversation);
  const now = useNow(30_000);
  const staff = isStaffUser(me);
  return (
    <Stack gap="xs" component="section" aria-labelledby="call-chat-title" style={{ minHeight: 0 }}>
      <Title order={2} size="h5" id="call-chat-title">
        {t('call.chat.title')}
      </Title>
      <ConversationView conversation={conversation} state={state} me={me} staffView={staff} now={now} />
      <Composer conversation={conversation} staff={staff} />
    </Stack>
  );
}
