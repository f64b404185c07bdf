// REST calls of the Livedesk assistant (server/bot/routes.ts). Framework-free: React code reaches
// them through react-query.
import type {
  BotAnswer,
  BotConversationView,
  BotSettings,
  BotSettingsView,
} from '../../../signaling/shared/bot';
import { type ApiClient, api } from '../lib/api';

const id = encodeURIComponent;

export class BotApi {
  constructor(private readonly client: ApiClient) {}

  conversation(ticketId: string): Promise<{ conversation: BotConversationView | null }> {
    return this.client.request(`/api/tickets/${id(ticketId)}/bot`);
  }

  answer(ticketId: string, answer: BotAnswer): Promise<BotConversationView> {
    return this.client.request(`/api/tickets/${id(ticketId)}/bot/answer`, {
      method: 'POST',
      body: { answer },
    });
  }

  takeOver(ticketId: string): Promise<BotConversationView> {
    return this.client.request(`/api/tickets/${id(ticketId)}/bot/take-over`, { method: 'POST', body: {} });
  }

  settings(): Promise<BotSettingsView> {
    return this.client.request('/api/admin/bot');
  }

  saveSettings(settings: BotSettings): Promise<BotSettingsView> {
    return this.client.request('/api/admin/bot', { method: 'PUT', body: settings });
  }
}

export const botApi = new BotApi(api);
