import { ActionIcon, Menu } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import type { PublicUser } from '../../../signaling/shared/protocol';
import { chooseLanguage, currentLanguage, LANGUAGES } from '../i18n';
import { sessionRenewal } from '../lib/sessionRenewal';
import { CheckMarkIcon, MenuIcon } from './icons';

/**
 * The header's menu on a phone, where the header has room for the product name, the agent's
 * availability and the connection dot only: who is signed in, the page links, the language and
 * Sign out, each a menu item (arrow keys move between them, Escape closes).
 */
export function PhoneMenu({
  user,
  links,
}: {
  user: PublicUser;
  links: Array<{ to: string; label: string }>;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  return (
    <Menu position="bottom-end" width={220} withinPortal>
      <Menu.Target>
        <ActionIcon variant="default" size="lg" aria-label={t('shell.menu')}>
          <MenuIcon size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {user.name} · {t(`roles.${user.role}`)}
        </Menu.Label>
        {links.map((link) => (
          <Menu.Item key={link.to} component={NavLink} to={link.to}>
            {link.label}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Label>{t('language.label')}</Menu.Label>
        {LANGUAGES.map((l) => (
          <Menu.Item
            key={l.code}
            lang={l.code}
            aria-current={l.code === language ? 'true' : undefined}
            rightSection={l.code === language ? <CheckMarkIcon size={14} /> : null}
            onClick={() => void chooseLanguage(l.code)}
          >
            {l.nativeName}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item onClick={() => sessionRenewal.signOut('user')}>{t('shell.signOut')}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
