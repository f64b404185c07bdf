import { Alert, Button, Center, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A centred spinner with a visible label, announced to screen readers as a status. */
export function FullPageLoading({ label }: { label: string }) {
  return (
    <Center mih="100vh">
      <Stack align="center" gap="sm" role="status" aria-live="polite">
        <Loader aria-hidden="true" />
        <Text c="dimmed">{label}</Text>
      </Stack>
    </Center>
  );
}

export function FullPageError({
  title,
  message,
  actions,
}: {
  title: string;
  message: string;
  actions: Array<{ label: string; onClick: () => void; primary?: boolean }>;
}): ReactNode {
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={460} maw="100%">
        <Stack>
          <Alert color="red" title={title}>
            {message}
          </Alert>
          <Group justify="flex-end">
            {actions.map((action) => (
              <Button
                key={action.label}
                variant={action.primary ? 'filled' : 'default'}
                onClick={action.onClick}
              >
                {action.label}
              </Button>
            ))}
          </Group>
        </Stack>
      </Paper>
    </Center>
  );
}
