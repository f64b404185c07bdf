import { z } from 'zod';
import { AVAILABILITIES, ROLES, TIERS } from '../../signaling/shared/protocol';
import { text } from '../validation';

/** Lower-cased and trimmed, so `Ana@Example.com ` and `ana@example.com` are one account. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be a valid e-mail address' }).max(254))
  // The pipe hides the format from JSON Schema's input view; restate it for the API document.
  .meta({ format: 'email', description: 'E-mail address (case and surrounding spaces are ignored)' });

export const publicUserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    tier: z.enum(TIERS).nullable(),
    skills: z.array(z.string()),
    locale: z.string(),
    localeChosen: z.boolean(),
    availability: z.enum(AVAILABILITIES),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });

export const chooseLocaleBodySchema = z
  .object({ locale: z.enum(['en', 'zh-CN'], { message: 'must be en or zh-CN' }) })
  .strict()
  .meta({ id: 'ChooseLocale' });

export const loginBodySchema = z
  .object({
    email: emailSchema,
    password: z.string().min(1, 'is required').max(1024),
  })
  .meta({ id: 'LoginRequest' });

export const loginResponseSchema = z
  .object({ token: z.string(), expiresAt: z.iso.datetime(), user: publicUserSchema })
  .meta({ id: 'LoginResponse' });

const skillSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'skills are short words: letters, digits, - and _');

export const createUserBodySchema = z
  .object({
    email: emailSchema,
    name: text().trim().min(1, 'is required').max(120),
    password: z.string().min(10, 'must be at least 10 characters').max(1024),
    role: z.enum(ROLES),
    tier: z.enum(TIERS).optional(),
    skills: z.array(skillSchema).max(50).default([]),
    locale: z.enum(['en', 'zh-CN']).default('en'),
  })
  .superRefine((body, ctx) => {
    if (body.role === 'agent' && !body.tier) {
      ctx.addIssue({ code: 'custom', path: ['tier'], message: 'is required for an agent' });
    }
    if (body.role !== 'agent' && body.tier) {
      ctx.addIssue({ code: 'custom', path: ['tier'], message: 'only agents have a tier' });
    }
  })
  .meta({ id: 'CreateUserRequest' });
export type CreateUserInput = z.output<typeof createUserBodySchema>;

export const updateUserBodySchema = z
  .object({
    role: z.enum(ROLES).optional(),
    /** Required when the account is (or becomes) an agent; null when it stops being one. */
    tier: z.enum(TIERS).nullable().optional(),
    /** true disables the account: it can no longer sign in, and its sessions end at once. */
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'name at least one of role, tier, disabled' })
  .meta({ id: 'UpdateUserRequest' });
export type UpdateUserInput = z.output<typeof updateUserBodySchema>;

export const listUsersQuerySchema = z.object({
  role: z.enum(ROLES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const userIdParamsSchema = z.object({ id: z.uuid({ message: 'must be a user id (UUID)' }) });

// ----- administration (/api/admin/users) ------------------------------------------------------------

const languageSchema = z
  .string()
  .trim()
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'languages are tags such as en, zh-CN');

/** An account as the administration screens see it: the public view plus what only admins manage. */
export const adminUserSchema = publicUserSchema
  .extend({
    languages: z.array(z.string()),
    disabled: z.boolean(),
    disabledAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'AdminUser' });

export const adminListUsersQuerySchema = z.object({
  /** Part of the name or e-mail address, any case. */
  q: z.string().trim().max(120).optional(),
  role: z.enum(ROLES).optional(),
  status: z.enum(['active', 'disabled', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type AdminUserFilter = z.output<typeof adminListUsersQuerySchema>;

const roleAndTier = <T extends { role: string; tier?: string | null }>(body: T, ctx: z.RefinementCtx) => {
  if (body.role === 'agent' && !body.tier) {
    ctx.addIssue({ code: 'custom', path: ['tier'], message: 'is required for an agent' });
  }
  if (body.role !== 'agent' && body.tier) {
    ctx.addIssue({ code: 'custom', path: ['tier'], message: 'only agents have a tier' });
  }
};

/**
 * Without a password the account is invited: it gets an e-mail with a set-password link and cannot
 * sign in before using it.
 */
export const adminCreateUserBodySchema = z
  .object({
    email: emailSchema,
    name: text().trim().min(1, 'is required').max(120),
    password: z.string().min(10, 'must be at least 10 characters').max(1024).optional(),
    role: z.enum(ROLES),
    tier: z.enum(TIERS).optional(),
    skills: z.array(skillSchema).max(50).default([]),
    languages: z.array(languageSchema).max(20).default([]),
    locale: z.enum(['en', 'zh-CN']).default('en'),
  })
  .strict()
  .superRefine(roleAndTier)
  .meta({ id: 'AdminCreateUserRequest' });
export type AdminCreateUserInput = z.output<typeof adminCreateUserBodySchema>;

export const adminUpdateUserBodySchema = z
  .object({
    name: text().trim().min(1, 'is required').max(120).optional(),
    role: z.enum(ROLES).optional(),
    tier: z.enum(TIERS).nullable().optional(),
    skills: z.array(skillSchema).max(50).optional(),
    languages: z.array(languageSchema).max(20).optional(),
    locale: z.enum(['en', 'zh-CN']).optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'name at least one field to change' })
  .meta({ id: 'AdminUpdateUserRequest' });
export type AdminUpdateUserInput = z.output<typeof adminUpdateUserBodySchema>;
