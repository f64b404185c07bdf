import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhCN from './zh-CN.json';

// Typing the Chinese resource as the English one makes a missing or misspelt key in either file a
// compile error, so the two translations cannot drift apart silently.
const zh: typeof en = zhCN;

export const LANGUAGES = [
  { code: 'en', nativeName: 'English' },
  { code: 'zh-CN', nativeName: '中文' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'livedesk.language';

export function isLanguage(value: unknown): value is Language {
  return LANGUAGES.some((l) => l.code === value);
}

/** Maps any BCP 47 tag (`zh`, `zh-Hans-CN`, `en-GB`) to a language we ship, or undefined. */
export function matchLanguage(tag: string): Language | undefined {
  const lower = tag.toLowerCase();
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  return undefined;
}

function readStoredLanguage(): Language | undefined {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : undefined;
  } catch {
    // Storage can be disabled (privacy mode); the browser's languages are the next best guess.
    return undefined;
  }
}

/** The user's explicit choice wins; otherwise the first browser language we support; otherwise English. */
function detectLanguage(): Language {
  const stored = readStoredLanguage();
  if (stored) return stored;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const match = matchLanguage(tag);
    if (match) return match;
  }
  return 'en';
}

/** Switches the UI language and remembers the choice in this browser. */
export async function chooseLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not persisted, but the switch itself still works for this page.
  }
  await i18n.changeLanguage(language);
}

export function currentLanguage(): Language {
  return isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'en';
}

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zh } },
  lng: detectLanguage(),
  fallbackLng: 'en',
  supportedLngs: LANGUAGES.map((l) => l.code),
  // React escapes what it renders; escaping here too would double-escape.
  interpolation: { escapeValue: false },
  // Resources are bundled, so initialisation finishes before the first render.
  initAsync: false,
});

export default i18n;
