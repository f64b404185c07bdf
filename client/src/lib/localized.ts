// Picks the variant of a text kept per language (macros, playbooks) for a reader or a customer.
import type { ContentLocale, LocalizedText } from '../../../signaling/shared/macros';
import { currentLanguage } from '../i18n';

/** `zh…` is Chinese, anything else English: the two languages content is written in. */
export function contentLocale(language: string): ContentLocale {
  return language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** The text in `language`, else in the other language, else ''. */
export function pickLocalized(text: LocalizedText | undefined, language = currentLanguage()): string {
  if (!text) return '';
  const wanted = contentLocale(language);
  return text[wanted] || text[wanted === 'en' ? 'zh-CN' : 'en'] || '';
}
