import { auditContextOf } from '../audit/record';
import { setRefreshCookie } from '../auth/refreshCookie';
import { defineRoute } from '../http/route';
import { loginResponseSchema, userIdParamsSchema } from '../users/schemas';
import type { Invitations } from './invitations';
import type { PasswordLinks } from './passwords';
import {
  forgotPasswordBodySchema,
  forgotPasswordResponseSchema,
  inspectLinkBodySchema,
  invitationResponseSchema,
  linkOwnerSchema,
  setPasswordBodySchema,
  setPasswordResponseSchema,
  signupBodySchema,
  signupSettingSchema,
} from './schemas';
import type { Signup } from './signup';
import type { SignupSetting } from './signupSetting';

export function accountRoutes(deps: {
  signup: Signup;
  setting: SignupSetting;
  passwords: PasswordLinks;
  invitations: Invitations;
}) {
  const { signup, setting, passwords, invitations } = deps;
  return [
    defineRoute({
      method: 'post',
      path: '/api/auth/signup',
      summary: 'Create a customer account and sign in (only while sign-up is on: 403 otherwise)',
      tag: 'auth',
      access: 'public',
      status: 201,
      body: signupBodySchema,
      response: loginResponseSchema,
      handler: async ({ body, req, res }) => {
        const {
          refreshToken,
          refreshExpiresAt,
          sessionId: _,
          ...signedIn
        } = await signup.signup(body, req.ip ?? 'unknown');
        if (refreshToken) setRefreshCookie(req, res, refreshToken, refreshExpiresAt);
        return signedIn;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/auth/signup',
      summary: 'Whether customers may create their own account (the sign-in page offers it only then)',
      tag: 'auth',
      access: 'public',
      response: signupSettingSchema,
      handler: async () => ({ enabled: await setting.enabled() }),
    }),
    defineRoute({
      method: 'put',
      path: '/api/settings/signup',
      summary: 'Turn customer sign-up on or off (admins)',
      tag: 'settings',
      access: ['admin'],
      body: signupSettingSchema,
      response: signupSettingSchema,
      handler: async ({ body, actor, req }) => ({
        enabled: await setting.set(body.enabled, auditContextOf(actor, req)),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/auth/password/forgot',
      summary:
        'Mail a password-reset link to this address if it has an account; the same 202 answer either way (rate limited per address and per e-mail)',
      tag: 'auth',
      access: 'public',
      status: 202,
      body: forgotPasswordBodySchema,
      response: forgotPasswordResponseSchema,
      handler: async ({ body, req }) => {
        await passwords.requestReset(body.email, req.ip ?? 'unknown');
        return { accepted: true as const };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/auth/links/inspect',
      summary:
        'Who a mailed link (password reset, invitation) is for, without using it; 404 unknown, 410 link_used or link_expired',
      tag: 'auth',
      access: 'public',
      body: inspectLinkBodySchema,
      response: linkOwnerSchema,
      handler: async ({ body }) => passwords.inspect(body.purpose, body.token),
    }),
    defineRoute({
      method: 'post',
      path: '/api/auth/password/reset',
      summary:
        'Set a new password with a reset link (once); ends every session of the account. 404 unknown link, 410 link_used or link_expired, 400 a refused password (the link stays usable)',
      tag: 'auth',
      access: 'public',
      body: setPasswordBodySchema,
      response: setPasswordResponseSchema,
      handler: async ({ body }) => ({
        email: (await passwords.setPassword('password_reset', body.token, body.password)).email,
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/auth/invitation/accept',
      summary:
        'Choose the password of an invited account with its invitation link (once). 404 unknown link, 410 link_used or link_expired',
      tag: 'auth',
      access: 'public',
      body: setPasswordBodySchema,
      response: setPasswordResponseSchema,
      handler: async ({ body }) => ({
        email: (await passwords.setPassword('invitation', body.token, body.password)).email,
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/users/:id/invitation',
      summary:
        'Mail the account a (new) invitation with a set-password link; earlier links stop working (admins)',
      tag: 'users',
      access: ['admin'],
      status: 202,
      params: userIdParamsSchema,
      response: invitationResponseSchema,
      handler: async ({ params, actor }) => {
        const { expiresAt } = await invitations.sendInvitation(params.id, actor!.id);
        return { expiresAt: expiresAt.toISOString() };
      },
    }),
  ];
}
