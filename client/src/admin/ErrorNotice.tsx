import { Alert, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { describeError, describeFieldIssue, serverExplanation } from '../errors';
import { isApiError } from '../lib/api';

/**
 * A failed save: the error in words and, for a refused input, which field and why, in the
 * interface's language (the server names the field and the kind of rule).
 */
export function ErrorNotice({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const details = isApiError(error) ? (error.details ?? []) : [];
  const conflictMessage = isApiError(error) && error.code === 'conflict' ? serverExplanation(error) : null;
  return (
    <Alert color="red" variant="light" role="alert">
      <Text size="sm">{describeError(error, t)}</Text>
      {conflictMessage && <Text size="sm">{conflictMessage}</Text>}
      {details.length > 0 && (
        <List size="sm" mt={4}>
          {details.map((d) => (
            <List.Item key={`${d.path}:${d.message}`}>
              <code>{d.path}</code>: {describeFieldIssue(d, t)}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
