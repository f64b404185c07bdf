import {
  ActionIcon,
  Alert,
  Badge,
  Box,
  Button,
  CloseButton,
  Drawer,
  Group,
  Paper,
  ScrollArea,
  Stack,
  Text,
  Tooltip,
  useMatches,
} from '@mantine/core';
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicUser } from '../../../signaling/shared/protocol';
import { CallWhiteboardPanel, useCallWhiteboard, WhiteboardToggle } from '../board/CallWhiteboard';
import type { CallEngine, CallIssue, CallSnapshot } from '../lib/call/CallEngine';
import { RecordingButton, RecordingIndicator, RecordingNotices } from '../recording/CallRecording';
import { useCallRecording } from '../recording/useCallRecording';
import { CallChat } from './CallChat';
import { CallControls, controlsStateOf } from './CallControls';
import { useAfterMediaStarts } from './hooks';
import { ChatIcon, ClockIcon, PhoneIcon, SpeakerIcon } from './icons';
import { chooseLayout } from './layout';
import { RemoteAudio } from './media';
import { describeIssue } from './messages';
import { ParticipantList } from './ParticipantList';
import { QualityIndicator } from './QualityIndicator';
import { SharingBanner, Stage, StageMessage } from './Stage';

/** 75 → "01:15", 3700 → "1:01:40". */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 2, '0');
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

function useTick(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** Memoized, as the other parts of the header: the call view renders on every snapshot change. */
const StatusBadge = memo(function StatusBadge({
  call,
  phase,
}: {
  call: CallSnapshot['call'];
  phase: CallSnapshot['phase'];
}) {
  const { t } = useTranslation();
  const connected = call?.status === 'connected' && call.connectedAt !== null;
  const now = useTick(connected);
  if (phase === 'reconnecting') return <Badge color="orange">{t('call.status.reconnecting')}</Badge>;
  if (phase === 'joining' || !call) return <Badge color="gray">{t('call.status.joining')}</Badge>;
  if (connected) {
    const seconds = Math.max(0, (now - Date.parse(call.connectedAt!)) / 1000);
    return (
      <Badge color="teal" tt="none" data-call-status="connected">
        {t('call.status.connected')} · <time data-call-clock="true">{formatClock(seconds)}</time>
      </Badge>
    );
  }
  return (
    <Badge color={call.status === 'ringing' ? 'indigo' : 'yellow'} tt="none" data-call-status={call.status}>
      {t(`call.status.${call.status === 'ringing' ? 'ringing' : 'connecting'}`)}
    </Badge>
  );
});

/** Opens the side panel's drawer on a phone, where the panel has no room beside the picture. */
const SidePanelButton = memo(function SidePanelButton({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('call.sidePanel')} withArrow>
      <ActionIcon
        hiddenFrom="md"
        size={30}
        variant="default"
        onClick={onOpen}
        aria-label={t('call.sidePanel')}
        aria-haspopup="dialog"
      >
        <ChatIcon size={16} />
      </ActionIcon>
    </Tooltip>
  );
});

/** The problem banner above the picture; the user may dismiss it until a new problem comes. */
function IssueBanner({ issue }: { issue: CallIssue | null }) {
  const { t } = useTranslation();
  const [dismissed, setDismissed] = useState<CallIssue | null>(null);
  if (!issue || issue === dismissed || issue.reason === 'network') return null;
  const message = describeIssue(issue, t, true);
  return (
    <Alert
      color="orange"
      variant="filled"
      radius={0}
      title={message.title}
      role="alert"
      withCloseButton={false}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm">{message.body}</Text>
        <CloseButton
          aria-label={t('common.dismiss')}
          variant="transparent"
          c="white"
          onClick={() => setDismissed(issue)}
        />
      </Group>
    </Alert>
  );
}

/**
 * Who is in the call and the chat. Memoized: the call view re-renders on every engine update
 * (statistics, tracks, quality), and the conversation beside it need not follow.
 */
