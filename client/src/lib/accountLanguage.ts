import type { PublicUser } from '../../../signaling/shared/protocol';
import { chooseLanguage, currentLanguage, isLanguage, type Language } from '../i18n';
import { api } from './api';
import { session } from './session';

/**
 * The language follows the person, not the browser: a choice made with the switcher while signed
 * in is stored on the account (`PUT /api/me/locale`; mails and macros use it too), and signing in
 * on another device takes it from there.
 */
export async function chooseAccountLanguage(language: Language): Promise<void> {
  await chooseLanguage(language);
  if (!session.current) return;
  try {
    const user = await api.request<PublicUser>('/api/me/locale', {
      method: 'PUT',
      body: { locale: language },
    });
    session.updateUser(user);
  } catch {
    // The switch works on this device; the account keeps its former language until the next choice.
  }
}

let following: string | undefined;

/** Applies the account's language at each sign-in (and when another device changed it). */
export function followAccountLanguage(): () => void {
  const apply = () => {
    const user = session.current?.user;
    if (!user) {
      following = undefined;
      return;
    }
    const key = `${user.id}:${user.locale}:${user.localeChosen}`;
    if (following === key) return;
    following = key;
    // An account without a choice keeps whatever this browser shows (its own choice or language).
    if (user.localeChosen && isLanguage(user.locale) && user.locale !== currentLanguage())
      void chooseLanguage(user.locale);
  };
  apply();
  return session.subscribe(apply);
}
