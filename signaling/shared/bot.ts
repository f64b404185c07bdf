// The Livedesk assistant's vocabulary (server/bot/): what its messages carry, the quick replies a
// customer may give, why it handed a conversation to a person, and its settings. Part of the shared
// leaf (signaling/shared/): imports nothing but the domain lists.
import type { Channel } from './domain';

/** The quick replies under "Did this solve it?" (buttons; typed replies are recognised too). */
export const BOT_ANSWERS = ['yes', 'no', 'human'] as const;
export type BotAnswer = (typeof BOT_ANSWERS)[number];

/**
 * Why the assistant handed the conversation to a person: the customer asked (`asked`), it had no
 * good answer (`no_answer`), the customer said "no" a second time (`second_no`), the customer wrote
 * again after "yes" solved it (`reopened`), or the per-ticket limit of searches ran out (`limit`).
 */
export const BOT_HANDOFF_REASONS = ['asked', 'no_answer', 'second_no', 'reopened', 'limit'] as const;
export type BotHandoffReason = (typeof BOT_HANDOFF_REASONS)[number];

/**
 * Where a ticket's conversation with the assistant stands: it answers (`answering`), it handed
 * over (`handed_off`), "yes" solved it (`resolved`), or a person took over before any of these.
 */
export const BOT_STATES = ['answering', 'handed_off', 'resolved', 'taken_over'] as const;
export type BotState = (typeof BOT_STATES)[number];

export type BotLocale = 'en' | 'zh-CN';

/** One suggested article, quoted: its title, a snippet of its text, and its public page. */
export interface BotArticle {
  id: string;
  title: string;
  snippet: string;
  /** `/help/articles/<id>`: the public help centre page. */
  url: string;
}

/**
 * What a bot message says, as data (stored in the message's `system` column; `body` keeps a
 * rendering in the conversation's language for readers that only take text: QA, mail, exports).
 * `answer`: articles + "Did this solve it?"; `rephrase`: after a first "no"; `resolved`: after
 * "yes"; `handoff`: a person is coming (the agent's view shows the summary card from `summary`).
 */
export type BotMessage =
  | { type: 'answer'; locale: BotLocale; articles: BotArticle[]; ask: true }
  | { type: 'rephrase'; locale: BotLocale; ask: true }
  | { type: 'resolved'; locale: BotLocale }
  | {
      type: 'handoff';
      locale: BotLocale;
      reason: BotHandoffReason;
      /** Estimated minutes until a person answers (median first response of the last days); null: unknown. */
      expectedWaitMinutes: number | null;
      summary: BotHandoffSummary;
    };

/** The hand-off card: what the customer asked, what the assistant suggested, and the snapshot. */
export interface BotHandoffSummary {
  /** The customer's questions the assistant saw, oldest first (at most 5, each shortened). */
  questions: string[];
  suggested: Array<{ id: string; title: string; url: string }>;
  /** How many times the customer said "no". */
  noCount: number;
  /** The problem snapshot's plain facts ("Browser: Chrome 126" …), at most 12. */
  snapshot: string[];
}

/** A ticket's conversation with the assistant (`GET /api/tickets/:id/bot`). */
export interface BotConversationView {
  ticketId: string;
  state: BotState;
  noCount: number;
  handoffReason: BotHandoffReason | null;
  suggested: Array<{ id: string; title: string; url: string }>;
  startedAt: string;
  endedAt: string | null;
}

/**
 * The admin's settings: `auto` answers while the help centre has at least one published article
 * (the default: a new desk has nothing to answer from), `on` always, `off` never; only on tickets
 * of `channels` (the portal and live chat by default; e-mail and phone tickets are people's).
 */
export interface BotSettings {
  mode: 'auto' | 'on' | 'off';
  channels: Channel[];
}

/** `GET /api/admin/bot`: the settings and whether the assistant answers now (auto resolved). */
export interface BotSettingsView extends BotSettings {
  active: boolean;
  publishedArticles: number;
}
