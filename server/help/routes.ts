import { z } from 'zod';
import type { Database } from '../db/client';
import { defineRoute } from '../http/route';
import type { ArticlesService } from './articles';
import type { Deflection, PublicLimits } from './deflection';
import { HELP_IMAGE_MAX_BYTES, type HelpImages } from './images';
import {
  articleIdParams,
  createArticleSchema,
  deflectionEventSchema,
  deflectionStatsQuery,
  HELP_LOCALES,
  linkTicketSchema,
  listArticlesQuery,
  publicListQuery,
  publishSchema,
  searchQuery,
  tasksQuery,
  ticketIdParams,
  updateArticleSchema,
  voteSchema,
} from './schemas';
import { searchArticles } from './search';
import { helpSettingsSchema } from './settings';
import type { HelpSettingsService } from './settingsService';
import type { ArticleTasks } from './tasks';

const person = z.object({ id: z.string(), name: z.string() }).nullable();
const summary = z
  .object({
    id: z.string(),
    title: z.string(),
    locale: z.enum(HELP_LOCALES),
    category: z.string(),
    tags: z.array(z.string()),
    status: z.enum(['draft', 'published']),
    hasUnpublishedChanges: z.boolean(),
    publishedAt: z.string().nullable(),
    updatedAt: z.string(),
    author: person,
    helpfulYes: z.number(),
    helpfulNo: z.number(),
  })
  .meta({ id: 'HelpArticleSummary' });
const article = summary
  .extend({
    body: z.string(),
    publishedTitle: z.string().nullable(),
    publishedBody: z.string().nullable(),
    currentVersionId: z.string().nullable(),
    translationGroup: z.string(),
    translations: z.array(
      z.object({ id: z.string(), locale: z.enum(HELP_LOCALES), title: z.string(), status: z.string() }),
    ),
    tickets: z.array(z.object({ id: z.string(), number: z.number(), subject: z.string() })),
    canPublish: z.boolean(),
  })
  .meta({ id: 'HelpArticle' });
const version = z
  .object({
    id: z.string(),
    number: z.number(),
    title: z.string(),
    body: z.string(),
    author: person,
    createdAt: z.string(),
    publishedAt: z.string().nullable(),
    publishedBy: person,
    current: z.boolean(),
  })
  .meta({ id: 'HelpArticleVersion' });
const searchResult = z
  .object({
    id: z.string(),
    title: z.string(),
    snippet: z.string(),
    highlights: z.array(z.object({ start: z.number(), end: z.number() })),
    locale: z.string(),
    category: z.string(),
    score: z.number(),
    coverage: z.number(),
  })
  .meta({ id: 'HelpSearchResult' });
const publicArticle = z
  .object({
    id: z.string(),
    title: z.string(),
    body: z.string(),
    locale: z.enum(HELP_LOCALES),
    category: z.string(),
    tags: z.array(z.string()),
    publishedAt: z.string(),
    translations: z.array(z.object({ id: z.string(), locale: z.enum(HELP_LOCALES), title: z.string() })),
    related: z.array(z.object({ id: z.string(), title: z.string() })),
  })
  .meta({ id: 'HelpPublicArticle' });
const task = z
  .object({
    id: z.string(),
    ticket: z.object({ id: z.string(), number: z.number(), subject: z.string() }),
    category: z.string(),
    agent: person,
    createdAt: z.string(),
    dueAt: z.string(),
    overdue: z.boolean(),
    doneAt: z.string().nullable(),
    doneReason: z.enum(['published', 'linked']).nullable(),
    articleId: z.string().nullable(),
  })
  .meta({ id: 'HelpArticleTask' });
const ok = z.object({ ok: z.literal(true) });
const STAFF_AUTHORS = ['agent', 'supervisor', 'admin'] as const;

