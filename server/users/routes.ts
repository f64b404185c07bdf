import { z } from 'zod';
import { defineRoute } from '../http/route';
import {
  createUserBodySchema,
  listUsersQuerySchema,
  loginBodySchema,
  loginResponseSchema,
  publicUserSchema,
  userIdParamsSchema,
} from './schemas';
import { STAFF_ROLES, type UsersService } from './service';

export function userRoutes(users: UsersService) {
  return [
    defineRoute({
      method: 'post',
      path: '/api/auth/login',
      summary: 'Sign in with e-mail and password; returns a bearer token',
      tag: 'auth',
      access: 'public',
      body: loginBodySchema,
      response: loginResponseSchema,
      handler: ({ body, req }) => users.login(body.email, body.password, req.ip ?? 'unknown'),
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
  ];
}
