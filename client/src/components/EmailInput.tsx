import { TextInput, type TextInputProps } from '@mantine/core';
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The e-mail field of the signed-out forms (sign-in, sign-up, forgotten password): labelled,
 * typed for the e-mail keyboard and password managers, no spell check, required without the
 * asterisk (every field of these short forms is). Callers give value, onChange and error.
 */
export function EmailInput({
  ref,
  autoComplete = 'username',
  ...props
}: Omit<TextInputProps, 'type' | 'name'> & { ref?: Ref<HTMLInputElement> }) {
  const { t } = useTranslation();
  return (
    <TextInput
      ref={ref}
      label={t('login.email')}
      placeholder={t('login.emailPlaceholder')}
      type="email"
      name="email"
      autoComplete={autoComplete}
      inputMode="email"
      spellCheck={false}
      required
      withAsterisk={false}
      {...props}
    />
  );
}
