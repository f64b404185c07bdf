import { Badge, Button, Group, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { CallStatus, PublicUser, TicketView, TimelineEntry } from '../../../signaling/shared/protocol';
import { describeError } from '../errors';
import { rememberActiveCall } from '../lib/call/activeCall';
import { loadDevicePreferences, openLocalMedia } from '../lib/call/devices';
import { startCall } from '../lib/call/startCall';
import { realtime } from '../lib/socket';
import { createCallEngine } from './hooks';
import { PhoneIcon } from './icons';
import { callPath } from './paths';

interface RunningCall {
  id: string;
  status: CallStatus;
  startedById: string | null;
}

/** The call on this ticket that has started and not ended, from the timeline (kept live by it). */
export function runningCallFrom(entries: TimelineEntry[] | undefined): RunningCall | null {
  if (!entries) return null;
  const ended = new Set<string>();
  const connected = new Set<string>();
  for (const e of entries) {
    const callId = typeof e.data.callId === 'string' ? e.data.callId : null;
    if (!callId) continue;
    if (e.type === 'call.ended') ended.add(callId);
    if (e.type === 'call.connected') connected.add(callId);
  }
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    const callId = typeof e.data.callId === 'string' ? e.data.callId : null;
    if (e.type !== 'call.started' || !callId || ended.has(callId)) continue;
    return {
      id: callId,
      status: connected.has(callId) ? 'connected' : 'ringing',
      startedById: e.actor?.id ?? null,
    };
  }
  return null;
}

/**
 * On the staff ticket page: "Start video call" rings the customer and opens the call; while a
 * call runs, its people and supervisors get "Join call".
 */
export function TicketCallButton({
  ticket,
  me,
  timeline,
  canWork,
}: {
  ticket: TicketView;
  me: PublicUser;
  timeline: UseQueryResult<TimelineEntry[]>;
  canWork: boolean;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fromTimeline = useMemo(() => runningCallFrom(timeline.data), [timeline.data]);
  // `call:updated` arrives before the timeline entry is fetched: use it for the status meanwhile.
  const [live, setLive] = useState<{ id: string; status: CallStatus } | null>(null);
  useEffect(
    () =>
      realtime.on('call:updated', (call) => {
        if (call.ticketId === ticket.id) setLive({ id: call.id, status: call.status });
      }),
    [ticket.id],
  );
  const running =
    live && live.id === fromTimeline?.id
      ? live.status === 'ended'
        ? null
        : { ...fromTimeline, status: live.status }
      : fromTimeline;

  const staffCaller = me.role === 'agent' || me.role === 'supervisor' || me.role === 'admin';
  if (!staffCaller) return null;
  const mayJoin =
    running && (me.role === 'supervisor' || me.role === 'admin' || running.startedById === me.id);

  async function start() {
    setStarting(true);
    setError(null);
    // The caller has no device check: the camera and microphone start opening at the click, and
    // the call is joined the moment the server answers, before the call page is navigated to and
    // rendered (startCall.ts); the page takes the joined engine over.
    const devices = openLocalMedia({ microphone: true, camera: true, ...loadDevicePreferences() });
    try {
      const { call } = await startCall(ticket.id, {
        signaling: realtime,
        createEngine: createCallEngine,
        devices,
        remember: (callId) => rememberActiveCall({ callId, cameraOff: false, micMuted: false }),
      });
      navigate(callPath(ticket.id, call.id), { state: { call, autoJoin: true } });
    } catch (err) {
      setStarting(false);
      const conflict = (err as { code?: string }).code === 'conflict';
      setError(conflict ? t('call.start.alreadyRunning') : describeError(err, t));
    }
  }

  return (
    <Group gap="xs">
      {running ? (
        <>
          <Badge color="teal" variant="dot" size="lg" tt="none" role="status">
            {t('call.start.running')}
          </Badge>
          {mayJoin && (
            <Button
              color="teal"
              leftSection={<PhoneIcon size={16} />}
              onClick={() => navigate(callPath(ticket.id, running.id))}
            >
              {t('call.start.join')}
            </Button>
          )}
        </>
      ) : (
        canWork &&
        ticket.status !== 'closed' && (
          <Button
            color="teal"
            variant="light"
            leftSection={<PhoneIcon size={16} />}
            loading={starting}
            onClick={() => void start()}
          >
            {t('call.start.button')}
          </Button>
        )
      )}
      {error && (
        <Text size="sm" c="red" role="alert">
          {t('call.start.failed')}: {error}
        </Text>
      )}
    </Group>
  );
}
