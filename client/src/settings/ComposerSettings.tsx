import { Alert, Paper, Radio, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SEND_KEYS, type SendKey } from '../../../signaling/shared/macros';
import { describeError } from '../errors';
import { useComposerPreferences, useSaveComposerPreferences } from './composerPreferences';

/**
 * The composer preference, saved on the server as soon as it is chosen (it follows the person to
 * every browser): Enter sends and Shift+Enter makes a new line, or Ctrl/⌘+Enter sends.
 */
export function ComposerSettings() {
  const { t } = useTranslation();
  const prefs = useComposerPreferences();
  const save = useSaveComposerPreferences();
  return (
    <Stack gap="sm" component="section" aria-labelledby="composer-settings-heading">
      <Title order={3} id="composer-settings-heading" fz="h4">
        {t('composerSettings.heading')}
      </Title>
      <Paper withBorder p="lg">
        {prefs.isPending ? (
          <Skeleton height={56} />
        ) : prefs.isError ? (
          <Alert color="red" variant="light">
            {describeError(prefs.error, t)}
          </Alert>
        ) : (
          <Radio.Group
            label={t('composerSettings.sendKey')}
            value={save.isPending && save.variables ? save.variables.sendKey : prefs.data.sendKey}
            onChange={(value) => save.mutate({ sendKey: value as SendKey })}
            error={save.isError ? describeError(save.error, t) : undefined}
          >
            <Stack gap="xs" mt="xs">
              {SEND_KEYS.map((key) => (
                <Radio
                  key={key}
                  value={key}
                  label={t(`composerSettings.${key}`)}
                  description={t(`composerSettings.${key}Hint`)}
                />
              ))}
            </Stack>
          </Radio.Group>
        )}
        {save.isSuccess && (
          <Text size="xs" c="teal" mt="xs" role="status">
            {t('composerSettings.saved')}
          </Text>
        )}
      </Paper>
    </Stack>
  );
}
