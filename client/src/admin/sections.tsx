// The sections of /admin: one list, so adding a section is one entry here (path under /admin,
// the label's i18n key, who may open it, the page). The layout builds its navigation and the
// routes from it, and hides what the signed-in role may not open.
import type { ReactElement } from 'react';
import type { Role } from '../../../signaling/shared/protocol';
import type en from '../i18n/en.json';
import { AssistantPage } from './AssistantPage';
import { AuditPage } from './AuditPage';
import { MacrosAdminPage } from './MacrosAdminPage';
import { MailPage } from './MailPage';
import { PlaybooksAdminPage } from './PlaybooksAdminPage';
import { RecordingPolicyPage } from './RecordingPolicyPage';
import { RoutingPage } from './RoutingPage';
import { SlaPage } from './SlaPage';
import { UsersPage } from './UsersPage';
import { WidgetAdminPage } from './WidgetAdminPage';

export interface AdminSection {
  /** Under /admin, without a leading slash. */
  path: string;
  labelKey: `admin.sections.${keyof (typeof en)['admin']['sections']}`;
  roles: readonly Role[];
  element: ReactElement;
}

export const ADMIN_SECTIONS: AdminSection[] = [
  { path: 'users', labelKey: 'admin.sections.users', roles: ['admin'], element: <UsersPage /> },
  { path: 'sla', labelKey: 'admin.sections.sla', roles: ['admin'], element: <SlaPage /> },
  { path: 'routing', labelKey: 'admin.sections.routing', roles: ['admin'], element: <RoutingPage /> },
  {
    path: 'recordings',
    labelKey: 'admin.sections.recordings',
    roles: ['admin'],
    element: <RecordingPolicyPage />,
  },
  // Shared macros are the supervisors' to keep too; the page shows each role what it may change.
  {
    path: 'macros',
    labelKey: 'admin.sections.macros',
    roles: ['admin', 'supervisor'],
    element: <MacrosAdminPage />,
  },
  {
    path: 'playbooks',
    labelKey: 'admin.sections.playbooks',
    roles: ['admin'],
    element: <PlaybooksAdminPage />,
  },
  { path: 'widget', labelKey: 'admin.sections.widget', roles: ['admin'], element: <WidgetAdminPage /> },
  { path: 'mail', labelKey: 'admin.sections.mail', roles: ['admin'], element: <MailPage /> },
  {
    path: 'assistant',
    labelKey: 'admin.sections.assistant',
    roles: ['admin'],
    element: <AssistantPage />,
  },
  { path: 'audit', labelKey: 'admin.sections.audit', roles: ['admin'], element: <AuditPage /> },
];

/** The sections this role may open, in the list's order. */
export function sectionsFor(role: Role): AdminSection[] {
  return ADMIN_SECTIONS.filter((s) => s.roles.includes(role));
}

/** Whether the role sees the Administration link at all. */
export const canAdminister = (role: Role) => sectionsFor(role).length > 0;
