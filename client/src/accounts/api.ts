// REST calls of the account flows (server/accounts/routes.ts): sign-up, forgotten passwords,
// invitations. Framework-free; pages reach them through react-query.
import { api, type LoginResponse } from '../lib/api';

export type LinkPurpose = 'password_reset' | 'invitation';

export interface LinkOwner {
  email: string;
  name: string;
  expiresAt: string;
}

export const accountsApi = {
  signupEnabled: (signal?: AbortSignal): Promise<{ enabled: boolean }> =>
    api.request('/api/auth/signup', { anonymous: true, ...(signal ? { signal } : {}) }),

  signup: (body: {
    email: string;
    name: string;
    password: string;
    locale: 'en' | 'zh-CN';
  }): Promise<LoginResponse> => api.request('/api/auth/signup', { method: 'POST', body, anonymous: true }),

  setSignupEnabled: (enabled: boolean): Promise<{ enabled: boolean }> =>
    api.request('/api/settings/signup', { method: 'PUT', body: { enabled } }),

  forgotPassword: (email: string): Promise<{ accepted: true }> =>
    api.request('/api/auth/password/forgot', { method: 'POST', body: { email }, anonymous: true }),

  inspectLink: (purpose: LinkPurpose, token: string, signal?: AbortSignal): Promise<LinkOwner> =>
    api.request('/api/auth/links/inspect', {
      method: 'POST',
      body: { purpose, token },
      anonymous: true,
      ...(signal ? { signal } : {}),
    }),

  /** Sets the password a link allows: a reset or an accepted invitation. */
  setPassword: (purpose: LinkPurpose, token: string, password: string): Promise<{ email: string }> =>
    api.request(purpose === 'password_reset' ? '/api/auth/password/reset' : '/api/auth/invitation/accept', {
      method: 'POST',
      body: { token, password },
      anonymous: true,
    }),
};

export const SIGNUP_QUERY_KEY = ['accounts', 'signup'] as const;
