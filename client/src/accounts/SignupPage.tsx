import { Alert, Anchor, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Link as RouterLink } from 'react-router';
import { AuthForm } from '../components/AuthForm';
import { AuthShell } from '../components/AuthShell';
import { EmailInput } from '../components/EmailInput';
import { QueryState } from '../components/QueryState';
import { describeError } from '../errors';
import { currentLanguage } from '../i18n';
import { isApiError } from '../lib/api';
import { session, useSession } from '../lib/session';
import { ME_QUERY_KEY } from '../queryClient';
import { accountsApi, SIGNUP_QUERY_KEY } from './api';
import { checkPasswordChoice, PasswordChoice, type PasswordProblem } from './PasswordChoice';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Field = 'name' | 'email';

/** `/signup`: a customer creates an account (while the administrators allow it) and is signed in. */
export function SignupPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('accounts.signup.pageTitle')} · ${t('app.name')}`);
  const { session: current } = useSession();
  const allowed = useQuery({
    queryKey: SIGNUP_QUERY_KEY,
    queryFn: ({ signal }) => accountsApi.signupEnabled(signal),
  });
  const back = (
    <Text size="sm" ta="center">
      {t('accounts.signup.haveAccount')}{' '}
      <Anchor component={RouterLink} to="/login">
        {t('login.submit')}
      </Anchor>
    </Text>
  );
  if (current) return <Navigate to="/" replace />;
  return (
    <AuthShell below={back}>
      <Title order={1} fz="h2">
        {t('accounts.signup.heading')}
      </Title>
      <QueryState query={allowed} loadingLabel={t('accounts.signup.checking')} loading="spinner">
        {({ enabled }) =>
          enabled ? (
            <SignupForm />
          ) : (
            <Alert color="gray" variant="light" title={t('accounts.signup.offTitle')}>
              {t('accounts.signup.off')}
            </Alert>
          )
        }
      </QueryState>
    </AuthShell>
  );
}

function SignupForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [locale, setLocale] = useState<'en' | 'zh-CN'>(currentLanguage() === 'zh-CN' ? 'zh-CN' : 'en');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [invalid, setInvalid] = useState<Field | null>(null);
  const [problem, setProblem] = useState<PasswordProblem | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  useEffect(() => nameRef.current?.focus(), []);

  const create = useMutation({
    mutationFn: () => accountsApi.signup({ name: name.trim(), email: email.trim(), password, locale }),
    onSuccess: (signedIn) => {
      queryClient.setQueryData(ME_QUERY_KEY, signedIn.user);
      session.signIn(signedIn);
    },
    onError: (error) => {
      if (!isApiError(error)) return;
      if (error.code === 'conflict') emailRef.current?.focus();
      if (error.code === 'bad_request' && error.details?.some((d) => d.path === 'password')) {
        setProblem('refused');
        passwordRef.current?.focus();
      }
    },
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending) return;
    const field: Field | null = !name.trim() ? 'name' : !EMAIL_PATTERN.test(email.trim()) ? 'email' : null;
    setInvalid(field);
    if (field) {
      (field === 'name' ? nameRef : emailRef).current?.focus();
      return;
    }
    const found = checkPasswordChoice(password, confirmation);
    setProblem(found);
    if (found) {
      passwordRef.current?.focus();
      return;
    }
    create.mutate();
  };

  const error = create.error;
  const failure =
    !error || (isApiError(error) && error.code === 'bad_request' && problem === 'refused')
      ? null
      : isApiError(error) && error.code === 'conflict'
        ? t('accounts.signup.taken')
        : isApiError(error) && error.code === 'forbidden'
          ? t('accounts.signup.off')
          : describeError(error, t);

  return (
    <Stack gap="md">
      <Text c="dimmed" size="sm">
        {t('accounts.signup.intro')}
      </Text>
      <AuthForm
        onSubmit={onSubmit}
        busy={create.isPending}
        submitLabel={t('accounts.signup.submit')}
        error={
          failure && (
            <>
              {failure}{' '}
              {isApiError(error) && error.code === 'conflict' && (
                <Anchor component={RouterLink} to="/forgot-password">
                  {t('accounts.forgot.link')}
                </Anchor>
              )}
            </>
          )
        }
      >
        <TextInput
          ref={nameRef}
          label={t('accounts.signup.name')}
          name="name"
          autoComplete="name"
          required
          withAsterisk={false}
          maxLength={120}
          value={name}
          onChange={(event) => {
            setName(event.currentTarget.value);
            setInvalid(null);
          }}
          error={invalid === 'name' ? t('accounts.signup.nameRequired') : undefined}
        />
        <EmailInput
          ref={emailRef}
          autoComplete="email"
          value={email}
          onChange={(event) => {
            setEmail(event.currentTarget.value);
            setInvalid(null);
          }}
          error={invalid === 'email' ? t('login.validation.emailInvalid') : undefined}
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
        <NativeSelect
          label={t('accounts.signup.language')}
          description={t('accounts.signup.languageHint')}
          value={locale}
          onChange={(event) => setLocale(event.currentTarget.value === 'zh-CN' ? 'zh-CN' : 'en')}
          data={[
            { value: 'en', label: 'English' },
            { value: 'zh-CN', label: '简体中文' },
          ]}
        />
      </AuthForm>
    </Stack>
  );
}
