import { PasswordInput, Stack } from '@mantine/core';
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';

/** What the server's password policy asks (server/auth/passwordPolicy.ts), said before typing. */
export const PASSWORD_MIN = 10;

export type PasswordProblem = 'tooShort' | 'mismatch' | 'refused';

/** Checks what the browser can know; the server's policy has the final word ('refused'). */
export function checkPasswordChoice(password: string, confirmation: string): PasswordProblem | null {
  if (password.length < PASSWORD_MIN) return 'tooShort';
  if (password !== confirmation) return 'mismatch';
  return null;
}

/** A new password typed twice, with the policy as its description and errors in the user's language. */
export function PasswordChoice({
  password,
  confirmation,
  onPassword,
  onConfirmation,
  problem,
  inputRef,
}: {
  password: string;
  confirmation: string;
  onPassword: (value: string) => void;
  onConfirmation: (value: string) => void;
  problem: PasswordProblem | null;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const { t } = useTranslation();
  const toggle = { 'aria-label': t('login.togglePasswordVisibility') };
  return (
    <Stack gap="md">
      <PasswordInput
        ref={inputRef}
        label={t('accounts.password.new')}
        description={t('accounts.password.rules', { count: PASSWORD_MIN })}
        name="new-password"
        autoComplete="new-password"
        required
        withAsterisk={false}
        value={password}
        onChange={(event) => onPassword(event.currentTarget.value)}
        error={
          problem === 'tooShort' || problem === 'refused'
            ? t(`accounts.password.${problem}`, { count: PASSWORD_MIN })
            : undefined
        }
        visibilityToggleButtonProps={toggle}
      />
      <PasswordInput
        label={t('accounts.password.confirm')}
        name="confirm-password"
        autoComplete="new-password"
        required
        withAsterisk={false}
        value={confirmation}
        onChange={(event) => onConfirmation(event.currentTarget.value)}
        error={problem === 'mismatch' ? t('accounts.password.mismatch') : undefined}
        visibilityToggleButtonProps={toggle}
      />
    </Stack>
  );
}
