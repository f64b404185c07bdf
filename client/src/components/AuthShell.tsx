import { Box, Center, Group, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitcher } from './LanguageSwitcher';

/**
 * The frame of the pages one sees before signing in (sign-in, sign-up, forgotten password, a link
 * from a mail): the product name and the language choice, one card in the middle, a note below.
 */
export function AuthShell({ children, below }: { children: ReactNode; below?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Box mih="100vh" bg="gray.0" py="md" px="md">
      {/* A landmark like the rest of the page, so nothing on it is outside one. */}
      <Group component="header" justify="space-between" maw={960} mx="auto">
        <Text fw={700} fz="xl" c="indigo.7">
          {t('app.name')}
        </Text>
        <LanguageSwitcher />
      </Group>
      <Center mih="calc(100vh - 120px)" component="main">
        <Stack w={420} maw="100%" gap="md">
          <Paper withBorder shadow="sm" p="xl">
            <Stack gap="lg">{children}</Stack>
          </Paper>
          {below}
        </Stack>
      </Center>
    </Box>
  );
}
