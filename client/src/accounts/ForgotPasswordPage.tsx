import { Alert, Anchor, Button, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { AuthForm, AuthHeading } from '../components/AuthForm';
import { AuthShell } from '../components/AuthShell';
import { EmailInput } from '../components/EmailInput';
import { describeError } from '../errors';
import { isApiError } from '../lib/api';
import { accountsApi } from './api';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * `/forgot-password`: asks for a reset link by mail. The answer is the same whether or not the
 * address has an account (the server's too), so the page never tells who is a customer here.
 */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('accounts.forgot.pageTitle')} · ${t('app.name')}`);
  const [email, setEmail] = useState('');
  const [invalid, setInvalid] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  useEffect(() => emailRef.current?.focus(), []);

  const request = useMutation({ mutationFn: (address: string) => accountsApi.forgotPassword(address) });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (request.isPending) return;
    const value = email.trim();
    if (!EMAIL_PATTERN.test(value)) {
      setInvalid(true);
      emailRef.current?.focus();
      return;
    }
    request.mutate(value);
  };

  const back = (
    <Anchor component={RouterLink} to="/login" size="sm" ta="center">
      {t('accounts.backToSignIn')}
    </Anchor>
  );

  if (request.isSuccess) {
    return (
      <AuthShell below={back}>
        <Title order={1} fz="h2">
          {t('accounts.forgot.sentHeading')}
        </Title>
        <Alert color="green" variant="light" role="status">
          {t('accounts.forgot.sent', { email: request.variables })}
        </Alert>
        <Text size="sm" c="dimmed">
          {t('accounts.forgot.sentHint')}
        </Text>
        <Button variant="default" onClick={() => request.reset()}>
          {t('accounts.forgot.again')}
        </Button>
      </AuthShell>
    );
  }

  const failure = request.error
    ? isApiError(request.error) && request.error.code === 'rate_limited'
      ? t('accounts.forgot.rateLimited')
      : describeError(request.error, t)
    : null;

  return (
    <AuthShell below={back}>
      <AuthHeading title={t('accounts.forgot.heading')} intro={t('accounts.forgot.intro')} />
      <AuthForm
        onSubmit={onSubmit}
        busy={request.isPending}
        submitLabel={t('accounts.forgot.submit')}
        error={failure}
      >
        <EmailInput
          ref={emailRef}
          value={email}
          onChange={(event) => {
            setEmail(event.currentTarget.value);
            setInvalid(false);
          }}
          error={invalid ? t('login.validation.emailInvalid') : undefined}
        />
      </AuthForm>
    </AuthShell>
  );
}
