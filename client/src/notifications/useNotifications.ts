import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { NotificationView, PublicUser } from '../../../signaling/shared/protocol';
import { desktopAlerts } from '../lib/alerts';
import { realtime } from '../lib/socket';
import { toasts } from '../lib/toasts';
import {
  bumpUnread,
  clearUnread,
  DEFAULT_SETTINGS,
  PRESENCE_KEY,
  UNREAD_KEY,
  useNotificationSettings,
  useUnread,
} from './queries';
import { useTitleCount } from './useTitleCount';
import { ticketOnScreen } from './viewing';

/** How a notification reads: a title and a line (the customer's words, the SLA clock …). */
function useWording() {
  const { t } = useTranslation();
  return (n: NotificationView): { title: string; body: string } => {
    switch (n.kind) {
      case 'new_ticket':
        return { title: t('alerts.newTicketTitle', { number: n.ticketNumber }), body: n.subject };
      case 'assigned':
        return { title: t('alerts.assignedTitle', { number: n.ticketNumber }), body: n.subject };
      case 'customer_message':
        return {
          title: t('alerts.newMessageTitle', { name: n.message?.author?.name ?? '' }),
          body: `#${n.ticketNumber} · ${(n.message?.body ?? '').slice(0, 140)}`,
        };
      case 'handoff':
        return {
          title: t('alerts.handoffTitle', { number: n.ticketNumber }),
          body: n.handoffReason
            ? t('alerts.handoffBody', { subject: n.subject, reason: t(`bot.reason.${n.handoffReason}`) })
            : n.subject,
        };
      case 'article_task':
        return { title: t('alerts.articleTaskTitle', { number: n.ticketNumber }), body: n.subject };
      case 'sla_warning':
        return {
          title: t(n.alert?.kind === 'breach' ? 'alerts.slaBreachTitle' : 'alerts.slaWarningTitle', {
            number: n.ticketNumber,
          }),
          body: t('alerts.slaBody', {
            clock: n.alert ? t(`sla.clock.${n.alert.clock}`) : '',
            subject: n.subject,
          }),
        };
    }
  };
}

/**
 * New work, impossible to miss (staff; mounted once in the signed-in frame): each `notify` the
 * server sends me counts on my unread badges, shows a toast (and a desktop notification while the
 * tab is hidden), and beeps — each as my settings say. The unread total is in
 * the document title. A message on the ticket I am looking at is simply read.
 */
export function useNotifications(user: PublicUser): void {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const word = useWording();
  const settings = useNotificationSettings().data ?? DEFAULT_SETTINGS;
  const unread = useUnread(user).data;
  // The listener is attached once; it reads the latest settings and wording through refs.
  const latest = useRef({ settings, word });
  latest.current = { settings, word };

  useEffect(() => {
    let wasConnected = realtime.getStatus() === 'connected';
    const stops = [
      realtime.on('notify', (n) => {
        if (n.kind === 'customer_message' && ticketOnScreen.is(n.ticketId)) return;
        // Alerts about a ticket's state, not something new to read on it, leave the unread counts.
        if (n.kind !== 'sla_warning' && n.kind !== 'article_task')
          bumpUnread(queryClient, n.ticketId, n.message?.seq ?? 0);
        const { settings, word } = latest.current;
        if (!settings.events.includes(n.kind)) return;
        const { title, body } = word(n);
        const href = n.kind === 'article_task' ? '/articles' : `/tickets/${n.ticketId}`;
        // The toast stays in the app for when I come back; a hidden tab also pops up on the desktop.
        toasts.show({
          title,
          message: body,
          color: n.kind === 'sla_warning' ? (n.alert?.kind === 'breach' ? 'red' : 'orange') : 'blue',
          href,
        });
        if (settings.desktop) {
          desktopAlerts.notify({
            title,
            body,
            tag: `${n.kind}-${n.ticketId}`,
            onClick: () => void navigate(href),
          });
        }
        if (settings.sound) desktopAlerts.beep();
      }),
      realtime.on('unread:read', ({ ticketId }) => clearUnread(queryClient, ticketId)),
      // Pushes sent while the link was down are lost: after a reconnect, ask again.
      realtime.subscribe(() => {
        const connected = realtime.getStatus() === 'connected';
        if (connected && !wasConnected) void queryClient.invalidateQueries({ queryKey: UNREAD_KEY });
        wasConnected = connected;
      }),
      desktopAlerts.unlockOnFirstGesture(),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }, [queryClient, navigate]);

  // "(3) Livedesk": the count shows on the browser tab and the taskbar.
  useTitleCount(unread?.total ?? 0);

  // My own presence, as the server derived it (the header shows it).
  useEffect(
    () =>
      realtime.on('presence:changed', ({ userId, availability, presence }) => {
        if (userId === user.id) queryClient.setQueryData(PRESENCE_KEY, { availability, presence });
      }),
    [queryClient, user.id],
  );
}
