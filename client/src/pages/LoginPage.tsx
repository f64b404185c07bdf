import { Alert, Anchor, Group, PasswordInput, Text, VisuallyHidden } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Link as RouterLink, useLocation } from 'react-router';
import { accountsApi, SIGNUP_QUERY_KEY } from '../accounts/api';
import { AuthForm, AuthHeading } from '../components/AuthForm';
import { AuthShell } from '../components/AuthShell';
import { EmailInput } from '../components/EmailInput';
import { describeError } from '../errors';
import { currentLanguage } from '../i18n';
import { type ApiError, api, isApiError, type LoginResponse } from '../lib/api';
import { session, useSession } from '../lib/session';
import { ME_QUERY_KEY } from '../queryClient';

type ValidationKey = 'emailRequired' | 'emailInvalid' | 'passwordRequired';
interface FieldErrors {
  email?: ValidationKey;
  password?: ValidationKey;
}

// Deliberately loose: the server has the final word; this only catches obvious typos early.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateLogin(email: string, password: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!email.trim()) errors.email = 'emailRequired';
  else if (!EMAIL_PATTERN.test(email.trim())) errors.email = 'emailInvalid';
  if (!password) errors.password = 'passwordRequired';
  return errors;
}

/** Where to go after signing in: the page the visitor was sent away from, if it is one of ours. */
function redirectTarget(state: unknown): string {
  const from = (state as { from?: { pathname?: unknown; search?: unknown; hash?: unknown } } | null)?.from;
  if (
    typeof from?.pathname !== 'string' ||
    !from.pathname.startsWith('/') ||
    from.pathname.startsWith('//')
  ) {
    return '/';
  }
  if (from.pathname === '/login') return '/';
  const search = typeof from.search === 'string' ? from.search : '';
  const hash = typeof from.hash === 'string' ? from.hash : '';
  return `${from.pathname}${search}${hash}`;
}

/** "15 minutes" / "15分钟": how long until the server accepts another attempt. */
function formatWait(seconds: number, language: string): string {
  const minutes = Math.ceil(seconds / 60);
  const [value, unit] = seconds < 60 ? [seconds, 'second'] : [minutes, 'minute'];
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

interface LoginFailure {
  error: ApiError | Error;
  /** When the answer arrived, so "try again at" stays right however long the message is shown. */
  at: number;
}

function describeLoginFailure({ error, at }: LoginFailure, t: TFunction, language: string): string {
  if (!isApiError(error)) return describeError(error, t);
  switch (error.code) {
    case 'unauthenticated':
      return t('login.errors.invalidCredentials');
    case 'rate_limited': {
      const seconds = error.retryAfterSeconds ?? 60;
      return t('login.errors.rateLimited', {
        duration: formatWait(seconds, language),
        time: new Intl.DateTimeFormat(language, { timeStyle: 'short' }).format(new Date(at + seconds * 1000)),
      });
    }
    case 'bad_request':
      return t('login.errors.invalidInput');
    default:
      return describeError(error, t);
  }
}

export function LoginPage() {
  const { t } = useTranslation();
  const language = currentLanguage();
  useDocumentTitle(`${t('login.pageTitle')} · ${t('app.name')}`);
  const { session: current, signOutReason } = useSession();
  const location = useLocation();
  const queryClient = useQueryClient();

  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<LoginFailure | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    emailRef.current?.focus();
  }, []);
  // "Create an account" shows only while the administrators allow sign-up; nothing while unknown.
  const signup = useQuery({
    queryKey: SIGNUP_QUERY_KEY,
    queryFn: ({ signal }) => accountsApi.signupEnabled(signal),
  });
  // The demo hint only while the demo accounts can sign in (an admin turns them off in production).
  const demo = useQuery({
    queryKey: ['demo'],
    queryFn: ({ signal }) => api.request<{ enabled: boolean }>('/api/demo', { anonymous: true, signal }),
    staleTime: 60_000,
  });

  const login = useMutation<LoginResponse, Error, { email: string; password: string }>({
    mutationFn: (credentials) => api.login(credentials.email, credentials.password),
    onMutate: () => setFailure(null),
    onSuccess: (result) => {
      // Seed the cache first, so the home page does not ask the server again for what it just said.
      queryClient.setQueryData(ME_QUERY_KEY, result.user);
      session.signIn(result);
    },
    onError: (error) => {
      setFailure({ error, at: Date.now() });
      if (isApiError(error) && error.code === 'unauthenticated') {
        passwordRef.current?.focus();
        passwordRef.current?.select();
      }
    },
  });

  if (current) return <Navigate to={redirectTarget(location.state)} replace />;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (login.isPending) return;
    const errors = validateLogin(email, password);
    setFieldErrors(errors);
    if (errors.email || errors.password) {
      setFailure(null);
      (errors.email ? emailRef : passwordRef).current?.focus();
      return;
    }
    login.mutate({ email: email.trim(), password });
  };

  const notice =
    signOutReason && signOutReason !== 'user' && !failure ? t(`login.signedOut.${signOutReason}`) : null;

  return (
    <AuthShell
      below={
        demo.data?.enabled ? (
          <Text size="sm" c="dimmed" ta="center">
            {t('login.demoHint')}
          </Text>
        ) : undefined
      }
    >
      <AuthHeading title={t('login.heading')} intro={t('login.intro')} />

      {notice && (
        <Alert role="status" color="blue" variant="light">
          {notice}
        </Alert>
      )}
      <AuthForm
        onSubmit={onSubmit}
        busy={login.isPending}
        submitLabel={t('login.submit')}
        error={failure && describeLoginFailure(failure, t, language)}
        errorTitle={t('login.failedTitle')}
        footer={login.isPending && <VisuallyHidden role="status">{t('login.submitting')}</VisuallyHidden>}
      >
        <EmailInput
          ref={emailRef}
          value={email}
          onChange={(event) => {
            setEmail(event.currentTarget.value);
            if (fieldErrors.email) setFieldErrors({ ...fieldErrors, email: undefined });
          }}
          error={fieldErrors.email ? t(`login.validation.${fieldErrors.email}`) : undefined}
        />
        <PasswordInput
          ref={passwordRef}
          label={t('login.password')}
          name="password"
          autoComplete="current-password"
          required
          withAsterisk={false}
          value={password}
          onChange={(event) => {
            setPassword(event.currentTarget.value);
            if (fieldErrors.password) setFieldErrors({ ...fieldErrors, password: undefined });
          }}
          error={fieldErrors.password ? t(`login.validation.${fieldErrors.password}`) : undefined}
          visibilityToggleButtonProps={{ 'aria-label': t('login.togglePasswordVisibility') }}
        />
        <Group justify="flex-end" mt={-8}>
          <Anchor component={RouterLink} to="/forgot-password" size="sm">
            {t('accounts.forgot.link')}
          </Anchor>
        </Group>
      </AuthForm>
      {signup.data?.enabled && (
        <Text size="sm" ta="center">
          {t('accounts.signup.prompt')}{' '}
          <Anchor component={RouterLink} to="/signup">
            {t('accounts.signup.link')}
          </Anchor>
        </Text>
      )}
    </AuthShell>
  );
}
