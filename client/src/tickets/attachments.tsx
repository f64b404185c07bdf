import { ActionIcon, Button, FileButton, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttachmentView } from '../../../signaling/shared/protocol';
import { CloseIcon, PaperclipIcon } from '../components/icons';
import { describeError } from '../errors';
import { formatBytes } from '../lib/format';
import { codeOf } from '../lib/requests';
import { checkAttachment, downloadAttachment, uploadAttachment } from '../lib/tickets';
import { toasts } from '../lib/toasts';

/** Files on a ticket or message; a click downloads with the bearer token. */
export function AttachmentList({ attachments, label }: { attachments: AttachmentView[]; label?: string }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string | null>(null);
  if (attachments.length === 0) return null;
  return (
    <Group
      gap="xs"
      component="ul"
      p={0}
      m={0}
      aria-label={label ?? t('attachments.listLabel')}
      style={{ listStyle: 'none' }}
    >
      {attachments.map((attachment) => (
        <li key={attachment.id}>
          <Button
            size="compact-sm"
            variant="default"
            loading={busy === attachment.id}
            leftSection={<PaperclipIcon size={14} />}
            aria-label={t('attachments.download', { name: attachment.fileName })}
            onClick={async () => {
              setBusy(attachment.id);
              try {
                await downloadAttachment(attachment);
              } catch (err) {
                toasts.show({
                  title: t('attachments.downloadFailed'),
                  message: describeError(err, t),
                  color: 'red',
                });
              } finally {
                setBusy(null);
              }
            }}
          >
            {attachment.fileName}
            <Text span size="xs" c="dimmed" ml={6}>
              {formatBytes(attachment.sizeBytes)}
            </Text>
          </Button>
        </li>
      ))}
    </Group>
  );
}

export interface UploadItem {
  key: string;
  file: File;
  progress: number;
  state: 'uploading' | 'done' | 'failed';
  attachment?: AttachmentView;
  error?: string;
}

/** Uploads picked files at once (each with its progress) and collects their attachment ids. */
export function useUploads() {
  const { t } = useTranslation();
  const [items, setItems] = useState<UploadItem[]>([]);
  const controllers = useRef(new Map<string, AbortController>());

  useEffect(() => {
    const map = controllers.current;
    return () => {
      for (const controller of map.values()) controller.abort();
    };
  }, []);

  const update = useCallback((key: string, patch: Partial<UploadItem>) => {
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...patch } : item)));
  }, []);

  const add = useCallback(
    (files: File[]) => {
      for (const file of files) {
        const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
        const problem = checkAttachment(file);
        if (problem) {
          setItems((list) => [
            ...list,
            { key, file, progress: 0, state: 'failed', error: t(`attachments.problem.${problem}`) },
          ]);
          continue;
        }
        const controller = new AbortController();
        controllers.current.set(key, controller);
        setItems((list) => [...list, { key, file, progress: 0, state: 'uploading' }]);
        uploadAttachment(file, {
          signal: controller.signal,
          onProgress: (progress) => update(key, { progress }),
        })
          .then((attachment) => update(key, { state: 'done', progress: 1, attachment }))
          .catch((err: unknown) => {
            if (controller.signal.aborted) return;
            const code = codeOf(err);
            const error =
              code === 'quota_exceeded'
                ? t('attachments.quotaExceeded')
                : code === 'rate_limited'
                  ? t('attachments.tooFast')
                  : describeError(err, t);
            update(key, { state: 'failed', error });
          })
          .finally(() => controllers.current.delete(key));
      }
    },
    [t, update],
  );

  const remove = useCallback((key: string) => {
    controllers.current.get(key)?.abort();
    controllers.current.delete(key);
    setItems((list) => list.filter((item) => item.key !== key));
  }, []);

  const clear = useCallback(() => setItems([]), []);

  const attachments = items.flatMap((item) => (item.attachment ? [item.attachment] : []));
  const uploading = items.some((item) => item.state === 'uploading');
  return { items, add, remove, clear, attachments, uploading };
}

/** "Attach files" plus the list of picked files with their upload progress. */
export function AttachmentPicker({
  uploads,
  buttonLabel,
  disabled,
}: {
  uploads: ReturnType<typeof useUploads>;
  buttonLabel?: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <FileButton multiple onChange={(files) => uploads.add(files)} disabled={disabled}>
          {(props) => (
            <Button {...props} variant="default" size="xs" leftSection={<PaperclipIcon size={14} />}>
              {buttonLabel ?? t('attachments.add')}
            </Button>
          )}
        </FileButton>
        <Text size="xs" c="dimmed">
          {t('attachments.hint')}
        </Text>
      </Group>
      {uploads.items.length > 0 && (
        <Stack
          gap={6}
          component="ul"
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
          aria-label={t('attachments.pickedLabel')}
        >
          {uploads.items.map((item) => (
            <Paper key={item.key} component="li" withBorder px="sm" py={6}>
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" truncate>
                      {item.file.name}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
                      {formatBytes(item.file.size)}
                    </Text>
                  </Group>
                  {item.state === 'failed' ? (
                    <Text size="xs" c="red" role="alert">
                      {item.error}
                    </Text>
                  ) : (
                    <Progress
                      value={Math.round(item.progress * 100)}
                      size="sm"
                      color={item.state === 'done' ? 'teal' : 'indigo'}
                      animated={item.state === 'uploading'}
                      aria-label={t(
                        item.state === 'done' ? 'attachments.uploaded' : 'attachments.uploading',
                        {
                          name: item.file.name,
                        },
                      )}
                    />
                  )}
                </Stack>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={t('attachments.remove', { name: item.file.name })}
                  onClick={() => uploads.remove(item.key)}
                >
                  <CloseIcon />
                </ActionIcon>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
