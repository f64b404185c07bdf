import { Alert, Avatar, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import type { CallView } from '../../../signaling/shared/protocol';
import { describeError } from '../errors';
import { discardEarlyMedia, openMediaEarly } from '../lib/call/earlyMedia';
import { Ringtone } from '../lib/call/ringtone';
import { realtime } from '../lib/socket';
import { HangUpIcon, PhoneIcon } from './icons';
import { callPath } from './paths';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('');
}

/**
 * Rings a signed-in customer on whatever page they are (`call:incoming` reaches every open tab):
 * a prompt with the caller and the ticket, a ring tone, Accept and Decline. It goes away by
 * itself when the call is answered in another tab, cancelled, or nobody answered in time.
 */
export function IncomingCallPrompt() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [call, setCall] = useState<CallView | null>(null);
  const [busy, setBusy] = useState<'accept' | 'decline' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ringtone = useRef<Ringtone | null>(null);

  useEffect(() => {
    const stopIncoming = realtime.on('call:incoming', (incoming) => {
      if (incoming.status !== 'ringing') return;
      setError(null);
      setBusy(null);
      setCall(incoming);
    });
    const stopUpdated = realtime.on('call:updated', (updated) => {
      // Answered (here or in another tab), cancelled, declined or timed out: stop ringing.
      setCall((current) =>
        current && current.id === updated.id && updated.status !== 'ringing' ? null : current,
      );
    });
    return () => {
      stopIncoming();
      stopUpdated();
    };
  }, []);

  // Already on this call's page (joined from the link): no prompt there.
  const onCallPage = call ? location.pathname === callPath(call.ticketId, call.id) : false;
  const open = call !== null && !onCallPage;

  useEffect(() => {
    if (!open) return;
    const tone = new Ringtone();
    ringtone.current = tone;
    tone.start();
    const title = document.title;
    document.title = `📞 ${t('call.incoming.title')}`;
    return () => {
      tone.stop();
      ringtone.current = null;
      document.title = title;
    };
  }, [open, t]);

  async function answer(accept: boolean) {
    if (!call) return;
    setBusy(accept ? 'accept' : 'decline');
    setError(null);
    ringtone.current?.stop();
    // The device check opens the camera and microphone first thing; start now, while the answer
    // travels and the call page renders.
    if (accept) openMediaEarly(call.id);
    try {
      const answered = await realtime.request('call:answer', { callId: call.id, accept });
      setCall(null);
      if (accept) navigate(callPath(answered.ticketId, answered.id), { state: { call: answered } });
    } catch (err) {
      discardEarlyMedia();
      setBusy(null);
      setError(describeError(err, t));
    }
  }

  const caller = call?.startedBy;
  return (
    <Modal
      opened={open}
      onClose={() => setCall(null)}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      centered
      title={t('call.incoming.title')}
      aria-describedby="incoming-call-description"
    >
      {call && caller && (
        <Stack gap="md">
          <Group gap="md" wrap="nowrap">
            <Avatar color="indigo" radius="xl" size="lg">
              {initials(caller.name)}
            </Avatar>
            <Stack gap={2} id="incoming-call-description">
              <Text fw={600}>{t('call.incoming.caller', { name: caller.name })}</Text>
              <Text size="sm" c="dimmed">
                {t('call.incoming.about', { number: call.ticketNumber })}
              </Text>
            </Stack>
          </Group>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button
              color="red"
              variant="light"
              leftSection={<HangUpIcon size={18} />}
              loading={busy === 'decline'}
              disabled={busy === 'accept'}
              onClick={() => void answer(false)}
            >
              {t('call.incoming.decline')}
            </Button>
            <Button
              color="teal"
              leftSection={<PhoneIcon size={18} />}
              loading={busy === 'accept'}
              disabled={busy === 'decline'}
              onClick={() => void answer(true)}
              data-autofocus
            >
              {t('call.incoming.accept')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
