import { ActionIcon, Group, Menu, Tooltip } from '@mantine/core';
import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallEngine, CallSnapshot } from '../lib/call/CallEngine';
import { deviceIdOf } from '../lib/call/devices';
import { useDevices } from './hooks';
import {
  CameraIcon,
  CameraOffIcon,
  CheckIcon,
  HangUpIcon,
  MicIcon,
  MicOffIcon,
  ScreenIcon,
  ScreenOffIcon,
  SettingsIcon,
} from './icons';

const canShareScreen = () =>
  typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.getDisplayMedia);

/** A round button whose accessible name is its tooltip text. */
function Control({
  label,
  onClick,
  active,
  danger,
  disabled,
  children,
}: {
  label: string;
  onClick: () => void;
  /** Highlighted: the device is off / the feature is on. */
  active?: boolean;
  danger?: boolean;
  disabled?: boolean;
  children: React.ReactNode;
}) {
  return (
    <Tooltip label={label} withArrow>
      <ActionIcon
        size={52}
        radius="xl"
        variant={danger || active ? 'filled' : 'default'}
        color={danger ? 'red' : active ? 'red.7' : 'gray'}
        aria-label={label}
        disabled={disabled}
        onClick={onClick}
      >
        {children}
      </ActionIcon>
    </Tooltip>
  );
}

/** What the controls show of the call: a few fields of its snapshot, so they re-render only for those. */
export interface ControlsState {
  micMuted: boolean;
  cameraOff: boolean;
  sharing: boolean;
  /** The tracks being sent: the device menu ticks their devices. */
  mic: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  /** The devices asked for, while no track says which one is in use. */
  microphoneId: string | undefined;
  cameraId: string | undefined;
  /** Not (yet) in the call: what needs the media (screen share) waits. */
  busy: boolean;
}

export function controlsStateOf(snapshot: CallSnapshot): ControlsState {
  return {
    micMuted: snapshot.micMuted,
    cameraOff: snapshot.cameraOff,
    sharing: snapshot.sharing,
    mic: snapshot.local.mic,
    camera: snapshot.local.camera,
    microphoneId: snapshot.microphoneId,
    cameraId: snapshot.cameraId,
    busy: snapshot.phase !== 'in_call',
  };
}

function sameControlsState(a: ControlsState, b: ControlsState): boolean {
  return (Object.keys(a) as (keyof ControlsState)[]).every((key) => a[key] === b[key]);
}

/**
 * Mute, camera, screen share, devices and hang up. The names say what a press will do
 * ("Mute" / "Unmute"), so screen-reader users and tests find the same words sighted users read.
 *
 * Memoized on what it shows: the call view renders again on every change of the call's snapshot
 * (tracks, participants, statistics; several times while a call is joined), and each control's
 * tooltip is costly to render. The device list is read when the menu first opens or once the
 * media is up (`listDevices`), not while the call is being set up.
 */
export const CallControls = memo(
  CallControlsView,
  (prev, next) =>
    prev.engine === next.engine &&
    prev.supervisor === next.supervisor &&
    prev.onHangUp === next.onHangUp &&
    prev.extra === next.extra &&
    prev.listDevices === next.listDevices &&
    sameControlsState(prev.state, next.state),
);

function CallControlsView({
  engine,
  state,
  supervisor,
  onHangUp,
  extra,
  listDevices,
}: {
  engine: CallEngine;
  state: ControlsState;
  supervisor: boolean;
  onHangUp: () => void;
  /** More controls from other features (the agent's recording button), placed before hang up. */
  extra?: React.ReactNode;
  /** Read the devices for the menu now (the media is up); it also reads them when first opened. */
  listDevices: boolean;
}) {
  const { t } = useTranslation();
  const { micMuted, cameraOff, sharing, busy } = state;
  const [menuOpened, setMenuOpened] = useState(false);
  const devices = useDevices(`${state.mic?.id ?? ''}:${state.camera?.id ?? ''}`, listDevices || menuOpened);
  const currentMic = deviceIdOf(state.mic) ?? state.microphoneId;
  const currentCamera = deviceIdOf(state.camera) ?? state.cameraId;

  return (
    <Group justify="center" gap="md" py="sm" role="toolbar" aria-label={t('call.controls.label')}>
      <Control
        label={micMuted ? t('call.controls.unmute') : t('call.controls.mute')}
        active={micMuted}
        onClick={() => void engine.setMicMuted(!micMuted)}
      >
        {micMuted ? <MicOffIcon /> : <MicIcon />}
      </Control>
      <Control
        label={cameraOff ? t('call.controls.cameraOn') : t('call.controls.cameraOff')}
        active={cameraOff}
        onClick={() => void engine.setCameraOff(!cameraOff)}
      >
        {cameraOff ? <CameraOffIcon /> : <CameraIcon />}
      </Control>
      {canShareScreen() && (
        <Control
          label={sharing ? t('call.controls.stopShare') : t('call.controls.share')}
          active={sharing}
          disabled={busy && !sharing}
          onClick={() => void (sharing ? engine.stopScreenShare() : engine.startScreenShare())}
        >
          {sharing ? <ScreenOffIcon /> : <ScreenIcon />}
        </Control>
      )}
      <Menu position="top" withArrow shadow="md" width={280} onOpen={() => setMenuOpened(true)}>
        <Menu.Target>
          <Tooltip label={t('call.controls.devices')} withArrow>
            <ActionIcon size={52} radius="xl" variant="default" aria-label={t('call.controls.devices')}>
              <SettingsIcon />
            </ActionIcon>
          </Tooltip>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t('call.devices.microphone')}</Menu.Label>
          {devices.microphones.length === 0 && <Menu.Item disabled>{t('call.devices.none')}</Menu.Item>}
          {devices.microphones.map((d) => (
            <Menu.Item
              key={d.deviceId}
              leftSection={
                d.deviceId === currentMic ? <CheckIcon size={14} /> : <span style={{ width: 14 }} />
              }
              aria-current={d.deviceId === currentMic ? 'true' : undefined}
              onClick={() => void engine.switchMicrophone(d.deviceId)}
            >
              {d.label}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Label>{t('call.devices.camera')}</Menu.Label>
          {devices.cameras.length === 0 && <Menu.Item disabled>{t('call.devices.none')}</Menu.Item>}
          {devices.cameras.map((d) => (
            <Menu.Item
              key={d.deviceId}
              leftSection={
                d.deviceId === currentCamera ? <CheckIcon size={14} /> : <span style={{ width: 14 }} />
              }
              aria-current={d.deviceId === currentCamera ? 'true' : undefined}
              onClick={() => void engine.switchCamera(d.deviceId)}
            >
              {d.label}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      {extra}
      <Control
        label={supervisor ? t('call.controls.leave') : t('call.controls.hangUp')}
        danger
        onClick={onHangUp}
      >
        <HangUpIcon />
      </Control>
    </Group>
  );
}
