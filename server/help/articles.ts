import type {
  ArticleSummary,
  ArticleVersionView,
  ArticleView,
  PublicArticleView,
} from '../../signaling/shared/help';
import type { PublicUser } from '../../signaling/shared/protocol';
import type { Clock } from '../clock';
import type { HelpArticleRow } from '../db/helpSchema';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import { documentTerms, hanCharacters, tsVectorText } from '../search/textTokens';
import type { ArticleFilter, HelpRepository } from './repository';
import type { CreateArticleInput, UpdateArticleInput } from './schemas';
import { invalidateSearch, searchArticles } from './search';
import { readHelpSettings } from './settings';
import { plainText } from './snippet';

/** Everyone on the support side writes articles; QA reviewers and customers do not. */
const AUTHORS: ReadonlySet<string> = new Set(['agent', 'supervisor', 'admin']);

export function canAuthor(actor: PublicUser): boolean {
  return AUTHORS.has(actor.role);
}

/** Tells the article tasks an article of a category was published. */
export type OnPublished = (article: HelpArticleRow, at: Date) => Promise<void>;

/**
 * Articles: drafts, versions, publishing, the public reads. Every save of the title or body is a
 * new numbered version (the history); publishing makes one version current and copies its text to
 * the published columns with its search terms, so what the public and the search see changes only
 * on publish.
 */
export class ArticlesService {
  constructor(
    private readonly repo: HelpRepository,
    private readonly clock: Clock,
    private readonly onPublished: OnPublished,
  ) {}

  async mayPublish(actor: PublicUser): Promise<boolean> {
    if (!canAuthor(actor)) return false;
    const settings = await readHelpSettings(this.repo.db);
    return (settings.publishRoles as string[]).includes(actor.role);
  }

  private assertAuthor(actor: PublicUser) {
    if (!canAuthor(actor)) throw forbidden('Only agents, supervisors and admins write help articles.');
  }

  private async assertPublisher(actor: PublicUser) {
    if (!(await this.mayPublish(actor))) {
      throw forbidden('Your role may write drafts; a supervisor or admin publishes them.');
    }
  }

  async create(actor: PublicUser, input: CreateArticleInput, ticketId?: string): Promise<ArticleView> {
    this.assertAuthor(actor);
    if (input.status === 'published') await this.assertPublisher(actor);
    let group: string | undefined;
    if (input.translationOf) {
      const original = await this.repo.findArticle(input.translationOf);
      if (!original) throw notFound('The article to translate');
      const siblings = await this.repo.translations(original.translationGroup);
      if (siblings.some((s) => s.locale === input.locale)) {
        throw conflict(`This article already has a ${input.locale} translation.`);
      }
      group = original.translationGroup;
    }
    const id = await this.repo.transaction(async (repo) => {
      const article = await repo.insertArticle({
        locale: input.locale,
        // A new article starts its own group; its id is not known yet, so a random one is used.
        translationGroup: group ?? crypto.randomUUID(),
        category: input.category,
        tags: [...new Set(input.tags)],
        title: input.title,
        body: input.body,
        authorId: actor.id,
      });
      await repo.insertVersion({
        articleId: article.id,
        number: 1,
        title: input.title,
        body: input.body,
        authorId: actor.id,
      });
      if (ticketId) await repo.linkTicket(article.id, ticketId);
      return article.id;
    });
    if (input.status === 'published') await this.publish(actor, id, {});
    return this.view(actor, id);
  }

  async update(actor: PublicUser, id: string, patch: UpdateArticleInput): Promise<ArticleView> {
    this.assertAuthor(actor);
    await this.repo.transaction(async (repo) => {
      const article = await repo.lockArticle(id);
      if (!article) throw notFound('The article');
      const title = patch.title ?? article.title;
      const body = patch.body ?? article.body;
      if (title !== article.title || body !== article.body) {
        const latest = await repo.latestVersion(id);
        await repo.insertVersion({
          articleId: id,
          number: (latest?.number ?? 0) + 1,
          title,
          body,
          authorId: actor.id,
        });
      }
      await repo.updateArticle(id, {
        title,
        body,
        ...(patch.category ? { category: patch.category } : {}),
        ...(patch.tags ? { tags: [...new Set(patch.tags)] } : {}),
      });
    });
    return this.view(actor, id);
  }

  /** Publishes the latest version, or the one named (going back to an earlier text). */
  async publish(
    actor: PublicUser,
    id: string,
    options: { versionId?: string | undefined },
  ): Promise<ArticleView> {
    await this.assertPublisher(actor);
    const at = this.clock.now();
    const article = await this.repo.transaction(async (repo) => {
      const row = await repo.lockArticle(id);
      if (!row) throw notFound('The article');
      const version = options.versionId
        ? await repo.findVersion(id, options.versionId)
        : await repo.latestVersion(id);
      if (!version) throw notFound('The version');
      if (version.body.trim().length === 0)
        throw badRequest('An article needs a body before it is published.');
      await repo.markVersionPublished(version.id, actor.id, at);
      if (options.versionId) await repo.updateArticle(id, { title: version.title, body: version.body });
      return repo.setPublished(id, {
        versionId: version.id,
        title: version.title,
        body: version.body,
        vector: articleVector(version.title, version.body, row.tags),
        at,
      });
    });
    invalidateSearch(this.repo.db);
    await this.onPublished(article, at);
    return this.view(actor, id);
  }

