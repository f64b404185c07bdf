import 'i18next';
import type en from './en.json';

// Lets TypeScript check every `t('…')` key against the English resource.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
