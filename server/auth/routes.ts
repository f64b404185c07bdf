import type { Request } from 'express';
import { z } from 'zod';
import { unauthenticated } from '../errors';
import { defineRoute } from '../http/route';
import { loginResponseSchema } from '../users/schemas';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './refreshCookie';
import type { AuthSessions, SessionEnds } from './sessions';
import type { TokenService } from './tokens';

function bearer(req: Request): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
}

/** Renewal and sign-out: the two routes the refresh cookie is sent to (its path). */
export function sessionRoutes(deps: { sessions: AuthSessions; tokens: TokenService; ends: SessionEnds }) {
  const { sessions, tokens, ends } = deps;
  return [
    defineRoute({
      method: 'post',
      path: '/api/auth/session/refresh',
      summary: 'Renew the access token from the session cookie (rotated); re-checks the account and its role',
      tag: 'auth',
      // The credential is the httpOnly refresh cookie, not a bearer token (which may have expired).
      access: 'public',
      response: loginResponseSchema,
      handler: async ({ req, res }) => {
        const token = readRefreshCookie(req);
        if (!token) {
          clearRefreshCookie(req, res);
          throw unauthenticated('No session to renew: sign in again.');
        }
        try {
          const { refreshToken, refreshExpiresAt, sessionId: _, ...renewed } = await sessions.renew(token);
          if (refreshToken) setRefreshCookie(req, res, refreshToken, refreshExpiresAt);
          return renewed;
        } catch (err) {
          clearRefreshCookie(req, res);
          throw err;
        }
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/auth/session',
      summary: 'Sign out: revoke this session (its refresh token and its open connections)',
      tag: 'auth',
      access: 'public',
      response: z.object({ signedOut: z.boolean() }),
      handler: async ({ req, res }) => {
        clearRefreshCookie(req, res);
        const cookie = readRefreshCookie(req);
        let sessionId = cookie ? await sessions.sessionOf(cookie) : undefined;
        if (!sessionId) {
          // An API client without the cookie signs out the session its (still valid) token names.
          try {
            sessionId = tokens.verify(bearer(req)).sid;
          } catch {
            sessionId = undefined;
          }
        }
        if (!sessionId) return { signedOut: false };
        const wasLive = await sessions.revoke(sessionId);
        ends.endSession(sessionId, 'revoked');
        return { signedOut: wasLive };
      },
    }),
  ];
}
