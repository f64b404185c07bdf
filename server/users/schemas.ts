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
    availability: z.enum(AVAILABILITIES),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });

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
