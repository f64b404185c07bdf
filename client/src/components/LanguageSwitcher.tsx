import { Group, NativeSelect, Text } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, isLanguage, LANGUAGES } from '../i18n';
import { chooseAccountLanguage } from '../lib/accountLanguage';

/**
 * A labelled select; the choice is remembered in this browser and sets `<html lang>`; signed in,
 * it is stored on the account too (every device, mails and macros follow it).
 * `compact`: on small screens the label is visually hidden (it still names the select).
 */
export function LanguageSwitcher({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <Group gap={6} wrap="nowrap">
      <Text
        component="label"
        htmlFor={id}
        size="sm"
        c="dimmed"
        className={compact ? 'visually-hidden-xs' : undefined}
      >
        {t('language.label')}
      </Text>
      <NativeSelect
        id={id}
        size="xs"
        flex="none"
        miw={compact ? { base: 76, sm: 92 } : 92}
        value={currentLanguage()}
        onChange={(event) => {
          const value = event.currentTarget.value;
          if (isLanguage(value)) void chooseAccountLanguage(value);
        }}
      >
        {LANGUAGES.map((language) => (
          <option key={language.code} value={language.code} lang={language.code}>
            {language.nativeName}
          </option>
        ))}
      </NativeSelect>
    </Group>
  );
}
