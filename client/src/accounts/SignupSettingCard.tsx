import { Alert, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { describeError } from '../errors';
import { accountsApi, SIGNUP_QUERY_KEY } from './api';

/** The administrator's switch for customer sign-up (the sign-in page offers it only while on). */
export function SignupSettingCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const current = useQuery({
    queryKey: SIGNUP_QUERY_KEY,
    queryFn: ({ signal }) => accountsApi.signupEnabled(signal),
  });
  const change = useMutation({
    mutationFn: (enabled: boolean) => accountsApi.setSignupEnabled(enabled),
    onSuccess: (value) => queryClient.setQueryData(SIGNUP_QUERY_KEY, value),
  });
  const enabled = change.isPending ? change.variables : current.data?.enabled;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="signup-setting-heading">
      <Stack gap="xs">
        <Title order={2} fz="lg" id="signup-setting-heading">
          {t('accounts.setting.heading')}
        </Title>
        <Switch
          label={t('accounts.setting.label')}
          description={t('accounts.setting.description')}
          checked={enabled ?? false}
          disabled={current.isPending || change.isPending}
          onChange={(event) => change.mutate(event.currentTarget.checked)}
        />
        {current.isError && <Text c="red">{describeError(current.error, t)}</Text>}
        {change.isError && (
          <Alert color="red" variant="light">
            {describeError(change.error, t)}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
