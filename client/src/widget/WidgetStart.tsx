// "Chat with us" before a session: as a guest (name and e-mail, no password), or signed in with a
// Livedesk customer account. The admin can turn guest chat off; then only the sign-in form shows.
import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { EmailInput } from '../components/EmailInput';
import { describeError } from '../errors';
import { currentLanguage } from '../i18n';
import { widgetApi } from './widgetSession';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function WidgetStart() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: { pathname: string } } | null)?.from?.pathname ?? '/';
  const config = useQuery({ queryKey: ['widget', 'config'], queryFn: () => widgetApi.config() });
  const [mode, setMode] = useState<'guest' | 'account'>('guest');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ name?: string; email?: string; password?: string }>({});
  const done = () => void navigate(from, { replace: true });
  const guest = useMutation({
    mutationFn: () =>
      widgetApi.startGuest({ name: name.trim(), email: email.trim(), locale: currentLanguage() }),
    onSuccess: done,
  });
  const account = useMutation({
    mutationFn: () => widgetApi.signIn(email.trim(), password),
    onSuccess: done,
  });
  const guestAllowed = config.data?.guestChat !== false;
  const showGuest = guestAllowed && mode === 'guest';
  const pending = guest.isPending || account.isPending;
  const failure = showGuest ? guest.error : account.error;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: typeof errors = {};
    if (showGuest && !name.trim()) next.name = t('widget.nameRequired');
    if (!EMAIL.test(email.trim())) next.email = t('widget.emailInvalid');
    if (!showGuest && !password) next.password = t('widget.passwordRequired');
    setErrors(next);
    if (Object.keys(next).length > 0 || pending) return;
    if (showGuest) guest.mutate();
    else account.mutate();
  };

  return (
    <Stack gap="sm">
      <Title order={1} fz="h3">
        {t('widget.chatHeading')}
      </Title>
      <Text size="sm" c="dimmed">
        {showGuest ? t('widget.guestIntro') : t('widget.accountIntro')}
      </Text>
      {!guestAllowed && (
        <Text size="sm" c="dimmed" data-testid="guest-chat-off">
          {t('widget.guestChatOff')}
        </Text>
      )}
      <Paper withBorder p="md">
        <form onSubmit={submit} noValidate aria-busy={pending}>
          <Stack gap="sm">
            {failure && (
              <Alert color="red" role="alert">
                {describeError(failure, t)}
              </Alert>
            )}
            {showGuest && (
              <TextInput
                label={t('widget.name')}
                autoComplete="name"
                value={name}
                maxLength={120}
                error={errors.name}
                onChange={(e) => setName(e.currentTarget.value)}
              />
            )}
            <EmailInput
              autoComplete={showGuest ? 'email' : 'username'}
              value={email}
              error={errors.email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            {!showGuest && (
              <PasswordInput
                label={t('login.password')}
                autoComplete="current-password"
                value={password}
                error={errors.password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
            )}
            <Button type="submit" loading={pending}>
              {showGuest ? t('widget.startChat') : t('widget.signIn')}
            </Button>
          </Stack>
        </form>
      </Paper>
      {guestAllowed && (
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={() => setMode(showGuest ? 'account' : 'guest')}
        >
          {showGuest ? t('widget.haveAccount') : t('widget.continueAsGuest')}
        </Anchor>
      )}
    </Stack>
  );
}
