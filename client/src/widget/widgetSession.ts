// The widget's session. It runs in an iframe on another site's page, where the SameSite=Strict
// refresh cookie is never sent: the server hands the refresh token to the widget, which keeps it in
// its own storage (partitioned per embedding site by the browser) and renews with it.
import type { PublicUser } from '../../../signaling/shared/protocol';
import { api } from '../lib/api';
import { type Session, session } from '../lib/session';
import { SessionRenewal } from '../lib/sessionRenewal';

const REFRESH_KEY = 'livedesk.widget.refresh';

export interface WidgetSession extends Session {
  refreshToken: string;
}

function storeRefresh(token: string | null): void {
  try {
    if (token) window.localStorage.setItem(REFRESH_KEY, token);
    else window.localStorage.removeItem(REFRESH_KEY);
  } catch {
    // Storage disabled: the session lasts as long as its access token in this page.
  }
}

function readRefresh(): string | null {
  try {
    return window.localStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

function signedIn(result: WidgetSession): Session {
  storeRefresh(result.refreshToken);
  return { token: result.token, expiresAt: result.expiresAt, user: result.user };
}

export const widgetApi = {
  config: () => api.request<{ guestChat: boolean }>('/api/widget/config', { anonymous: true }),
  async startGuest(input: { name: string; email: string; locale: 'en' | 'zh-CN' }): Promise<void> {
    const result = await api.request<WidgetSession>('/api/widget/guest', {
      method: 'POST',
      body: input,
      anonymous: true,
    });
    session.signIn(signedIn(result));
  },
  async signIn(email: string, password: string): Promise<void> {
    const result = await api.request<WidgetSession>('/api/widget/session', {
      method: 'POST',
      body: { email, password },
      anonymous: true,
    });
    session.signIn(signedIn(result));
  },
  async refresh(): Promise<Session> {
    const refreshToken = readRefresh();
    if (!refreshToken) throw new Error('No widget session to renew');
    return signedIn(
      await api.request<WidgetSession>('/api/widget/session/refresh', {
        method: 'POST',
        body: { refreshToken },
        anonymous: true,
      }),
    );
  },
};

/** Renews the widget's session ahead of expiry with its own refresh token; signs out on the server too. */
export const widgetRenewal = new SessionRenewal(session, {
  refresh: () => widgetApi.refresh(),
  revoke: async () => {
    storeRefresh(null);
    return api.logout();
  },
});

export type { PublicUser };
