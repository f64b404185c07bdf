import { z } from 'zod';
import { CATEGORIES } from '../tickets/schemas';
import { text } from '../validation';

export const HELP_LOCALES = ['en', 'zh-CN'] as const;
export const ARTICLE_STATUSES = ['draft', 'published'] as const;

const title = text().trim().min(3, 'must be at least 3 characters').max(200);
const body = text().max(100_000);
const tags = z.array(text().trim().min(1).max(40)).max(20);

export const createArticleSchema = z
  .object({
    title,
    body,
    locale: z.enum(HELP_LOCALES),
    status: z.enum(ARTICLE_STATUSES).default('draft'),
    category: z.enum(CATEGORIES).default('other'),
    tags: tags.default([]),
    /** An article this one translates: they share a translation group. */
    translationOf: z.uuid().optional(),
  })
  .strict();
export type CreateArticleInput = z.output<typeof createArticleSchema>;

export const updateArticleSchema = z
  .object({
    title: title.optional(),
    body: body.optional(),
    category: z.enum(CATEGORIES).optional(),
    tags: tags.optional(),
  })
  .strict();
export type UpdateArticleInput = z.output<typeof updateArticleSchema>;

export const publishSchema = z
  .object({ versionId: z.uuid({ message: 'must be a version id' }).optional() })
  .strict();

export const articleIdParams = z.object({ id: z.uuid({ message: 'must be an article id' }) });
export const ticketIdParams = z.object({ ticketId: z.uuid({ message: 'must be a ticket id' }) });

export const listArticlesQuery = z.object({
  status: z.enum(ARTICLE_STATUSES).optional(),
  locale: z.enum(HELP_LOCALES).optional(),
  category: z.enum(CATEGORIES).optional(),
  q: text().trim().max(200).optional(),
});

export const searchQuery = z.object({
  q: text().trim().min(1, 'type something to search for').max(200),
  locale: z.enum(HELP_LOCALES).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const publicListQuery = z.object({
  locale: z.enum(HELP_LOCALES).default('en'),
  category: z.enum(CATEGORIES).optional(),
});

export const voteSchema = z.object({ helpful: z.boolean() }).strict();

export const linkTicketSchema = z.object({ ticketId: z.uuid({ message: 'must be a ticket id' }) }).strict();

export const deflectionEventSchema = z
  .object({
    /** A random id the new-ticket form makes when it opens: one form, one session. */
    sessionId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, - or _'),
    kind: z.enum(['shown', 'opened', 'submitted']),
    articleIds: z.array(z.uuid()).max(10).default([]),
  })
  .strict();
export type DeflectionEventInput = z.output<typeof deflectionEventSchema>;

export const deflectionStatsQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export const tasksQuery = z.object({ state: z.enum(['open', 'done', 'all']).default('open') });
