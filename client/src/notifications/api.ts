// REST calls of notifications and presence. Framework-free: React reaches them through
// react-query (./queries.ts).
import type { Availability, NotificationEvent, Presence } from '../../../signaling/shared/protocol';
import { type ApiClient, api } from '../lib/api';

export interface NotificationSettings {
  sound: boolean;
  desktop: boolean;
  events: NotificationEvent[];
}

export interface UnreadTicket {
  ticketId: string;
  count: number;
  lastSeq: number;
  unopened: boolean;
}

export interface Unread {
  total: number;
  tickets: UnreadTicket[];
}

export class NotificationsApi {
  constructor(private readonly client: ApiClient) {}

  settings(signal?: AbortSignal): Promise<NotificationSettings> {
    return this.client.request('/api/me/notification-settings', signal ? { signal } : {});
  }

  saveSettings(settings: NotificationSettings): Promise<NotificationSettings> {
    return this.client.request('/api/me/notification-settings', { method: 'PUT', body: settings });
  }

  unread(signal?: AbortSignal): Promise<Unread> {
    return this.client.request('/api/me/unread', signal ? { signal } : {});
  }

  markRead(ticketId: string, seq?: number): Promise<{ ticketId: string; lastReadSeq: number }> {
    return this.client.request(`/api/tickets/${encodeURIComponent(ticketId)}/read`, {
      method: 'PUT',
      body: seq === undefined ? {} : { seq },
    });
  }

  presence(signal?: AbortSignal): Promise<{ availability: Availability; presence: Presence }> {
    return this.client.request('/api/me/presence', signal ? { signal } : {});
  }
}

export const notificationsApi = new NotificationsApi(api);
