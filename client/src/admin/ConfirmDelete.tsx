import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { UseMutationResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { describeError } from '../errors';
import { toasts } from '../lib/toasts';

/**
 * "Delete this …?" before a deletion that cannot be undone: Cancel, or the red button that runs
 * `remove` with `target`; a failure is a toast titled `failedTitle`, the dialog stays open.
 */
export function ConfirmDelete<T>({
  target,
  onClose,
  remove,
  title,
  message,
  confirmLabel,
  failedTitle,
}: {
  target: T | null;
  onClose: () => void;
  remove: UseMutationResult<unknown, Error, T>;
  title: string;
  message: string;
  confirmLabel: string;
  failedTitle: string;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened={target !== null} onClose={onClose} title={title}>
      <Stack>
        <Text>{message}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() =>
              target !== null &&
              remove.mutate(target, {
                onSuccess: onClose,
                onError: (err) =>
                  toasts.show({ title: failedTitle, message: describeError(err, t), color: 'red' }),
              })
            }
          >
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
