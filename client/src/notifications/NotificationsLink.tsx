import { ActionIcon, Indicator, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PublicUser } from '../../../signaling/shared/protocol';
import { useUnread } from './queries';

function BellIcon() {
  return (
    <svg
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden="true"
    >
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

/** The header's bell: my unread total, and the way to my notification settings. */
export function NotificationsLink({ user }: { user: PublicUser }) {
  const { t } = useTranslation();
  const total = useUnread(user).data?.total ?? 0;
  const label = total > 0 ? t('notifications.unreadTotal', { count: total }) : t('settings.nav');
  return (
    <Tooltip label={label} withArrow>
      <Indicator label={total > 99 ? '99+' : total} size={16} color="red" disabled={total === 0} offset={4}>
        <ActionIcon
          component={Link}
          to="/settings"
          variant="default"
          size="lg"
          aria-label={label}
          data-unread-total={total}
        >
          <BellIcon />
        </ActionIcon>
      </Indicator>
    </Tooltip>
  );
}
