// REST calls of the administration area (server/users/adminRoutes.ts, server/settings/routes.ts,
// server/audit/routes.ts). Framework-free: React code reaches them through ./queries.ts.

import type { MailOutboxItem, MailOutboxPage, MailState } from '../../../signaling/shared/mailOutbox';
import type { Priority, PublicUser, Role, Tier } from '../../../signaling/shared/protocol';
import { type ApiClient, api } from '../lib/api';

export type AdminUser = PublicUser & {
  languages: string[];
  disabled: boolean;
  disabledAt: string | null;
  updatedAt: string;
};

export interface UserFilter {
  q: string;
  role: Role | '';
  status: 'active' | 'disabled' | 'all';
  limit: number;
  offset: number;
}

export interface NewUser {
  email: string;
  name: string;
  password?: string;
  role: Role;
  tier?: Tier;
  skills: string[];
  languages: string[];
  locale: 'en' | 'zh-CN';
}

export type UserPatch = Partial<{
  name: string;
  role: Role;
  tier: Tier | null;
  skills: string[];
  languages: string[];
  locale: 'en' | 'zh-CN';
  disabled: boolean;
}>;

export type SlaClock = 'first_response' | 'next_response' | 'resolution';
export interface BusinessSpan {
  start: string;
  end: string;
}
export interface SlaPolicy {
  targets: Record<Priority, Record<SlaClock, number>>;
  channelOverrides?: unknown;
  warnAtFraction: number;
  pauseWhilePending: boolean;
  pauseWhileOnHold: boolean;
  businessHours: {
    timeZone: string;
    weekly: Partial<Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', BusinessSpan[]>>;
    holidays?: string[];
  } | null;
}
export interface RoutingOptions {
  bySkills: boolean;
  byLoad: boolean;
  maxOpenPerAgent: number | null;
}
export interface RecordingPolicy {
  autoPriorities: Priority[];
  autoTiers: Tier[];
  requireConsent: boolean;
  retentionDays: number;
}
export interface Settings {
  autoAssign: boolean;
  routing: RoutingOptions;
  slaPolicy: SlaPolicy;
  recordingPolicy: RecordingPolicy;
}

export interface AuditEntry {
  id: string;
  actor: { id: string; name: string; email: string } | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  createdAt: string;
}
export interface AuditFilter {
  action: string;
  targetType: string;
  from: string;
  to: string;
  limit: number;
  offset: number;
}

export type { MailOutboxItem as MailItem, MailOutboxPage as MailPage, MailState };
export interface MailFilter {
  state: MailState | '';
  limit: number;
  offset: number;
}

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});
/** Query string of the filled-in fields only (an empty filter is no filter). */
function query(params: Record<string, string | number>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== '') search.set(key, String(value));
  return search.toString();
}

export class AdminApi {
  constructor(private readonly client: ApiClient) {}

  users(filter: UserFilter, signal?: AbortSignal): Promise<{ items: AdminUser[]; total: number }> {
    return this.client.request(`/api/admin/users?${query({ ...filter })}`, opts(signal));
  }

  createUser(body: NewUser): Promise<{ user: AdminUser; invited: boolean }> {
    return this.client.request('/api/admin/users', { method: 'POST', body });
  }

  updateUser(id: string, body: UserPatch): Promise<AdminUser> {
    return this.client.request(`/api/admin/users/${encodeURIComponent(id)}`, { method: 'PATCH', body });
  }

  sendPasswordReset(id: string): Promise<{ sent: true }> {
    return this.client.request(`/api/admin/users/${encodeURIComponent(id)}/password-reset`, {
      method: 'POST',
      body: {},
    });
  }

  settings(signal?: AbortSignal): Promise<Settings> {
    return this.client.request('/api/admin/settings', opts(signal));
  }

  updateSettings(body: Partial<Settings>): Promise<Settings> {
    return this.client.request('/api/admin/settings', { method: 'PATCH', body });
  }

  demo(signal?: AbortSignal): Promise<{ enabled: boolean; accounts: number }> {
    return this.client.request('/api/admin/demo', opts(signal));
  }

  setDemo(enabled: boolean): Promise<{ enabled: boolean; accounts: number }> {
    return this.client.request('/api/admin/demo', { method: 'PUT', body: { enabled } });
  }

  mail(filter: MailFilter, signal?: AbortSignal): Promise<MailOutboxPage> {
    return this.client.request(`/api/admin/mail?${query({ ...filter })}`, opts(signal));
  }

  retryMail(id: string): Promise<MailOutboxItem> {
    return this.client.request(`/api/admin/mail/${encodeURIComponent(id)}/retry`, { method: 'POST' });
  }

  audit(filter: AuditFilter, signal?: AbortSignal): Promise<{ items: AuditEntry[]; total: number }> {
    return this.client.request(`/api/admin/audit?${query({ ...filter })}`, opts(signal));
  }
}

export const adminApi = new AdminApi(api);
