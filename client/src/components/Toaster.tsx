import { Anchor, Notification, Portal, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { toasts, useToasts } from '../lib/toasts';

/** Toasts in the bottom-right corner; errors are announced assertively, the rest politely. */
export function Toaster() {
  const { t } = useTranslation();
  const list = useToasts();
  return (
    <Portal>
      <Stack
        gap="xs"
        style={{
          position: 'fixed',
          right: 16,
          bottom: 16,
          zIndex: 400,
          width: 360,
          maxWidth: 'calc(100vw - 32px)',
        }}
        aria-live="polite"
      >
        {list.map((toast) => (
          <Notification
            key={toast.id}
            color={toast.color}
            title={toast.title}
            role={toast.color === 'red' ? 'alert' : 'status'}
            withBorder
            // Mantine's dimmed description is below 4.5:1 on white; a toast must be readable.
            styles={{ description: { color: 'var(--mantine-color-text)' } }}
            onClose={() => toasts.dismiss(toast.id)}
            closeButtonProps={{ 'aria-label': t('common.dismiss') }}
          >
            {toast.message}
            {toast.href && (
              <>
                {toast.message ? ' ' : null}
                <Anchor
                  component={Link}
                  to={toast.href}
                  size="sm"
                  underline="always"
                  onClick={() => toasts.dismiss(toast.id)}
                >
                  {t('common.open')}
                </Anchor>
              </>
            )}
          </Notification>
        ))}
      </Stack>
    </Portal>
  );
}
