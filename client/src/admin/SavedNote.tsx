import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** "Saved" after a successful save, announced politely; nothing otherwise. */
export function SavedNote({ mutation }: { mutation: { isSuccess: boolean; isPending: boolean } }) {
  const { t } = useTranslation();
  return (
    <Text size="sm" c="teal.8" role="status" aria-live="polite">
      {mutation.isSuccess && !mutation.isPending ? t('admin.saved') : ''}
    </Text>
  );
}
