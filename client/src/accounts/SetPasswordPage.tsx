import { Alert, Anchor, Button, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router';
import { AuthForm, AuthHeading } from '../components/AuthForm';
import { AuthShell } from '../components/AuthShell';
import { describeError } from '../errors';
import { api, isApiError } from '../lib/api';
import { formatDateTime } from '../lib/format';
import { session } from '../lib/session';
import { ME_QUERY_KEY } from '../queryClient';
import { accountsApi, type LinkPurpose } from './api';
import { checkPasswordChoice, PasswordChoice, type PasswordProblem } from './PasswordChoice';

/** The i18n section of each purpose: the reset page and the invitation page say different things. */
const SECTION = { password_reset: 'reset', invitation: 'invitation' } as const;

/**
 * `/reset-password?token=…` and `/accept-invitation?token=…`: the page a mailed link opens. It
 * first checks the link (who it is for; used, expired or unknown links get a way forward), then
 * sets the password once and signs the person in with it.
 */
export function SetPasswordPage({ purpose }: { purpose: LinkPurpose }) {
  const { t } = useTranslation();
  const section = SECTION[purpose];
  useDocumentTitle(`${t(`accounts.${section}.pageTitle`)} · ${t('app.name')}`);
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [problem, setProblem] = useState<PasswordProblem | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const link = useQuery({
    queryKey: ['accounts', 'link', purpose, token],
    queryFn: ({ signal }) => accountsApi.inspectLink(purpose, token, signal),
    enabled: token.length > 0,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  useEffect(() => {
    if (link.isSuccess) passwordRef.current?.focus();
  }, [link.isSuccess]);

  const save = useMutation({
    mutationFn: async (chosen: string) => {
      const { email } = await accountsApi.setPassword(purpose, token, chosen);
      // The password is set; signing in with it is the step the person came for.
      return api.login(email, chosen);
    },
    onSuccess: (signedIn) => {
      queryClient.setQueryData(ME_QUERY_KEY, signedIn.user);
      session.signIn(signedIn);
      navigate('/', { replace: true });
    },
    onError: (error) => {
      if (isApiError(error) && error.code === 'bad_request') {
        setProblem('refused');
        passwordRef.current?.focus();
      }
    },
  });

  const back = (
    <Anchor component={RouterLink} to="/login" size="sm" ta="center">
      {t('accounts.backToSignIn')}
    </Anchor>
  );

  const linkProblem = !token ? 'not_found' : link.error && isApiError(link.error) ? link.error.code : null;
  if (linkProblem || (link.error && !isApiError(link.error))) {
    const known =
      linkProblem === 'link_used' || linkProblem === 'link_expired' || linkProblem === 'not_found';
    return (
      <AuthShell below={back}>
        <Title order={1} fz="h2">
          {t(`accounts.${section}.heading`)}
        </Title>
        <Alert color="red" variant="light" title={t('accounts.link.problemTitle')}>
          {known ? t(`accounts.link.${linkProblem}`) : describeError(link.error, t)}
        </Alert>
        {purpose === 'password_reset' ? (
          <Button component={RouterLink} to="/forgot-password">
            {t('accounts.link.askAgain')}
          </Button>
        ) : (
          <Text size="sm">{t('accounts.invitation.askAdmin')}</Text>
        )}
      </AuthShell>
    );
  }

  if (!link.data) {
    return (
      <AuthShell below={back}>
        <Text role="status" c="dimmed">
          {t('accounts.link.checking')}
        </Text>
      </AuthShell>
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (save.isPending) return;
    const found = checkPasswordChoice(password, confirmation);
    setProblem(found);
    if (found) {
      passwordRef.current?.focus();
      return;
    }
    save.mutate(password);
  };

  const saveError =
    save.error && !(isApiError(save.error) && save.error.code === 'bad_request')
      ? isApiError(save.error) && (save.error.code === 'link_used' || save.error.code === 'link_expired')
        ? t(`accounts.link.${save.error.code}`)
        : describeError(save.error, t)
      : null;

  return (
    <AuthShell below={back}>
      <AuthHeading
        title={t(`accounts.${section}.heading`)}
        intro={t(`accounts.${section}.intro`, { name: link.data.name })}
      />
      <AuthForm
        onSubmit={onSubmit}
        busy={save.isPending}
        submitLabel={t(`accounts.${section}.submit`)}
        error={saveError}
        footer={
          <Text size="xs" c="dimmed">
            {t('accounts.link.validUntil', { time: formatDateTime(link.data.expiresAt) })}
          </Text>
        }
      >
        <TextInput
          label={t('login.email')}
          name="email"
          autoComplete="username"
          value={link.data.email}
          readOnly
          variant="filled"
        />
        <PasswordChoice
          inputRef={passwordRef}
          password={password}
          confirmation={confirmation}
          onPassword={(value) => {
            setPassword(value);
            setProblem(null);
          }}
          onConfirmation={(value) => {
            setConfirmation(value);
            setProblem(null);
          }}
          problem={problem}
        />
      </AuthForm>
    </AuthShell>
  );
}
