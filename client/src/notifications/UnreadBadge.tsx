import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PublicUser } from '../../../signaling/shared/protocol';
import { unreadOf, useUnread } from './queries';

/** The unread count of one ticket, beside its subject in a queue (nothing when all is read). */
export function UnreadBadge({ me, ticketId }: { me: PublicUser; ticketId: string }) {
  const { t } = useTranslation();
  const count = unreadOf(useUnread(me).data, ticketId);
  if (count === 0) return null;
  return (
    <Badge
      size="sm"
      color="red"
      variant="filled"
      circle={count < 10}
      data-unread={count}
      aria-label={t('notifications.unreadTicket', { count })}
    >
      {count}
    </Badge>
  );
}

/** How many of these tickets have something unread (for a queue's tab). */
export function useUnreadAmong(me: PublicUser, ticketIds: readonly string[] | undefined): number {
  const unread = useUnread(me).data;
  if (!unread || !ticketIds) return 0;
  const ids = new Set(ticketIds);
  return unread.tickets.filter((t) => ids.has(t.ticketId)).length;
}
