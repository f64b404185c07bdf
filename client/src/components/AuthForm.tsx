import { Alert, Button, Stack, Text, Title } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';

/** The heading of a signed-out page (sign-in, sign-up, forgotten password, a link from a mail). */
export function AuthHeading({ title, intro }: { title: string; intro?: ReactNode }) {
  return (
    <div>
      <Title order={1} fz="h2">
        {title}
      </Title>
      {intro && (
        <Text c="dimmed" size="sm" mt={4}>
          {intro}
        </Text>
      )}
    </div>
  );
}

/**
 * The form of a signed-out page: what went wrong above it (an alert, in words already chosen by
 * the page), the fields, one full-width submit button that shows the request running, and what
 * follows it. The browser's own validation is off: each page checks and says it in its language.
 */
export function AuthForm({
  onSubmit,
  busy,
  submitLabel,
  error,
  errorTitle,
  children,
  footer,
}: {
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  busy: boolean;
  submitLabel: string;
  /** Shown in a red alert above the form; nothing when null. */
  error?: ReactNode;
  errorTitle?: string;
  /** The fields, in order. */
  children: ReactNode;
  /** Below the submit button (a note, a status for screen readers). */
  footer?: ReactNode;
}) {
  return (
    <>
      {error && (
        <Alert color="red" variant="light" title={errorTitle}>
          {error}
        </Alert>
      )}
      <form onSubmit={onSubmit} noValidate aria-busy={busy}>
        <Stack gap="md">
          {children}
          <Button type="submit" fullWidth loading={busy}>
            {submitLabel}
          </Button>
          {footer}
        </Stack>
      </form>
    </>
  );
}
