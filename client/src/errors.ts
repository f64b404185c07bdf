import type { TFunction } from 'i18next';
import { isApiError } from './lib/api';

/** A message the user can act on, in their language, for any error an API call can throw. */
export function describeError(err: unknown, t: TFunction): string {
  if (!isApiError(err)) return t('errors.internal');
  const message = t(`errors.${err.code}`);
  return err.requestId ? `${message} ${t('errors.requestId', { requestId: err.requestId })}` : message;
}
