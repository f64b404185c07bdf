import { Alert, Anchor, Button, Center, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import type { CallEndReason, CallView, PublicUser } from '../../../signaling/shared/protocol';
import { describeError } from '../errors';
import { activeCall, forgetActiveCall, rememberActiveCall } from '../lib/call/activeCall';
import type { CallEngine, CallSnapshot, JoinOptions } from '../lib/call/CallEngine';
import { loadDevicePreferences, openLocalMedia } from '../lib/call/devices';
import { startCall } from '../lib/call/startCall';
import { useSession } from '../lib/session';
import { realtime } from '../lib/socket';
import { ticketsApi } from '../lib/tickets';
import { isStaffUser, useTicket, useTicketCalls } from '../tickets/queries';
import { type ArrivingCamera, DeviceCheck, JoiningStatus } from './DeviceCheck';
import { EndedView } from './EndedView';
import { createCallEngine, useCallEngine, useCallSnapshot } from './hooks';
import { InCallView } from './InCallView';
import { describeIssue } from './messages';
import { callPath } from './paths';

interface CallPageState {
  /** The call as the answer or start returned it. */
  call?: CallView;
  /** Join without stopping at the device check (the caller who just pressed "Start video call"). */
  autoJoin?: boolean;
}

/**
 * How long the device check shows before the call's media is prepared (bench:join --linger-ms:
 * preparing takes ~300 ms of a busy page; people take seconds on the check).
 */
const PREPARE_MEDIA_AFTER_MS = 400;

/**
 * Set while the page unloads (reload, tab closed): leaving then is not "leaving for good", so the
 * note that lets a reload rejoin by itself must stay.
 */
let pageUnloading = false;

/**
 * The other person's camera once it is received, while the join is still being set up: the check
 * shows it in place of the preview. The call view renders only once the set-up is done, on a busy
 * machine 100-200 ms after the picture could be on screen (bench:join).
 */
function arrivingCamera(snapshot: CallSnapshot, meId: string): ArrivingCamera | null {
  for (const peer of snapshot.remote) {
    if (!peer.camera || peer.camera.paused || peer.peerId === meId) continue;
    const person = snapshot.call?.participants.find((p) => p.user.id === peer.peerId);
    return { track: peer.camera.track, name: person?.user.name ?? '' };
  }
  return null;
}

/** The frame of the screens around the call (device check, ended, problems): name, ticket, way back. */
function Frame({
  children,
  ticketId,
  ticketTitle,
}: {
  children: React.ReactNode;
  ticketId?: string;
  ticketTitle?: string;
}) {
  const { t } = useTranslation();
  return (
    <Stack mih="100dvh" gap={0}>
      <Group
        component="header"
        justify="space-between"
        px="md"
        py={10}
        wrap="nowrap"
        style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
      >
        <Group gap="md" wrap="nowrap" style={{ minWidth: 0 }}>
          <Text fw={700} c="indigo.7">
            {t('app.name')}
          </Text>
          {ticketTitle && (
            <Text size="sm" c="dimmed" truncate>
              {ticketTitle}
            </Text>
          )}
        </Group>
        {ticketId && (
          <Anchor component={Link} to={`/tickets/${ticketId}`} size="sm" style={{ flex: 'none' }}>
            ← {t('call.backToTicket')}
          </Anchor>
        )}
      </Group>
      <Center component="main" id="main" p="md" style={{ flex: 1 }}>
        {children}
      </Center>
    </Stack>
  );
}

function Centered({ children }: { children: React.ReactNode }) {
  return <Frame>{children}</Frame>;
}

/**
 * For staff, the ticket's timeline says how a call ended, so opening the link of a finished call
 * shows its ending instead of a bare "cannot join". (Customers do not see the timeline.)
 */
function useEndedFromTimeline(ticketId: string, callId: string, enabled: boolean): CallView | null {
  const timeline = useQuery({
    queryKey: ['tickets', 'timeline', ticketId],
    queryFn: ({ signal }) => ticketsApi.timeline(ticketId, signal),
    enabled,
  });
  return useMemo(() => {
    const entry = timeline.data?.find((e) => e.type === 'call.ended' && e.data.callId === callId);
    if (!entry) return null;
    const started = timeline.data?.find((e) => e.type === 'call.started' && e.data.callId === callId);
    const seconds = Number(entry.data.connectedSeconds ?? 0);
    return {
      id: callId,
      ticketId,
      ticketNumber: 0,
      startedBy: started?.actor ?? { id: '', name: '', role: 'agent', tier: null },
      status: 'ended',
      startedAt: started?.createdAt ?? entry.createdAt,
      answeredAt: null,
      connectedAt: seconds > 0 ? entry.createdAt : null,
      endedAt: entry.createdAt,
      endReason: (entry.data.reason as CallEndReason | undefined) ?? null,
      connectedSeconds: seconds,
      participants: [],
      statsSummary: null,
    };
  }, [timeline.data, callId, ticketId]);
}

function CallScreens({
  engine,
  snapshot,
  me,
  ticketId,
  ticketTitle,
  state,
  onRestart,
  listed,
}: {
  engine: CallEngine;
  snapshot: CallSnapshot;
  me: PublicUser;
  ticketId: string;
  ticketTitle: string;
  state: CallPageState;
  onRestart: (autoJoin: boolean) => void;
  /**
   * What the ticket's call list says of this call: `known` once it has answered (or could not be
   * read), `absent` when it answered without this call.
   */
  listed: { known: boolean; call: CallView | undefined; absent: boolean };
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const callId = engine.callId;
  const staff = isStaffUser(me);
  const [remembered] = useState(() => activeCall(callId));
  const [callAgainError, setCallAgainError] = useState<string | null>(null);
  const endedFromTimeline = useEndedFromTimeline(
    ticketId,
    callId,
    staff && snapshot.phase === 'failed' && snapshot.issue?.reason === 'unavailable',
  );

  const join = useCallback(
    (options: JoinOptions) => {
      rememberActiveCall({
        callId,
        cameraOff: options.cameraOff ?? false,
        micMuted: options.micMuted ?? false,
      });
      void engine.join(options);
    },
    [engine, callId],
  );

  useEffect(() => {
    if (pageUnloading) return;
    if (snapshot.phase === 'ended' || snapshot.phase === 'replaced' || snapshot.phase === 'left') {
      forgetActiveCall(callId);
    }
  }, [snapshot.phase, callId]);

  // Keep what the next reload needs (camera off, muted) up to date.
  useEffect(() => {
    if (snapshot.phase === 'in_call') {
      rememberActiveCall({ callId, cameraOff: snapshot.cameraOff, micMuted: snapshot.micMuted });
    }
  }, [snapshot.phase, snapshot.cameraOff, snapshot.micMuted, callId]);

  async function callAgain() {
    setCallAgainError(null);
    // As "Start video call": joined before the new call's page renders (startCall.ts).
    const devices = openLocalMedia({ microphone: true, camera: true, ...loadDevicePreferences() });
    try {
      const { call } = await startCall(ticketId, {
        signaling: realtime,
        createEngine: createCallEngine,
        devices,
        remember: (id) => rememberActiveCall({ callId: id, cameraOff: false, micMuted: false }),
      });
      navigate(callPath(ticketId, call.id), { state: { call, autoJoin: true } satisfies CallPageState });
    } catch (err) {
      setCallAgainError(describeError(err, t));
    }
  }

  const endedCall = snapshot.phase === 'ended' ? snapshot.call : endedFromTimeline;
  // Kept the same between renders, as the device check is memoized on its props.
  const autoJoin = useMemo(
    () => remembered ?? (state.autoJoin ? { cameraOff: false, micMuted: false } : null),
    [remembered, state.autoJoin],
  );
  const cancelRing = useCallback(() => void engine.cancel(), [engine]);
  // While the person checks their camera and microphone, the call gets ready, so pressing "Join
  // call" only lets the media through (CallEngine.prepare). The media part starts once the check
  // has settled: someone who joins at once is not slowed by work they did not wait for. Not when
  // joining by itself (the caller, a reload): no one lingers on the check then.
  // The device check (which opens the camera and microphone) only shows for a call that can still be
  // joined: until the call's state is known, and for an ended call (the engine is being told, see
  // CallPage), nothing is opened; a call that is not on this ticket is never checked for.
  const waitingForState =
    snapshot.phase === 'idle' && !endedCall && (!listed.known || listed.call?.status === 'ended');
  const notOnTicket = snapshot.phase === 'idle' && listed.absent;
  const checkingDevices = snapshot.phase === 'idle' && !endedCall && !waitingForState && !notOnTicket;
  const joinsByItself = autoJoin !== null;
  useEffect(() => {
    if (!checkingDevices) return;
    engine.prepare({ media: false });
    if (joinsByItself) return;
    const timer = setTimeout(() => engine.prepare(), PREPARE_MEDIA_AFTER_MS);
    return () => clearTimeout(timer);
  }, [engine, checkingDevices, joinsByItself]);

  if (endedCall) {
    return (
      <Frame ticketId={ticketId} ticketTitle={ticketTitle}>
        <Stack w="100%">
          <EndedView
            call={endedCall}
            me={me}
            endedByMe={snapshot.endedByMe}
            ticketId={ticketId}
            onCallAgain={staff && me.role !== 'qa' ? () => void callAgain() : undefined}
          />
          {callAgainError && (
            <Alert color="red" maw={560} mx="auto" role="alert">
              {callAgainError}
            </Alert>
          )}
        </Stack>
      </Frame>
    );
  }

  if (waitingForState) {
    return (
      <Frame ticketId={ticketId} ticketTitle={ticketTitle}>
        <Loader aria-label={t('call.status.joining')} />
      </Frame>
    );
  }

  if (
    notOnTicket ||
    snapshot.phase === 'replaced' ||
    snapshot.phase === 'left' ||
    snapshot.phase === 'failed'
  ) {
    const message = notOnTicket
      ? describeIssue({ reason: 'unavailable' }, t)
      : snapshot.phase === 'replaced'
        ? { title: t('call.replaced.title'), body: t('call.replaced.body') }
        : snapshot.phase === 'left'
          ? { title: t('call.left.title'), body: t('call.left.body') }
          : describeIssue(snapshot.issue ?? { reason: 'unknown' }, t);
    return (
      <Frame ticketId={ticketId} ticketTitle={ticketTitle}>
        <Paper maw={560} w="100%" p="xl" radius="md" withBorder component="section">
          <Stack gap="md" align="flex-start">
            <Title order={1} size="h2">
              {message.title}
            </Title>
            <Text role={snapshot.phase === 'failed' || notOnTicket ? 'alert' : 'status'}>{message.body}</Text>
            <Group>
              <Button component={Link} to={`/tickets/${ticketId}`} variant="default">
                {t('call.backToTicket')}
              </Button>
              {notOnTicket ? null : snapshot.phase === 'failed' ? (
                <Button onClick={() => void engine.retry()}>{t('common.retry')}</Button>
              ) : (
                <Button onClick={() => onRestart(true)}>
                  {snapshot.phase === 'replaced' ? t('call.replaced.useHere') : t('call.left.rejoin')}
                </Button>
              )}
            </Group>
          </Stack>
        </Paper>
      </Frame>
    );
  }

  // The device check stays (its preview still under "Joining…") until the join's set-up is done:
  // the call view is a big render, and rendered at the same time it held back each WebRTC step of
  // the join (bench:join). It then renders while ICE, DTLS and the first keyframe are under way.
  const joiningFromCheck =
    snapshot.settingUp && (snapshot.phase === 'joining' || snapshot.phase === 'in_call');
  // Joined by itself before this page rendered (the caller: startCall.ts): the engine has the
  // devices, so no check may open them again.
  if (joiningFromCheck && autoJoin) {
    return (
      <Frame ticketId={ticketId} ticketTitle={ticketTitle}>
        <JoiningStatus />
      </Frame>
    );
  }
  if (snapshot.phase === 'idle' || joiningFromCheck) {
    return (
      <Frame ticketId={ticketId} ticketTitle={ticketTitle}>
        <DeviceCheck
          callId={callId}
          me={me}
          call={snapshot.call}
          autoJoin={autoJoin}
          onJoin={join}
          onTracks={engine.stageTracks}
          onCancelRing={cancelRing}
          arriving={joiningFromCheck ? arrivingCamera(snapshot, me.id) : null}
        />
      </Frame>
    );
  }

  return (
    <InCallView engine={engine} snapshot={snapshot} me={me} ticketId={ticketId} ticketTitle={ticketTitle} />
  );
}

/**
 * `/tickets/:ticketId/call/:callId`, the link the server posts into the conversation. The page
 * owns the call: opening it (after the device check) joins, leaving it or closing the tab leaves,
 * and a reload within the grace period joins again by itself.
 */
export function CallPage() {
  const { t } = useTranslation();
  const { ticketId = '', callId = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const { session } = useSession();
  const state = (location.state ?? {}) as CallPageState;
  // Bumped by "Use this tab instead" / "Rejoin": a fresh engine that joins straight away.
  const [round, setRound] = useState(0);
  const engine = useCallEngine(`${callId}`, round);
  const snapshot = useCallSnapshot(engine);
  // The title and access check: the copy the ticket page had is current (live updates), so opening
  // the call does not load it again while the call is being set up.
  const ticket = useTicket(ticketId, { staleTime: 60_000 });
  const ticketTitle = ticket.data ? `#${ticket.data.number} · ${ticket.data.subject}` : '';
  useDocumentTitle(
    `${t('call.pageTitle')}${ticket.data ? ` · #${ticket.data.number}` : ''} · ${t('app.name')}`,
  );

  // The answer or start already told us about the call: show it before joining.
  const toldByState = state.call?.id === callId;
  useEffect(() => {
    if (engine && state.call && state.call.id === callId) engine.setCall(state.call);
  }, [engine, state.call, callId]);
  // Opened from a link (or a reload): the ticket's call list says whether the call is still live.
  // An ended call goes straight to how it ended (the engine finishes on it), never to the devices.
  const calls = useTicketCalls(ticketId, !toldByState);
  const listedCall = calls.data?.find((c) => c.id === callId);
  // Only an ended call is handed to the engine: a live one's state comes from the server's own
  // pushes and the join, which a list read a moment earlier must not overwrite.
  const endedCall = listedCall?.status === 'ended' ? listedCall : undefined;
  useEffect(() => {
    if (engine && endedCall) engine.setCall(endedCall);
  }, [engine, endedCall]);
  // When the list cannot be read, joining answers for itself (e.g. "cannot be joined").
  const listed = {
    known: toldByState || calls.isSuccess || calls.isError,
    call: listedCall,
    absent: !toldByState && calls.isSuccess && !listedCall,
  };

  // Closing the tab or reloading leaves at once (the server would notice the socket drop anyway).
  useEffect(() => {
    if (!engine) return;
    const onPageHide = () => {
      pageUnloading = true;
      engine.leave();
    };
    const onPageShow = (event: PageTransitionEvent) => {
      // Back from the back/forward cache: the page lives again.
      if (event.persisted) pageUnloading = false;
    };
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('pageshow', onPageShow);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('pageshow', onPageShow);
    };
  }, [engine]);

  // Leaving the page inside the app (not a reload) means leaving the call for good.
  useEffect(
    () => () => {
      if (!pageUnloading) forgetActiveCall(callId);
    },
    [callId],
  );

  const restart = useCallback(
    (autoJoin: boolean) => {
      if (autoJoin) rememberActiveCall({ callId, cameraOff: false, micMuted: false });
      setRound((r) => r + 1);
      navigate('.', { replace: true, state: {} });
    },
    [callId, navigate],
  );

  if (!session) return null;
  if (!engine || !snapshot) {
    return (
      <Centered>
        <Loader aria-label={t('call.status.joining')} />
      </Centered>
    );
  }
  return (
    <CallScreens
      key={`${callId}:${round}`}
      engine={engine}
      snapshot={snapshot}
      me={session.user}
      ticketId={ticketId}
      ticketTitle={ticketTitle}
      state={state}
      onRestart={restart}
      listed={listed}
    />
  );
}
