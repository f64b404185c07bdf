import { ActionIcon, Group, Menu, Tooltip } from '@mantine/core';
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

/**
 * Mute, camera, screen share, devices and hang up. The names say what a press will do
 * ("Mute" / "Unmute"), so screen-reader users and tests find the same words sighted users read.
 */
export function CallControls({
  engine,
  snapshot,
  supervisor,
  onHangUp,
  extra,
}: {
  engine: CallEngine;
  snapshot: CallSnapshot;
  supervisor: boolean;
  onHangUp: () => void;
  /** More controls from other features (the agent's recording button), placed before hang up. */
  extra?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const { micMuted, cameraOff, sharing, local } = snapshot;
  const devices = useDevices(`${local.mic?.id ?? ''}:${local.camera?.id ?? ''}`);
  const currentMic = deviceIdOf(local.mic) ?? snapshot.microphoneId;
  const currentCamera = deviceIdOf(local.camera) ?? snapshot.cameraId;
  const busy = snapshot.phase !== 'in_call';

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
      <Menu position="top" withArrow shadow="md" width={280}>
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
