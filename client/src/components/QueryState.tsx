// The loading, error and retry states of a query, the same in every list and panel: a skeleton (or
// a spinner with its label) while loading, the error in words with a Retry button, and the data
// handed to `children` once there.
import { Alert, Button, Center, Group, Loader, Paper, Skeleton, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../errors';

export interface QueryStateProps<T> {
  query: Pick<UseQueryResult<T>, 'isPending' | 'isError' | 'error' | 'data' | 'refetch'>;
  /** Read by screen readers while loading (and shown under the spinner). */
  loadingLabel: string;
  /** `skeleton`: rows standing in for a list; `spinner`: a small loader with its label. */
  loading?: { skeleton: number; height: number } | 'spinner';
  /** The alert's title; without one the alert is the lighter, inline kind. */
  errorTitle?: string;
  retryLabel?: string;
  children: (data: T) => ReactNode;
}

export function QueryState<T>({
  query,
  loadingLabel,
  loading = { skeleton: 3, height: 20 },
  errorTitle,
  retryLabel,
  children,
}: QueryStateProps<T>) {
  const { t } = useTranslation();
  if (query.isPending) {
    if (loading === 'spinner') {
      return (
        <Stack align="center" role="status">
          <Loader size="sm" aria-hidden="true" />
          <Text size="sm" c="dimmed">
            {loadingLabel}
          </Text>
        </Stack>
      );
    }
    return (
      <Paper withBorder p="md" role="status" aria-label={loadingLabel}>
        <Stack gap="xs">
          {Array.from({ length: loading.skeleton }, (_, row) => row).map((row) => (
            <Skeleton key={row} height={loading.height} />
          ))}
        </Stack>
      </Paper>
    );
  }
  if (query.isError) {
    return (
      <Alert color="red" {...(errorTitle ? { title: errorTitle } : { variant: 'light' })}>
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{describeError(query.error, t)}</Text>
          <Button size="xs" variant="default" onClick={() => void query.refetch()}>
            {retryLabel ?? t('common.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  return <>{children(query.data as T)}</>;
}

/** A page whose one query is loading: a small spinner with its label, announced as a status. */
export function PageLoading({ label }: { label: string }) {
  return (
    <Center py="xl" role="status">
      <Group gap="xs">
        <Loader size="sm" aria-hidden="true" />
        <Text c="dimmed">{label}</Text>
      </Group>
    </Center>
  );
}
