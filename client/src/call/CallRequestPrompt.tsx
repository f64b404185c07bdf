// Rings an agent whom a customer's call request reaches (`callRequest:updated`): a dialog with the
// customer and the ticket, a ring tone, Accept (starts the agent's normal call and opens it) and
// Decline. It goes away when the request is answered elsewhere, withdrawn or expires.
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { CallRequestView } from '../../../signaling/shared/callRequests';
import { describeError } from '../errors';
import { assignEarlyMedia, discardEarlyMedia, openMediaEarly } from '../lib/call/earlyMedia';
import { Ringtone } from '../lib/call/ringtone';
import { useSession } from '../lib/session';
import { realtime } from '../lib/socket';
import { HangUpIcon, PhoneIcon } from './icons';
import { callPath } from './paths';
import { callRequestApi } from './RequestCall';

export function CallRequestPrompt() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { session } = useSession();
  const me = session?.user.id;
  const [requests, setRequests] = useState<CallRequestView[]>([]);
  const [busy, setBusy] = useState<'accept' | 'decline' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ringtone = useRef<Ringtone | null>(null);

  useEffect(
    () =>
      realtime.on('callRequest:updated', (request) => {
        setRequests((list) => {
          const others = list.filter((r) => r.id !== request.id);
          return request.status === 'ringing' && me && request.targetIds.includes(me)
            ? [...others, request]
            : others;
        });
      }),
    [me],
  );

  const current = requests[0] ?? null;
  useEffect(() => {
    if (!current) return;
    setError(null);
    setBusy(null);
    const tone = new Ringtone();
    ringtone.current = tone;
    tone.start();
    return () => {
      tone.stop();
      ringtone.current = null;
    };
  }, [current]);

  async function answer(accept: boolean) {
    if (!current) return;
    setBusy(accept ? 'accept' : 'decline');
    ringtone.current?.stop();
    // Accepting makes this agent the caller: as with "Start video call", the devices open while
    // the call is created and the call page joins at once.
    if (accept) openMediaEarly(null);
    try {
      const result = await callRequestApi.answer(current.ticketId, current.id, accept);
      setRequests((list) => list.filter((r) => r.id !== current.id));
      if (accept && 'call' in result && result.call) {
        assignEarlyMedia(result.call.id);
        navigate(callPath(current.ticketId, result.call.id), {
          state: { call: result.call, autoJoin: true },
        });
      }
    } catch (err) {
      if (accept) discardEarlyMedia();
      setBusy(null);
      setError(describeError(err, t));
    }
  }

  return (
    <Modal
      opened={current !== null}
      onClose={() => void answer(false)}
      withCloseButton={false}
      closeOnClickOutside={false}
      centered
      title={t('callRequest.incomingTitle')}
      aria-describedby="call-request-description"
    >
      {current && (
        <Stack gap="md">
          <Text id="call-request-description">
            {t('callRequest.incomingBody', {
              name: current.customer.name,
              number: current.ticketNumber,
              subject: current.subject,
            })}
          </Text>
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
              {t('callRequest.decline')}
            </Button>
            <Button
              color="teal"
              leftSection={<PhoneIcon size={18} />}
              loading={busy === 'accept'}
              disabled={busy === 'decline'}
              onClick={() => void answer(true)}
              data-autofocus
            >
              {t('callRequest.accept')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
