import { z } from 'zod';
import { auditContextOf } from '../audit/record';
import { defineRoute } from '../http/route';
import type { UserAdmin } from './admin';
import type { DemoSwitch } from './demoSwitch';
import {
  adminCreateUserBodySchema,
  adminListUsersQuerySchema,
  adminUpdateUserBodySchema,
  adminUserSchema,
  userIdParamsSchema,
} from './schemas';

const demoStatusSchema = z
  .object({ enabled: z.boolean(), accounts: z.number().int() })
  .meta({ id: 'DemoStatus' });

/** The administration of accounts and the demo switch: admins only, every change audited. */
export function adminUserRoutes(admin: UserAdmin, demo: DemoSwitch) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/admin/users',
      summary: 'Accounts, searched by name or e-mail and filtered by role and status (admins)',
      tag: 'admin',
      access: ['admin'],
      query: adminListUsersQuerySchema,
      response: z.object({ items: z.array(adminUserSchema), total: z.number().int() }),
      handler: ({ query }) => admin.list(query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/admin/users/:id',
      summary: 'One account with what only admins manage (admins)',
      tag: 'admin',
      access: ['admin'],
      params: userIdParamsSchema,
      response: adminUserSchema,
      handler: ({ params }) => admin.get(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/admin/users',
      summary:
        'Create an account; without a password it is invited (an e-mail with a set-password link) (admins)',
      tag: 'admin',
      access: ['admin'],
      body: adminCreateUserBodySchema,
      response: z.object({ user: adminUserSchema, invited: z.boolean() }),
      status: 201,
      handler: ({ actor, req, body }) => admin.create(actor!, auditContextOf(actor, req), body),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/admin/users/:id',
      summary:
        "Change an account's name, role, tier, skills, languages, locale or disabled state (admins); a disabled account's connections end at once",
      tag: 'admin',
      access: ['admin'],
      params: userIdParamsSchema,
      body: adminUpdateUserBodySchema,
      response: adminUserSchema,
      handler: async ({ actor, req, params, body }) =>
        (await admin.edit(actor!, auditContextOf(actor, req), params.id, body)).admin,
    }),
    defineRoute({
      method: 'post',
      path: '/api/admin/users/:id/password-reset',
      summary: 'Send the account a reset-password link by e-mail (admins)',
      tag: 'admin',
      access: ['admin'],
      params: userIdParamsSchema,
      response: z.object({ sent: z.literal(true) }),
      status: 202,
      handler: async ({ actor, req, params }) => {
        await admin.resetPassword(auditContextOf(actor, req), params.id);
        return { sent: true as const };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/admin/demo',
      summary: 'Whether the demo accounts can sign in (admins)',
      tag: 'admin',
      access: ['admin'],
      response: demoStatusSchema,
      handler: () => demo.status(),
    }),
    defineRoute({
      method: 'put',
      path: '/api/admin/demo',
      summary: 'Turn the demo accounts off (disabled, signed out) or on again (admins)',
      tag: 'admin',
      access: ['admin'],
      body: z.object({ enabled: z.boolean() }).strict(),
      response: demoStatusSchema,
      handler: ({ actor, req, body }) => demo.set(actor!, auditContextOf(actor, req), body.enabled),
    }),
    defineRoute({
      method: 'get',
      path: '/api/demo',
      summary: 'Whether the demo accounts are on, so the sign-in page mentions them only then (public)',
      tag: 'auth',
      access: 'public',
      response: z.object({ enabled: z.boolean() }),
      handler: async () => ({ enabled: (await demo.status()).enabled }),
    }),
  ];
}
