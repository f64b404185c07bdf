import {
  Alert,
  Box,
  Button,
  Center,
  Grid,
  Group,
  Loader,
  NativeSelect,
  Paper,
  Stack,
  Switch,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallView, PublicUser } from '../../../signaling/shared/protocol';
import type { JoinOptions } from '../lib/call/CallEngine';
import {
  deviceIdOf,
  loadDevicePreferences,
  type MediaAccessError,
  openLocalMedia,
  openTrack,
  saveDevicePreferences,
  stopTrack,
  toMediaAccessError,
} from '../lib/call/devices';
import { takeEarlyMedia } from '../lib/call/earlyMedia';
import { useAudioLevel, useDevices } from './hooks';
import { CameraOffIcon } from './icons';
import { counterpartOf } from './layout';
import { VideoView } from './media';
import { describeIssue } from './messages';

type DeviceErrors = Partial<Record<'camera' | 'microphone', MediaAccessError>>;

const issueReason = {
  denied: 'permission_denied',
  busy: 'device_busy',
  no_device: 'no_device',
  insecure: 'insecure',
  cancelled: 'unknown',
  unknown: 'unknown',
} as const;

/**
 * Ten bars that light up with the microphone level; a native <meter> says the same to screen
 * readers. It follows the level (~15 times a second) on its own, so the rest of the check does
 * not re-render with it.
 */
function LevelMeter({ track, label }: { track: MediaStreamTrack | null; label: string }) {
  const level = useAudioLevel(track);
  const lit = Math.round(level * 10);
  return (
    <Box>
      <VisuallyHidden>
        <meter min={0} max={100} value={Math.round(level * 100)} aria-label={label} />
      </VisuallyHidden>
      <Group gap={4} aria-hidden="true" wrap="nowrap" data-testid="mic-level" data-level={lit}>
        {Array.from({ length: 10 }, (_, i) => (
          <Box
            // biome-ignore lint/suspicious/noArrayIndexKey: fixed list of bars
            key={i}
            h={10}
            style={{
              flex: 1,
              borderRadius: 3,
              background: i < lit ? 'var(--mantine-color-teal-6)' : 'var(--mantine-color-gray-3)',
              transition: 'background 80ms',
            }}
          />
        ))}
      </Group>
    </Box>
  );
}

/** What someone who joins without the device check (the caller, a reload) sees while it joins. */
export function JoiningStatus() {
  const { t } = useTranslation();
  return (
    <Center h="100%" role="status">
      <Group gap="xs">
        <Loader size="sm" aria-hidden="true" />
        <Text>{t('call.status.joining')}</Text>
      </Group>
    </Center>
  );
}

/**
 * Over the preview from the Join click until the call view takes over: the still picture dimmed
 * and a line saying what happens. Nothing in it moves (see the preview's `still`).
 */
function JoiningVeil() {
  const { t } = useTranslation();
  return (
    <Center pos="absolute" inset={0} bg="rgba(0, 0, 0, 0.45)" role="status">
      <Text c="white" fw={600}>
        {t('call.status.joining')}
      </Text>
    </Center>
  );
}

/** The other person's camera as the check shows it while the join is set up. */
export interface ArrivingCamera {
  track: MediaStreamTrack;
  name: string;
}

/**
 * What the check shows of the call: its status line and the caller's "cancel". The call's other
 * changes during a join (participants joining, the status moving on) re-render nothing here.
 */
function sameCheckView(a: CallView | null, b: CallView | null, meId: string): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const [x, y] = [counterpartOf(a, meId), counterpartOf(b, meId)];
  return (
    a.status === b.status &&
    a.startedBy.id === b.startedBy.id &&
    x?.user.name === y?.user.name &&
    x?.present === y?.present
  );
}

/**
 * The check before joining: camera preview, microphone level, device choice, "join with camera
 * off", and a clear message with Retry when a device is blocked, busy or missing. The tracks it
 * opened are handed to the call engine on Join, so the call starts without a second prompt.
 * With `autoJoin` (the caller, or a reload during the call) it joins at once and hands the devices
 * over as they open (a busy spinner meanwhile); the call view reports a device that fails.
 *
 * Memoized: the call page re-renders on every change of the call's state, several times during a
 * join while this check is still on screen, and the check (selects, preview, meter) is not cheap.
 */