const SidePanel = memo(function SidePanel({
  call,
  me,
  ticketId,
  ready,
}: {
  /** False while the call is being set up: the panel mounts after the media is up (useAfterMediaStarts). */
  ready: boolean;
  call: CallSnapshot['call'];
  me: PublicUser;
  ticketId: string;
}) {
  const { t } = useTranslation();
  if (!ready) {
    // Held back on purpose for at most a moment while the call's media is set up: a line, and no
    // spinner drawing frames on the CPU that set-up is waiting for.
    return (
      <Text size="sm" c="dimmed" role="status">
        {t('conversation.loading')}
      </Text>
    );
  }
  return (
    <Stack gap="lg">
      <ParticipantList call={call} meId={me.id} />
      <CallChat ticketId={ticketId} me={me} />
    </Stack>
  );
});

/**
 * The call itself: the picture (remote big, self small; a shared screen big), the controls,
 * connection quality, who is in the call, and the ticket's chat beside it.
 */
export function InCallView({
  engine,
  snapshot,
  me,
  ticketId,
  ticketTitle,
}: {
  engine: CallEngine;
  snapshot: CallSnapshot;
  me: PublicUser;
  ticketId: string;
  ticketTitle: string;
}) {
  const { t } = useTranslation();
  const [soundBlocked, setSoundBlocked] = useState(false);
  const [unlockKey, setUnlockKey] = useState(0);
  const [panelOpen, setPanelOpen] = useState(false);
  const onBlocked = useCallback(() => setSoundBlocked(true), []);
  const layout = chooseLayout(snapshot, me.id, me.name);
  const { call, phase } = snapshot;
  // What is not the picture or the controls waits until the media is up (see useAfterMediaStarts).
  const secondaryReady = useAfterMediaStarts(snapshot);
  const recording = useCallRecording(engine.callId, me, secondaryReady);
  const supervisor = call?.participants.find((p) => p.user.id === me.id)?.role === 'supervisor';
  const otherName = layout.counterpart?.user.name ?? '';
  // The call's shared whiteboard: in sync for the whole call, shown in place of the stage when open.
  // On a phone the board would replace the picture the person is watching: it waits to be opened.
  const roomForBoard = useMatches({ base: false, md: true });
  const whiteboard = useCallWhiteboard(
    snapshot.callId,
    secondaryReady && (phase === 'in_call' || phase === 'reconnecting'),
    { autoOpen: roomForBoard },
  );

  let overlay: React.ReactNode = null;
  if (phase === 'reconnecting') {
    overlay = (
      <StageMessage
        text={t('call.status.reconnecting')}
        detail={
          snapshot.rejoinGraceMs
            ? t('call.reconnectingDetail', { seconds: Math.round(snapshot.rejoinGraceMs / 1000) })
            : undefined
        }
      />
    );
  } else if (phase === 'joining') {
    overlay = <StageMessage text={t('call.status.joining')} />;
  } else if (call?.status === 'ringing' && call.startedBy.id === me.id) {
    overlay = (
      <StageMessage
        text={t('call.ringingWho', { name: otherName })}
        icon={<PhoneIcon size={32} />}
        action={{ label: t('call.cancelRing'), onClick: () => void engine.cancel(), color: 'red' }}
      />
    );
  } else if (call && layout.counterpart && !layout.counterpart.present && call.status !== 'ringing') {
    // On their device check with their camera and microphone ready: about to join.
    const preparing = snapshot.preparing.includes(layout.counterpart.user.id);
    overlay = (
      <StageMessage
        text={t(preparing ? 'call.gettingReady' : 'call.waitingFor', { name: otherName })}
        icon={<ClockIcon size={32} />}
      />
    );
  }

  const remoteMics = snapshot.remote.flatMap((p) => (p.mic ? [p.mic] : []));
  // The controls are memoized: what they get stays the same object while nothing they show changed.
  const controls = controlsStateOf(snapshot);
  const notInCall = phase !== 'in_call';
  const recordingButton = useMemo(
    () => <RecordingButton recording={recording} disabled={notInCall} />,
    [recording, notInCall],
  );
  // Still ringing: the caller's hang-up is a cancel (the customer sees "cancelled").
  const cancelsRing = call?.status === 'ringing' && call.startedBy.id === me.id;
  const hangUp = useCallback(() => {
    if (supervisor) engine.leave();
    else if (cancelsRing) void engine.cancel();
    else void engine.hangup();
  }, [engine, supervisor, cancelsRing]);
  const openPanel = useCallback(() => setPanelOpen(true), []);

  return (
    <Box h="100dvh" style={{ display: 'flex', flexDirection: 'column' }} component="main" id="main">
      {/* On a phone the header wraps: the title on one line, the call's buttons on the next. */}
      <Group
        justify="space-between"
        px={{ base: 'sm', sm: 'md' }}
        py={8}
        gap="xs"
        wrap="wrap"
        style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
        component="header"
      >
        <Stack gap={0} style={{ flex: '1 1 10rem', minWidth: 0 }}>
          <Text fw={700} c="indigo.7" size="sm">
            {t('app.name')}
          </Text>
          <Text size="sm" truncate>
            {ticketTitle}
          </Text>
        </Stack>
        <Group gap="xs" wrap="wrap" justify="flex-end" style={{ flex: '0 1 auto' }}>
          <WhiteboardToggle whiteboard={whiteboard} />
          <RecordingIndicator recording={recording} />
          <StatusBadge call={call} phase={phase} />
          <QualityIndicator quality={snapshot.quality} />
          {/* An icon on a phone, where the header's words would push the call's buttons to a third line. */}
          <SidePanelButton onOpen={openPanel} />
        </Group>
      </Group>
      <Box style={{ flex: 1, minHeight: 0, display: 'flex' }} className="call-body">
        <Box style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
          <IssueBanner issue={snapshot.issue} />
          <RecordingNotices recording={recording} />
          {soundBlocked && (
            <Group justify="center" gap="sm" py={6} bg="yellow.1">
              <Text size="sm">{t('call.soundBlocked')}</Text>
              <Button
                size="compact-sm"
                leftSection={<SpeakerIcon size={14} />}
                onClick={() => {
                  setSoundBlocked(false);
                  setUnlockKey((k) => k + 1);
                }}
              >
                {t('call.turnOnSound')}
              </Button>
            </Group>
          )}
          {whiteboard.open ? (
            <CallWhiteboardPanel
              whiteboard={whiteboard}
              call={snapshot}
              ticketId={ticketId}
              staff={me.role !== 'customer'}
            />
          ) : (
            <Stage
              layout={layout}
              overlay={overlay}
              banner={
                snapshot.sharing ? <SharingBanner onStop={() => void engine.stopScreenShare()} /> : null
              }
            />
          )}
          <Box bg="gray.0" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
            <CallControls
              engine={engine}
              state={controls}
              supervisor={supervisor}
              extra={recordingButton}
              onHangUp={hangUp}
              listDevices={secondaryReady}
            />
          </Box>
        </Box>
        <Paper
          component="aside"
          w={360}
          p="md"
          radius={0}
          visibleFrom="md"
          style={{
            borderLeft: '1px solid var(--mantine-color-gray-3)',
            display: 'flex',
            flexDirection: 'column',
          }}
          aria-label={t('call.sidePanel')}
        >
          <ScrollArea style={{ flex: 1 }} type="auto" offsetScrollbars>
            <SidePanel call={call} me={me} ticketId={ticketId} ready={secondaryReady} />
          </ScrollArea>
        </Paper>
      </Box>
      {/* Small screens: the same panel in a drawer, so the chat stays reachable on a phone. */}
      <Drawer
        opened={panelOpen}
        onClose={() => setPanelOpen(false)}
        position="right"
        title={t('call.sidePanel')}
        hiddenFrom="md"
      >
        {panelOpen && <SidePanel call={call} me={me} ticketId={ticketId} ready />}
      </Drawer>
      {remoteMics.map((m) => (
        <RemoteAudio key={m.consumerId} track={m.track} onBlocked={onBlocked} unlockKey={unlockKey} />
      ))}
    </Box>
  );
}
