import { z } from 'zod';
import { auditContextOf } from '../audit/record';
import { setRefreshCookie } from '../auth/refreshCookie';
import { defineRoute } from '../http/route';
import type { UserAdmin } from './admin';
import {
  chooseLocaleBodySchema,
  createUserBodySchema,
  listUsersQuerySchema,
  loginBodySchema,
  loginResponseSchema,
  publicUserSchema,
  updateUserBodySchema,
  userIdParamsSchema,
} from './schemas';
import { STAFF_ROLES, type UsersService } from './service';

export function userRoutes(users: UsersService, admin: UserAdmin) {
  return [
    defineRoute({
      method: 'post',
      path: '/api/auth/login',
      summary:
        'Sign in with e-mail and password; returns a short-lived bearer token and sets the session cookie that renews it',
      tag: 'auth',
      access: 'public',
      body: loginBodySchema,
      response: loginResponseSchema,
      handler: async ({ body, req, res }) => {
        const {
          refreshToken,
          refreshExpiresAt,
          sessionId: _,
          ...signedIn
        } = await users.login(body.email, body.password, req.ip ?? 'unknown');
        // The refresh token never appears in a body a script can read: it is an httpOnly cookie.
        if (refreshToken) setRefreshCookie(req, res, refreshToken, refreshExpiresAt);
        return signedIn;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/auth/me',
      summary: 'The signed-in user',
      tag: 'auth',
      access: 'signed-in',
      response: publicUserSchema,
      handler: async ({ actor }) => actor!,
    }),
    defineRoute({
      method: 'put',
      path: '/api/me/locale',
      summary:
        "Choose my language (the client's language switcher): the UI on every device, my mails and the macros I am sent follow it",
      tag: 'auth',
      access: 'signed-in',
      body: chooseLocaleBodySchema,
      response: publicUserSchema,
      handler: ({ actor, body }) => users.chooseLocale(actor!.id, body.locale),
    }),
    defineRoute({
      method: 'get',
      path: '/api/users',
      summary: 'List accounts (staff only)',
      tag: 'users',
      access: STAFF_ROLES,
      query: listUsersQuerySchema,
      response: z.object({ items: z.array(publicUserSchema) }),
      handler: async ({ query }) => ({ items: await users.list(query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/users/:id',
      summary: 'One account: a customer may read only their own',
      tag: 'users',
      access: 'signed-in',
      params: userIdParamsSchema,
      response: publicUserSchema,
      handler: ({ actor, params }) => users.get(actor!, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/users',
      summary: 'Create an account (admin only)',
      tag: 'users',
      access: ['admin'],
      body: createUserBodySchema,
      response: publicUserSchema,
      status: 201,
      handler: ({ body }) => users.create(body),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/users/:id',
      summary:
        "Change an account's role, tier or disabled state (admin only); its open connections end at once",
      tag: 'users',
      access: ['admin'],
      params: userIdParamsSchema,
      body: updateUserBodySchema,
      response: publicUserSchema,
      handler: ({ actor, req, params, body }) =>
        admin.update(actor!, params.id, body, auditContextOf(actor, req)),
    }),
  ];
}
