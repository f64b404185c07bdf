import type { TFunction } from 'i18next';
import { ERROR_CODES, type FieldIssue } from '../../signaling/shared/protocol';
import { currentLanguage } from './i18n';
import { isApiError } from './lib/api';

/** A message the user can act on, in their language, for any error an API call can throw. */
export function describeError(err: unknown, t: TFunction): string {
  if (!isApiError(err)) return t('errors.internal');
  const message = t(`errors.${err.code}`);
  return err.requestId ? `${message} ${t('errors.requestId', { requestId: err.requestId })}` : message;
}

/**
 * One field's problem in the user's language: the kind of rule the server names (`rule`, with its
 * `limit`) translated; a rule of the domain (`custom`) is only worded by the server, in English,
 * so other languages get the general "not valid" instead of English in the middle of the page.
 */
export function describeFieldIssue(issue: FieldIssue, t: TFunction, language = currentLanguage()): string {
  const rule = issue.rule ?? 'custom';
  if (rule !== 'custom')
    return t(`errors.fields.${rule}`, { limit: issue.limit ?? 0, count: issue.limit ?? 0 });
  return language === 'en' ? issue.message : t('errors.fields.custom');
}

/**
 * The server's own sentence about a refusal (which rule of the domain said no), when it can be
 * shown: it is English, so only in the English interface; other languages rely on the code's
 * translated message beside it.
 */
export function serverExplanation(err: unknown, language = currentLanguage()): string | null {
  return isApiError(err) && language === 'en' && err.code !== 'internal' ? err.message : null;
}

/** A refusal reported inside an answer (a bulk change's per-ticket result): its sentence in English, else its code's. */
export function describeRefusal(
  error: { code: string; message: string },
  t: TFunction,
  language = currentLanguage(),
): string {
  if (language === 'en') return error.message;
  const code = ERROR_CODES.find((c) => c === error.code) ?? 'internal';
  return t(`errors.${code}`);
}
