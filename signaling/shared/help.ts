// The help centre's views as the REST API returns them (server/help builds them; the client reads them).

export type HelpLocale = 'en' | 'zh-CN';
export type ArticleStatus = 'draft' | 'published';

export interface ArticleSummary {
  id: string;
  title: string;
  locale: HelpLocale;
  category: string;
  tags: string[];
  status: ArticleStatus;
  /** The working copy differs from the published version (or nothing is published yet). */
  hasUnpublishedChanges: boolean;
  publishedAt: string | null;
  updatedAt: string;
  author: { id: string; name: string } | null;
  helpfulYes: number;
  helpfulNo: number;
}

export interface ArticleView extends ArticleSummary {
  body: string;
  publishedTitle: string | null;
  publishedBody: string | null;
  currentVersionId: string | null;
  translationGroup: string;
  translations: Array<{ id: string; locale: HelpLocale; title: string; status: ArticleStatus }>;
  tickets: Array<{ id: string; number: number; subject: string }>;
  /** Whether the caller may publish (the help settings' publishing roles). */
  canPublish: boolean;
}

export interface ArticleVersionView {
  id: string;
  number: number;
  title: string;
  body: string;
  author: { id: string; name: string } | null;
  createdAt: string;
  publishedAt: string | null;
  publishedBy: { id: string; name: string } | null;
  current: boolean;
}

export interface PublicArticleView {
  id: string;
  title: string;
  body: string;
  locale: HelpLocale;
  category: string;
  tags: string[];
  publishedAt: string;
  translations: Array<{ id: string; locale: HelpLocale; title: string }>;
  related: Array<{ id: string; title: string }>;
}

export interface SearchResultView {
  id: string;
  title: string;
  snippet: string;
  highlights: Array<{ start: number; end: number }>;
  locale: string;
  category: string;
  score: number;
  coverage: number;
}

export interface ArticleTaskView {
  id: string;
  ticket: { id: string; number: number; subject: string };
  category: string;
  agent: { id: string; name: string } | null;
  createdAt: string;
  dueAt: string;
  overdue: boolean;
  doneAt: string | null;
  doneReason: 'published' | 'linked' | null;
  articleId: string | null;
}

export interface DeflectionStats {
  /** Form sessions that were shown at least one article. */
  sessionsShown: number;
  /** …of which an article was opened. */
  sessionsOpened: number;
  /** Opened an article and submitted the ticket anyway. */
  submittedAnyway: number;
  /** Opened an article and left without submitting. */
  deflected: number;
  /** deflected / sessionsShown (0 when nothing was shown). */
  rate: number;
}
