// REST calls of the help centre (server/help/routes.ts). Framework-free: React code reaches them
// through react-query. The public reads go without a token (the help centre needs no sign-in).
import type {
  ArticleSummary,
  ArticleTaskView,
  ArticleVersionView,
  ArticleView,
  DeflectionStats,
  HelpLocale,
  PublicArticleView,
  SearchResultView,
} from '../../../signaling/shared/help';
import { type ApiClient, api } from '../lib/api';

const id = encodeURIComponent;

export interface ArticleInput {
  title: string;
  body: string;
  locale: HelpLocale;
  category: string;
  tags: string[];
  status?: 'draft' | 'published';
  translationOf?: string;
}

export interface HelpSettings {
  publishRoles: Array<'agent' | 'supervisor' | 'admin'>;
  synonyms: Array<{ from: string; to: string }>;
  articleTaskDueHours: number;
}

export class HelpApi {
  constructor(private readonly client: ApiClient) {}

  search(
    q: string,
    locale: HelpLocale | undefined,
    signal?: AbortSignal,
  ): Promise<{ results: SearchResultView[] }> {
    const params = new URLSearchParams({ q, ...(locale ? { locale } : {}) });
    return this.client.request(`/api/help/search?${params}`, {
      anonymous: true,
      ...(signal ? { signal } : {}),
    });
  }

  publicArticles(locale: HelpLocale, category?: string) {
    const params = new URLSearchParams({ locale, ...(category ? { category } : {}) });
    return this.client.request<{ items: Array<{ id: string; title: string; category: string }> }>(
      `/api/help/public/articles?${params}`,
      { anonymous: true },
    );
  }

  publicArticle(articleId: string): Promise<PublicArticleView> {
    return this.client.request(`/api/help/public/articles/${id(articleId)}`, { anonymous: true });
  }

  vote(articleId: string, helpful: boolean): Promise<{ ok: true }> {
    return this.client.request(`/api/help/public/articles/${id(articleId)}/feedback`, {
      method: 'POST',
      body: { helpful },
      anonymous: true,
    });
  }

  deflectionEvent(body: {
    sessionId: string;
    kind: 'shown' | 'opened' | 'submitted';
    articleIds?: string[];
  }) {
    return this.client.request<{ ok: true }>('/api/help/deflection/events', {
      method: 'POST',
      body,
      anonymous: true,
    });
  }

  deflectionStats(): Promise<DeflectionStats> {
    return this.client.request('/api/help/deflection/stats');
  }

  list(filter: { status?: string; locale?: string; q?: string }): Promise<{ items: ArticleSummary[] }> {
    const params = new URLSearchParams(
      Object.entries(filter).filter(([, v]) => v) as Array<[string, string]>,
    );
    return this.client.request(`/api/help/articles?${params}`);
  }

  article(articleId: string): Promise<ArticleView> {
    return this.client.request(`/api/help/articles/${id(articleId)}`);
  }

  create(body: ArticleInput): Promise<ArticleView> {
    return this.client.request('/api/help/articles', { method: 'POST', body });
  }

  update(
    articleId: string,
    body: Partial<Pick<ArticleInput, 'title' | 'body' | 'category' | 'tags'>>,
  ): Promise<ArticleView> {
    return this.client.request(`/api/help/articles/${id(articleId)}`, { method: 'PATCH', body });
  }

  publish(articleId: string, versionId?: string): Promise<ArticleView> {
    return this.client.request(`/api/help/articles/${id(articleId)}/publish`, {
      method: 'POST',
      body: versionId ? { versionId } : {},
    });
  }

  unpublish(articleId: string): Promise<ArticleView> {
    return this.client.request(`/api/help/articles/${id(articleId)}/unpublish`, { method: 'POST' });
  }

  versions(articleId: string): Promise<{ items: ArticleVersionView[] }> {
    return this.client.request(`/api/help/articles/${id(articleId)}/versions`);
  }

  fromTicket(ticketId: string, locale: HelpLocale): Promise<ArticleView> {
    return this.client.request(`/api/help/tickets/${id(ticketId)}/article`, {
      method: 'POST',
      body: { locale },
    });
  }

  ticketArticles(
    ticketId: string,
  ): Promise<{ items: Array<{ id: string; title: string; status: string; locale: string }> }> {
    return this.client.request(`/api/help/tickets/${id(ticketId)}/articles`);
  }

  tasks(state: 'open' | 'done' | 'all' = 'open'): Promise<{ items: ArticleTaskView[] }> {
    return this.client.request(`/api/help/tasks?state=${state}`);
  }

  settings(): Promise<HelpSettings> {
    return this.client.request('/api/help/settings');
  }

  saveSettings(body: HelpSettings): Promise<HelpSettings> {
    return this.client.request('/api/help/settings', { method: 'PUT', body });
  }

  /** Uploads an image file (the body is the file); returns its public URL. */
  async uploadImage(file: File, token: string | undefined): Promise<{ id: string; url: string }> {
    const res = await fetch('/api/help/images', {
      method: 'POST',
      headers: { 'content-type': file.type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: file,
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok)
      throw new Error((body as { error?: { message?: string } }).error?.message ?? `HTTP ${res.status}`);
    return body as { id: string; url: string };
  }
}

export const helpApi = new HelpApi(api);

/** react-query keys of the help centre. */
export const helpKeys = {
  all: ['help'] as const,
  search: (q: string, locale?: string) => ['help', 'search', q, locale ?? ''] as const,
  publicList: (locale: string, category?: string) => ['help', 'public', locale, category ?? ''] as const,
  publicArticle: (articleId: string) => ['help', 'public-article', articleId] as const,
  list: (filter: object) => ['help', 'articles', filter] as const,
  article: (articleId: string) => ['help', 'article', articleId] as const,
  versions: (articleId: string) => ['help', 'versions', articleId] as const,
  ticketArticles: (ticketId: string) => ['help', 'ticket', ticketId] as const,
  tasks: (state: string) => ['help', 'tasks', state] as const,
  settings: ['help', 'settings'] as const,
};