  async unpublish(actor: PublicUser, id: string): Promise<ArticleView> {
    await this.assertPublisher(actor);
    const row = await this.repo.findArticle(id);
    if (!row) throw notFound('The article');
    await this.repo.setPublished(id, { versionId: null, title: null, body: null, vector: null, at: null });
    invalidateSearch(this.repo.db);
    return this.view(actor, id);
  }

  async list(actor: PublicUser, filter: ArticleFilter): Promise<ArticleSummary[]> {
    this.assertAuthor(actor);
    const rows = await this.repo.listArticles(filter);
    const people = await this.repo.usersByIds(rows.map((r) => r.authorId));
    return rows.map((r) => summary(r, people));
  }

  async view(actor: PublicUser, id: string): Promise<ArticleView> {
    this.assertAuthor(actor);
    const row = await this.repo.findArticle(id);
    if (!row) throw notFound('The article');
    const [people, translations, tickets, canPublish] = await Promise.all([
      this.repo.usersByIds([row.authorId]),
      this.repo.translations(row.translationGroup),
      this.repo.ticketsOfArticle(id),
      this.mayPublish(actor),
    ]);
    return {
      ...summary(row, people),
      body: row.body,
      publishedTitle: row.publishedTitle,
      publishedBody: row.publishedBody,
      currentVersionId: row.currentVersionId,
      translationGroup: row.translationGroup,
      translations: translations
        .filter((t) => t.id !== id)
        .map((t) => ({ id: t.id, locale: t.locale, title: t.title, status: t.status })),
      tickets,
      canPublish,
    };
  }

  async versions(actor: PublicUser, id: string): Promise<ArticleVersionView[]> {
    this.assertAuthor(actor);
    const row = await this.repo.findArticle(id);
    if (!row) throw notFound('The article');
    const versions = await this.repo.versions(id);
    const people = await this.repo.usersByIds(versions.flatMap((v) => [v.authorId, v.publishedById]));
    return versions.map((v) => ({
      id: v.id,
      number: v.number,
      title: v.title,
      body: v.body,
      author: v.authorId ? (people.get(v.authorId) ?? null) : null,
      createdAt: v.createdAt.toISOString(),
      publishedAt: v.publishedAt?.toISOString() ?? null,
      publishedBy: v.publishedById ? (people.get(v.publishedById) ?? null) : null,
      current: v.id === row.currentVersionId,
    }));
  }

  /** A published article as the public reads it, with its translations and related articles. */
  async publicArticle(id: string): Promise<PublicArticleView> {
    const row = await this.repo.findArticle(id);
    if (row?.status !== 'published' || !row.publishedTitle || row.publishedBody === null) {
      throw notFound('The article');
    }
    const [translations, related] = await Promise.all([
      this.repo.translations(row.translationGroup),
      searchArticles(this.repo.db, {
        q: `${row.publishedTitle} ${row.tags.join(' ')}`,
        locale: row.locale,
        limit: 5,
        excludeIds: [id],
      }),
    ]);
    return {
      id: row.id,
      title: row.publishedTitle,
      body: row.publishedBody,
      locale: row.locale,
      category: row.category,
      tags: row.tags,
      publishedAt: row.publishedAt!.toISOString(),
      translations: translations
        .filter((t) => t.id !== id && t.status === 'published' && t.publishedTitle)
        .map((t) => ({ id: t.id, locale: t.locale, title: t.publishedTitle! })),
      related: related.map((r) => ({ id: r.id, title: r.title })),
    };
  }

  async publicList(locale: string, category?: string) {
    const rows = await this.repo.publishedList(locale, category);
    return rows.map((r) => ({
      id: r.id,
      title: r.title ?? '',
      category: r.category,
      publishedAt: r.publishedAt?.toISOString() ?? null,
    }));
  }

  async vote(id: string, helpful: boolean): Promise<void> {
    if (!(await this.repo.vote(id, helpful))) throw notFound('The article');
  }
}

/**
 * The search terms of a published text: title at weight A, tags and body at B, and the Chinese
 * characters of both at D (the fallback for Chinese words the articles phrase differently).
 */
export function articleVector(title: string, body: string, tags: readonly string[]): string {
  const text = plainText(body);
  return tsVectorText([
    { terms: documentTerms(title), weight: 'A' },
    { terms: documentTerms(`${tags.join(' ')} ${text}`), weight: 'B' },
    { terms: hanCharacters(`${title} ${text}`), weight: 'D' },
  ]);
}

function summary(row: HelpArticleRow, people: Map<string, { id: string; name: string }>): ArticleSummary {
  return {
    id: row.id,
    title: row.title,
    locale: row.locale,
    category: row.category,
    tags: row.tags,
    status: row.status,
    hasUnpublishedChanges:
      row.status !== 'published' || row.title !== row.publishedTitle || row.body !== row.publishedBody,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
    author: row.authorId ? (people.get(row.authorId) ?? null) : null,
    helpfulYes: row.helpfulYes,
    helpfulNo: row.helpfulNo,
  };
}
