import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  CloseButton,
  Group,
  Modal,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STATUS_COLORS } from './RecordingStatusBadge';
import type { CallRecording } from './useCallRecording';

/**
 * "● Recording" in the call's header, on both sides, while media is being recorded. The support
 * side also sees the other states (waiting for consent, saving, saved, failed).
 */
export function RecordingIndicator({ recording }: { recording: CallRecording }) {
  const { t } = useTranslation();
  const { notice, canControl } = recording;
  if (!notice) return null;
  if (notice.status === 'recording') {
    return (
      <Badge
        color="red"
        variant="filled"
        tt="none"
        role="status"
        aria-label={t('recording.indicator.label')}
        data-recording-status="recording"
        leftSection={
          <span
            aria-hidden="true"
            style={{ width: 8, height: 8, borderRadius: '50%', background: 'currentColor', display: 'block' }}
          />
        }
      >
        {t('recording.indicator.recording')}
      </Badge>
    );
  }
  if (!canControl) return null;
  return (
    <Badge
      color={STATUS_COLORS[notice.status]}
      variant="light"
      tt="none"
      role="status"
      data-recording-status={notice.status}
    >
      {t(`recording.status.${notice.status}`)}
    </Badge>
  );
}

function RecordIcon({ stop }: { stop: boolean }) {
  return (
    <svg width={22} height={22} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeWidth="2" />
      {stop ? (
        <rect x="8" y="8" width="8" height="8" rx="1" fill="currentColor" />
      ) : (
        <circle cx="12" cy="12" r="5" fill="currentColor" />
      )}
    </svg>
  );
}

/** The agent's Start/Stop recording button, in the call's controls. */
export function RecordingButton({ recording, disabled }: { recording: CallRecording; disabled?: boolean }) {
  const { t } = useTranslation();
  const { notice, pending } = recording;
  if (!recording.canControl) return null;
  const live = notice?.status === 'recording' || notice?.status === 'awaiting_consent';
  const saving = notice?.status === 'processing';
  const label = live ? t('recording.stop') : t('recording.start');
  return (
    <Tooltip label={saving ? t('recording.status.processing') : label} withArrow>
      <ActionIcon
        size={52}
        radius="xl"
        variant={live ? 'light' : 'default'}
        color={live ? 'red' : 'gray'}
        aria-label={label}
        aria-pressed={live}
        loading={pending === 'start' || pending === 'stop'}
        disabled={disabled || saving || pending !== null}
        onClick={() => (live ? recording.stop() : recording.start())}
      >
        <RecordIcon stop={live} />
      </ActionIcon>
    </Tooltip>
  );
}

function Dismissible({
  color,
  title,
  children,
  onClose,
  testId,
}: {
  color: string;
  title: string;
  children?: React.ReactNode;
  onClose?: () => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Alert color={color} variant="light" radius={0} title={title} data-testid={testId} py="xs">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={4}>{children}</Stack>
        {onClose && (
          <CloseButton aria-label={t('recording.dismiss')} variant="transparent" onClick={onClose} />
        )}
      </Group>
    </Alert>
  );
}

/**
 * What each side must know about the recording, above the picture: the customer reads the consent
 * text (and answers it when the organisation asks for consent); the agent sees waiting, saving,
 * the result and any problem.
 */
export function RecordingNotices({ recording }: { recording: CallRecording }) {
  const { t } = useTranslation();
  const { notice, failure, canControl, pending } = recording;
  // A banner dismissed for one state comes back for the next (e.g. "recording" after consent).
  const key = notice ? `${notice.recordingId}:${notice.status}:${notice.error ?? ''}` : '';
  const [dismissed, setDismissed] = useState<string | null>(null);
  useEffect(() => {
    if (key !== dismissed) setDismissed(null);
  }, [key, dismissed]);
  const hide = () => setDismissed(key);
  const visible = notice !== null && dismissed !== key;

  const failureBanner = failure && (
    <Alert
      color="red"
      variant="light"
      radius={0}
      role="alert"
      title={t(`recording.failed.${failure.action}`)}
      withCloseButton
      closeButtonLabel={t('recording.dismiss')}
      onClose={recording.dismissFailure}
      py="xs"
    >
      {t(`recording.reasons.${failure.code}`)}
    </Alert>
  );

  if (!canControl) {
    return (
      <>
        {failureBanner}
        <Modal
          opened={notice?.status === 'awaiting_consent'}
          onClose={() => {}}
          withCloseButton={false}
          closeOnClickOutside={false}
          closeOnEscape={false}
          centered
          title={t('recording.consent.title')}
        >
          <Stack>
            <Text>{notice?.consentText}</Text>
            <Text size="sm" c="dimmed">
              {t('recording.consent.hint')}
            </Text>
            {failure && (
              <Alert color="red" variant="light" role="alert" py="xs">
                {t(`recording.reasons.${failure.code}`)}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button
                variant="default"
                loading={pending === 'decline'}
                disabled={pending !== null}
                onClick={() => recording.consent(false)}
              >
                {t('recording.consent.decline')}
              </Button>
              <Button
                color="red"
                loading={pending === 'allow'}
                disabled={pending !== null}
                onClick={() => recording.consent(true)}
              >
                {t('recording.consent.allow')}
              </Button>
            </Group>
          </Stack>
        </Modal>
        {visible && notice.status === 'recording' && (
          <Dismissible
            color="red"
            title={t('recording.notice.recording')}
            onClose={hide}
            testId="recording-consent-text"
          >
            {notice.consentText && <Text size="sm">{notice.consentText}</Text>}
          </Dismissible>
        )}
      </>
    );
  }

  return (
    <>
      {failureBanner}
      {visible && notice.status === 'awaiting_consent' && (
        <Dismissible color="yellow" title={t('recording.notice.awaitingConsent')} testId="recording-notice" />
      )}
      {visible && notice.status === 'processing' && (
        <Dismissible color="gray" title={t('recording.notice.processing')} testId="recording-notice" />
      )}
      {visible && notice.status === 'declined' && (
        <Dismissible
          color="gray"
          title={t('recording.notice.declined')}
          onClose={hide}
          testId="recording-notice"
        />
      )}
      {visible && notice.status === 'ready' && (
        <Dismissible
          color="teal"
          title={t('recording.notice.ready')}
          onClose={hide}
          testId="recording-notice"
        />
      )}
      {visible && (notice.status === 'partial' || notice.status === 'failed') && (
        <Dismissible
          color={notice.status === 'failed' ? 'red' : 'orange'}
          title={t(`recording.notice.${notice.status}`)}
          onClose={hide}
          testId="recording-notice"
        >
          {notice.error && <Text size="sm">{notice.error}</Text>}
        </Dismissible>
      )}
      {visible && notice.error && (notice.status === 'recording' || notice.status === 'processing') && (
        // A recorder crashed mid-call: what it captured is kept, but the agent must know now.
        <Alert
          color="orange"
          variant="light"
          radius={0}
          role="alert"
          title={t('recording.notice.problem')}
          py="xs"
        >
          {notice.error}
        </Alert>
      )}
    </>
  );
}