export function helpRoutes(deps: {
  db: Database;
  articles: ArticlesService;
  tasks: ArticleTasks;
  images: HelpImages;
  deflection: Deflection;
  limits: PublicLimits;
  settings: HelpSettingsService;
}) {
  const { db, articles, tasks, images, deflection, limits, settings } = deps;
  return [
    defineRoute({
      method: 'get',
      path: '/api/help/search',
      summary:
        'Search the published help articles (Chinese and English; synonyms and typing errors tolerated), best first, with a highlighted snippet',
      tag: 'help',
      access: 'public',
      query: searchQuery,
      response: z.object({ results: z.array(searchResult) }),
      handler: async ({ query }) => ({
        results: await searchArticles(db, { q: query.q, locale: query.locale, limit: query.limit }),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/help/public/articles',
      summary: 'The published articles of a language (optionally of one category), for the help centre',
      tag: 'help',
      access: 'public',
      query: publicListQuery,
      response: z.object({
        items: z.array(
          z.object({
            id: z.string(),
            title: z.string(),
            category: z.string(),
            publishedAt: z.string().nullable(),
          }),
        ),
      }),
      handler: async ({ query }) => ({ items: await articles.publicList(query.locale, query.category) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/help/public/articles/:id',
      summary: 'A published article with its translations and related articles',
      tag: 'help',
      access: 'public',
      params: articleIdParams,
      response: publicArticle,
      handler: ({ params }) => articles.publicArticle(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/help/public/articles/:id/feedback',
      summary: '"Was this helpful?" — anonymous, one vote per article and address an hour',
      tag: 'help',
      access: 'public',
      params: articleIdParams,
      body: voteSchema,
      response: ok,
      status: 201,
      handler: async ({ params, body, req }) => {
        await limits.vote(req.ip ?? 'unknown', params.id);
        await articles.vote(params.id, body.helpful);
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/help/images/:id',
      summary: 'An image of a help article',
      tag: 'help',
      access: 'public',
      params: articleIdParams,
      response: z.unknown(),
      streams: true,
      handler: async ({ params, res }) => images.send(params.id, res),
    }),
    defineRoute({
      method: 'post',
      path: '/api/help/images',
      summary: 'Upload an image for an article (PNG, JPEG, GIF or WebP, at most 5 MB; the body is the file)',
      tag: 'help',
      access: STAFF_AUTHORS,
      upload: { maxBytes: HELP_IMAGE_MAX_BYTES },
      response: z.object({ id: z.string(), url: z.string() }),
      status: 201,
      handler: ({ actor, raw, req }) => images.upload(actor!, req.headers['content-type'] ?? '', raw!),
    }),
    defineRoute({
      method: 'post',
      path: '/api/help/articles',
      summary:
        'Write an article: { title, body, locale, status } (+ category, tags, translationOf). Publishing needs a publishing role (help settings)',
      tag: 'help',
      access: STAFF_AUTHORS,
      body: createArticleSchema,
      response: article,
      status: 201,
      handler: ({ actor, body }) => articles.create(actor!, body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/help/articles',
      summary: 'Articles for authors: drafts and published, filtered by status, language, category or text',
      tag: 'help',
      access: STAFF_AUTHORS,
      query: listArticlesQuery,
      response: z.object({ items: z.array(summary) }),
      handler: async ({ actor, query }) => ({ items: await articles.list(actor!, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/help/articles/:id',
      summary: 'An article with its working copy, published text, translations and linked tickets',
      tag: 'help',
      access: STAFF_AUTHORS,
      params: articleIdParams,
      response: article,
      handler: ({ actor, params }) => articles.view(actor!, params.id),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/help/articles/:id',
      summary: 'Edit the working copy; a changed title or body is saved as a new version (not yet published)',
      tag: 'help',
      access: STAFF_AUTHORS,
      params: articleIdParams,
      body: updateArticleSchema,
      response: article,
      handler: ({ actor, params, body }) => articles.update(actor!, params.id, body),
    }),
    defineRoute({
      method: 'post',
      path: '/api/help/articles/:id/publish',
      summary: 'Publish the latest version, or an earlier one by versionId (publishing roles only)',
      tag: 'help',
      access: STAFF_AUTHORS,
      params: articleIdParams,
      body: publishSchema,
      response: article,
      handler: ({ actor, params, body }) => articles.publish(actor!, params.id, body),
    }),
    defineRoute({
      method: 'post',
      path: '/api/help/articles/:id/unpublish',
      summary: 'Take an article off the help centre (it stays as a draft with its history)',
      tag: 'help',
      access: STAFF_AUTHORS,
      params: articleIdParams,
      response: article,
      handler: ({ actor, params }) => articles.unpublish(actor!, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/api/help/articles/:id/versions',
      summary: "An article's versions, newest first, with which one is published",
      tag: 'help',
      access: STAFF_AUTHORS,
      params: articleIdParams,
      response: z.object({ items: z.array(version) }),
      handler: async ({ actor, params }) => ({ items: await articles.versions(actor!, params.id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/help/articles/:id/tickets',
      summary: 'Link a ticket to the article (does its article task)',
      tag: 'help',
      access: STAFF_AUTHORS,
      params: articleIdParams,
      body: linkTicketSchema,
      response: ok,
      status: 201,
      handler: async ({ actor, params, body }) => {
        await tasks.link(actor!, params.id, body.ticketId);
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/help/tickets/:ticketId/article',
      summary:
        'Create an article draft from a ticket: its problem (subject, description, snapshot) and solution (public replies, whiteboard images), linked to it',
      tag: 'help',
      access: STAFF_AUTHORS,
      params: ticketIdParams,
      body: z.object({ locale: z.enum(HELP_LOCALES).default('en') }).strict(),
      response: article,
      status: 201,
      handler: ({ actor, params, body }) => tasks.createFromTicket(actor!, params.ticketId, body.locale),
    }),
    defineRoute({
      method: 'get',
      path: '/api/help/tickets/:ticketId/articles',
      summary: 'The articles written from or linked to a ticket',
      tag: 'help',
      access: [...STAFF_AUTHORS, 'qa'],
      params: ticketIdParams,
      response: z.object({
        items: z.array(
          z.object({ id: z.string(), title: z.string(), status: z.string(), locale: z.string() }),
        ),
      }),
      handler: async ({ actor, params }) => ({
        items: await tasks.articlesOfTicket(actor!, params.ticketId),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/help/tasks',
      summary: "Article tasks of solved tickets (an agent's own; supervisors and admins all)",
      tag: 'help',
      access: STAFF_AUTHORS,
      query: tasksQuery,
      response: z.object({ items: z.array(task) }),
      handler: async ({ actor, query }) => ({ items: await tasks.list(actor!, query.state) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/help/deflection/events',
      summary:
        "The new-ticket form's deflection events: articles shown, one opened, the ticket submitted anyway",
      tag: 'help',
      access: 'public',
      body: deflectionEventSchema,
      response: ok,
      status: 201,
      handler: async ({ body, req }) => {
        await limits.event(req.ip ?? 'unknown');
        await deflection.record(null, body);
        return { ok: true as const };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/help/deflection/stats',
      summary: 'Deflection over form sessions started in the range (default: the last 30 days)',
      tag: 'help',
      access: ['supervisor', 'admin', 'qa'],
      query: deflectionStatsQuery,
      response: z.object({
        sessionsShown: z.number(),
        sessionsOpened: z.number(),
        submittedAnyway: z.number(),
        deflected: z.number(),
        rate: z.number(),
      }),
      handler: ({ query }) => deflection.stats(query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/help/settings',
      summary: 'Help centre settings: who publishes, the synonyms, the article task deadline',
      tag: 'help',
      access: [...STAFF_AUTHORS, 'qa'],
      response: helpSettingsSchema,
      handler: () => settings.get(),
    }),
    defineRoute({
      method: 'put',
      path: '/api/help/settings',
      summary: 'Change the help centre settings (admins)',
      tag: 'help',
      access: ['admin'],
      body: helpSettingsSchema,
      response: helpSettingsSchema,
      handler: ({ body }) => settings.put(body),
    }),
  ];
}