export const DeviceCheck = memo(DeviceCheckView, (prev, next) => {
  const { call: prevCall, arriving: prevArriving, ...prevRest } = prev;
  const { call: nextCall, arriving: nextArriving, ...nextRest } = next;
  const keys = Object.keys(nextRest) as Array<keyof typeof nextRest>;
  return (
    keys.length === Object.keys(prevRest).length &&
    keys.every((key) => Object.is(prevRest[key], nextRest[key])) &&
    sameCheckView(prevCall, nextCall, next.me.id) &&
    // A new object on every render of the call page: the same track and name are the same picture.
    prevArriving?.track === nextArriving?.track &&
    prevArriving?.name === nextArriving?.name
  );
});

function DeviceCheckView({
  callId,
  me,
  call,
  autoJoin,
  onJoin,
  onTracks,
  onCancelRing,
  arriving = null,
}: {
  callId: string;
  me: PublicUser;
  call: CallView | null;
  autoJoin: { cameraOff: boolean; micMuted: boolean } | null;
  onJoin: (options: JoinOptions) => void;
  /** The tracks being previewed, whenever they change (the call gets them ready, held). */
  onTracks?: (tracks: { mic: MediaStreamTrack | null; camera: MediaStreamTrack | null }) => void;
  onCancelRing?: () => void;
  /** Joining: the other person's camera, received before the call view is ready, in the preview's place. */
  arriving?: ArrivingCamera | null;
}) {
  const { t } = useTranslation();
  const prefs = useMemo(loadDevicePreferences, []);
  const [microphoneId, setMicrophoneId] = useState(prefs.microphoneId);
  const [cameraId, setCameraId] = useState(prefs.cameraId);
  const [cameraOff, setCameraOff] = useState(autoJoin?.cameraOff ?? false);
  const [hdVideo, setHdVideo] = useState(prefs.hdVideo ?? false);
  const [mic, setMic] = useState<MediaStreamTrack | null>(null);
  const [camera, setCamera] = useState<MediaStreamTrack | null>(null);
  const [errors, setErrors] = useState<DeviceErrors>({});
  const [opening, setOpening] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const [joining, setJoining] = useState(false);
  const handedOver = useRef(false);
  const tracks = useRef<{ mic: MediaStreamTrack | null; camera: MediaStreamTrack | null }>({
    mic: null,
    camera: null,
  });
  const devices = useDevices(`${attempt}:${mic?.id ?? ''}:${camera?.id ?? ''}`);

  const putMic = useCallback((track: MediaStreamTrack | null) => {
    if (tracks.current.mic !== track) stopTrack(tracks.current.mic);
    tracks.current.mic = track;
    setMic(track);
  }, []);
  const putCamera = useCallback((track: MediaStreamTrack | null) => {
    if (tracks.current.camera !== track) stopTrack(tracks.current.camera);
    tracks.current.camera = track;
    setCamera(track);
  }, []);

  /** The devices in use are the ones to open next time. */
  const rememberDevices = useCallback(
    (media: { microphone: MediaStreamTrack | null; camera: MediaStreamTrack | null }) => {
      const micDevice = deviceIdOf(media.microphone) ?? microphoneId;
      const cameraDevice = deviceIdOf(media.camera) ?? cameraId;
      saveDevicePreferences({
        ...(micDevice ? { microphoneId: micDevice } : {}),
        ...(cameraDevice ? { cameraId: cameraDevice } : {}),
      });
      return { micDevice, cameraDevice };
    },
    [microphoneId, cameraId],
  );

  const join = useCallback(
    (media: { mic: MediaStreamTrack | null; camera: MediaStreamTrack | null; cameraOff: boolean }) => {
      handedOver.current = true;
      setJoining(true);
      const { micDevice, cameraDevice } = rememberDevices({ microphone: media.mic, camera: media.camera });
      onJoin({
        microphone: media.mic,
        camera: media.cameraOff ? null : media.camera,
        microphoneId: micDevice,
        cameraId: cameraDevice,
        cameraOff: media.cameraOff || !media.camera,
        micMuted: autoJoin?.micMuted ?? false,
      });
    },
    [rememberDevices, onJoin, autoJoin],
  );

  // Opens both devices on mount and on Retry.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs per attempt; the ids and switch are read at that moment
  useEffect(() => {
    if (handedOver.current) return; // joined by itself: the engine has the devices
    let cancelled = false;
    setOpening(true);
    // Opened when the person accepted the call (IncomingCallPrompt), if so; else now.
    const early = attempt === 0 ? takeEarlyMedia(callId) : null;
    const opening = early
      ? early.then((media) => {
          if (!cameraOff) return media;
          stopTrack(media.camera);
          const { camera: _, ...errors } = media.errors;
          return { ...media, camera: null, errors };
        })
      : openLocalMedia({ microphone: true, camera: !cameraOff, microphoneId, cameraId });
    if (autoJoin && attempt === 0) {
      // Joining by itself (the caller, a reload): the join does not wait for the devices, which
      // the call takes as they open; one that fails is the call's problem to show from then on.
      handedOver.current = true;
      setJoining(true);
      void opening.then(rememberDevices);
      onJoin({
        devices: opening,
        cameraOff,
        micMuted: autoJoin.micMuted,
        microphoneId,
        cameraId,
      });
      return;
    }
    void opening.then((media) => {
      if (cancelled || handedOver.current) {
        stopTrack(media.microphone);
        stopTrack(media.camera);
        return;
      }
      putMic(media.microphone);
      putCamera(media.camera);
      setErrors(media.errors);
      setOpening(false);
    });
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  useEffect(() => {
    if (!handedOver.current) onTracks?.({ mic, camera: cameraOff ? null : camera });
  }, [mic, camera, cameraOff, onTracks]);

  // Releases the devices when leaving without joining (the engine owns them after Join).
  useEffect(
    () => () => {
      if (handedOver.current) return;
      stopTrack(tracks.current.mic);
      stopTrack(tracks.current.camera);
    },
    [],
  );

  /** Opens the camera again (another device, another size), releasing the old one first. */
  async function reopenCamera(deviceId: string | undefined) {
    // Many cameras cannot be open twice.
    putCamera(null);
    try {
      putCamera(await openTrack('camera', deviceId));
      setErrors(({ camera: _, ...rest }) => rest);
    } catch (err) {
      setErrors((e) => ({ ...e, camera: toMediaAccessError(err, 'camera') }));
    }
  }

  async function chooseCamera(deviceId: string) {
    setCameraId(deviceId);
    if (!cameraOff) await reopenCamera(deviceId);
  }

  async function chooseMicrophone(deviceId: string) {
    setMicrophoneId(deviceId);
    try {
      putMic(await openTrack('microphone', deviceId));
      setErrors(({ microphone: _, ...rest }) => rest);
    } catch (err) {
      setErrors((e) => ({ ...e, microphone: toMediaAccessError(err, 'microphone') }));
    }
  }

  /** HD or standard camera picture: remembered for the next calls, and the preview shows it now. */
  async function toggleHdVideo(hd: boolean) {
    setHdVideo(hd);
    saveDevicePreferences({ hdVideo: hd });
    if (!cameraOff) await reopenCamera(cameraId);
  }

  async function toggleCameraOff(off: boolean) {
    setCameraOff(off);
    if (!off) return reopenCamera(cameraId);
    putCamera(null);
    setErrors(({ camera: _, ...rest }) => rest);
  }

  const other = counterpartOf(call, me.id);
  const status =
    call?.status === 'ringing'
      ? call.startedBy.id === me.id
        ? t('call.ringingWho', { name: other?.user.name ?? '' })
        : t('call.status.ringing')
      : other?.present
        ? t('call.check.otherWaiting', { name: other.user.name })
        : null;

  // Both denied: one message covers both devices.
  const errorList: Array<[key: string, error: MediaAccessError]> =
    errors.camera?.reason === 'denied' && errors.microphone?.reason === 'denied'
      ? [['both', errors.camera]]
      : (Object.entries(errors) as Array<[string, MediaAccessError]>);

  const currentCamera = deviceIdOf(camera) ?? cameraId ?? '';
  const currentMic = deviceIdOf(mic) ?? microphoneId ?? '';

  if (autoJoin && (opening || joining) && errorList.length === 0) return <JoiningStatus />;

  return (
    <Paper maw={980} w="100%" mx="auto" p="lg" radius="md" withBorder component="section">
      <Stack gap="md">
        <Stack gap={2}>
          <Title order={1} size="h2">
            {t('call.check.title')}
          </Title>
          {status && (
            <Text size="sm" fw={600} c="indigo.7" role="status">
              {status}
            </Text>
          )}
        </Stack>
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap="xs">
              <Box
                pos="relative"
                style={{ aspectRatio: '16 / 9', borderRadius: 8, overflow: 'hidden', background: '#1a1b1e' }}
              >
                {camera && !cameraOff ? (
                  // From the Join click the preview holds its last frame under a "Joining…" veil:
                  // it has done its job, and each new frame is drawn at the cost of the join the
                  // person now waits for (on a machine without a GPU, most of that wait).
                  <VideoView
                    track={camera}
                    source="preview"
                    remote={false}
                    mirrored
                    still={joining}
                    label={t('call.check.preview')}
                  />
                ) : (
                  <Center h="100%" c="gray.4">
                    <Stack align="center" gap="xs">
                      {opening ? <Loader color="gray" aria-hidden="true" /> : <CameraOffIcon size={36} />}
                      <Text size="sm" c="gray.4">
                        {opening
                          ? t('call.check.opening')
                          : cameraOff
                            ? t('call.cameraIsOff')
                            : t('call.check.noPreview')}
                      </Text>
                    </Stack>
                  </Center>
                )}
                {joining && <JoiningVeil />}
                {/* Over the preview, which shows through until the other camera's first frame. */}
                {arriving && (
                  <Box pos="absolute" inset={0}>
                    <VideoView
                      track={arriving.track}
                      source="camera"
                      remote
                      backdrop="transparent"
                      label={t('call.cameraOf', { name: arriving.name })}
                    />
                  </Box>
                )}
              </Box>
              <Text size="sm" fw={500}>
                {t('call.check.micLevel')}
              </Text>
              {/* Once Join is pressed the meter rests: its audio analysis and per-frame updates
                  would take the CPU the join is waiting for. */}
              <LevelMeter track={joining ? null : mic} label={t('call.check.micLevel')} />
              <Text size="xs" c="dimmed">
                {mic ? t('call.check.speakHint') : t('call.check.noMic')}
              </Text>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap="sm">
              <NativeSelect
                label={t('call.devices.camera')}
                value={currentCamera}
                disabled={devices.cameras.length === 0}
                data={
                  devices.cameras.length === 0
                    ? [{ value: '', label: t('call.devices.none') }]
                    : devices.cameras.map((d) => ({ value: d.deviceId, label: d.label }))
                }
                onChange={(e) => void chooseCamera(e.currentTarget.value)}
              />
              <NativeSelect
                label={t('call.devices.microphone')}
                value={currentMic}
                disabled={devices.microphones.length === 0}
                data={
                  devices.microphones.length === 0
                    ? [{ value: '', label: t('call.devices.none') }]
                    : devices.microphones.map((d) => ({ value: d.deviceId, label: d.label }))
                }
                onChange={(e) => void chooseMicrophone(e.currentTarget.value)}
              />
              <Switch
                label={t('call.check.cameraOffSwitch')}
                checked={cameraOff}
                onChange={(e) => void toggleCameraOff(e.currentTarget.checked)}
              />
              <Switch
                label={t('call.check.hdSwitch')}
                description={t('call.check.hdHint')}
                checked={hdVideo}
                disabled={cameraOff}
                onChange={(e) => void toggleHdVideo(e.currentTarget.checked)}
              />
              {errorList.map(([key, error]) => {
                const message = describeIssue(
                  {
                    reason: issueReason[error.reason],
                    ...(key === 'both' ? {} : { device: error.kind }),
                  },
                  t,
                );
                return (
                  <Alert
                    key={key}
                    color={error.reason === 'denied' ? 'red' : 'orange'}
                    title={message.title}
                    role="alert"
                  >
                    <Stack gap="xs" align="flex-start">
                      <Text size="sm">{message.body}</Text>
                      <Button size="xs" variant="default" onClick={() => setAttempt((a) => a + 1)}>
                        {t('common.retry')}
                      </Button>
                    </Stack>
                  </Alert>
                );
              })}
              {errors.microphone && !opening && (
                <Text size="xs" c="dimmed">
                  {t('call.check.joinWithoutMic')}
                </Text>
              )}
              <Group mt="xs">
                {/* While joining, the veil over the preview says so; the button only stops taking clicks. */}
                <Button
                  size="md"
                  color="teal"
                  loading={opening}
                  disabled={joining}
                  onClick={() => join({ mic, camera, cameraOff })}
                >
                  {joining ? t('call.status.joining') : t('call.check.join')}
                </Button>
                {call?.status === 'ringing' && call.startedBy.id === me.id && onCancelRing && (
                  <Button size="md" variant="default" onClick={onCancelRing}>
                    {t('call.cancelRing')}
                  </Button>
                )}
              </Group>
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
    </Paper>
  );
}
