// REST calls of the feedback domain (server/feedback/routes.ts). Framework-free: React code
// reaches them through react-query (./queries.ts).
import type {
  CallRatingState,
  CallRatingView,
  CsatRatingView,
  FollowUpState,
  FollowUpView,
  NpsPromptView,
  NpsResponseView,
  TicketCsatState,
} from '../../../signaling/shared/feedback';
import { type ApiClient, api } from '../lib/api';

const id = encodeURIComponent;
const opts = (signal?: AbortSignal) => (signal ? { signal } : {});

export class FeedbackApi {
  constructor(private readonly client: ApiClient) {}

  ticketCsat(ticketId: string, signal?: AbortSignal): Promise<TicketCsatState> {
    return this.client.request(`/api/tickets/${id(ticketId)}/csat`, opts(signal));
  }

  /** Answers, or (within the change window) changes the answer: the server keeps one per ticket. */
  rateTicket(ticketId: string, body: { score: number; comment?: string }): Promise<CsatRatingView> {
    return this.client.request(`/api/tickets/${id(ticketId)}/csat`, { method: 'POST', body });
  }

  callRating(callId: string, signal?: AbortSignal): Promise<CallRatingState> {
    return this.client.request(`/api/calls/${id(callId)}/rating`, opts(signal));
  }

  rateCall(
    callId: string,
    body: { picture: number; sound: number; helpfulness: number; comment?: string },
  ): Promise<CallRatingView> {
    return this.client.request(`/api/calls/${id(callId)}/rating`, { method: 'POST', body });
  }

  async followUps(state: FollowUpState, signal?: AbortSignal): Promise<FollowUpView[]> {
    const result = await this.client.request<{ items: FollowUpView[] }>(
      `/api/feedback/follow-ups?state=${state}`,
      opts(signal),
    );
    return result.items;
  }

  closeFollowUp(followUpId: string, note: string): Promise<FollowUpView> {
    return this.client.request(`/api/feedback/follow-ups/${id(followUpId)}/close`, {
      method: 'POST',
      body: { note },
    });
  }

  npsPrompt(signal?: AbortSignal): Promise<NpsPromptView> {
    return this.client.request('/api/feedback/nps/prompt', opts(signal));
  }

  answerNps(body: { score: number; comment?: string }): Promise<NpsResponseView> {
    return this.client.request('/api/feedback/nps', { method: 'POST', body });
  }

  dismissNps(): Promise<NpsResponseView> {
    return this.client.request('/api/feedback/nps/dismiss', { method: 'POST' });
  }
}

export const feedbackApi = new FeedbackApi(api);

/** What opening a mailed survey link returns (server/feedback/surveyLinks.ts). */
export interface RedeemedSurvey {
  access: string;
  expiresAt: string;
  ticket: { id: string; number: number; subject: string };
  state: TicketCsatState;
}

/** The mailed CSAT link's calls: no session, the link's token, then the access token it returns. */
export const surveyLinkApi = {
  redeem: (token: string): Promise<RedeemedSurvey> =>
    api.request('/api/csat/survey-links/redeem', { method: 'POST', body: { token }, anonymous: true }),
  rate: (body: {
    access: string;
    ticketId: string;
    score: number;
    comment?: string;
  }): Promise<CsatRatingView> =>
    api.request('/api/csat/survey-links/rating', { method: 'POST', body, anonymous: true }),
};
