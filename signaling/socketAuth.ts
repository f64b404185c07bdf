import type { Authenticated } from '../server/auth/sessions';
import type { LivedeskServer } from './types';

export interface SocketAuthDeps {
  /**
   * The account a token speaks for; throws an AppError (`unauthenticated`) for a missing, forged
   * or expired token, a revoked session or a disabled account.
   */
  authenticate(token: string | undefined): Promise<Authenticated>;
}

/**
 * Authenticates every socket at the handshake from `auth.token` (never the query string, which
 * ends up in proxy logs). The identity on the socket comes from the server's own lookup of the
 * token's subject, never from anything else the client sends. A refused handshake reaches the
 * client as a `connect_error` whose `data` is `{ code, message }`.
 */
export function installSocketAuth(io: LivedeskServer, deps: SocketAuthDeps) {
  io.use(async (socket, next) => {
    try {
      const raw = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      const { user, sessionId, expiresAtMs } = await deps.authenticate(
        typeof raw === 'string' ? raw : undefined,
      );
      socket.data.user = user;
      socket.data.session = { id: sessionId, expiresAtMs };
      next();
    } catch (err) {
      const e = err as { code?: string; message?: string };
      const error = new Error(e.code === 'unauthenticated' ? e.message : 'Sign-in failed.') as Error & {
        data?: unknown;
      };
      error.data = {
        code: e.code === 'unauthenticated' ? 'unauthenticated' : 'internal',
        message: error.message,
      };
      next(error);
    }
  });
}

export interface OriginPolicy {
  /** Origins besides the app's own whose pages may connect (`Config.allowedOrigins`). */
  allowedOrigins: readonly string[];
  /** Behind a proxy the app's own host is the one `X-Forwarded-Host` names. */
  trustProxy: boolean;
}

/**
 * Whether a handshake's `Origin` may connect: its host is the host the request was addressed to
 * (the page came from this app), or it is one of the allowed origins. Without `Origin` the client
 * is not a browser page (a test, a bench, a server-side integration; browsers always send it on
 * WebSocket and cross-origin requests), and a bearer token is what it needs anyway.
 */
export function originAllowed(
  headers: Record<string, string | string[] | undefined>,
  policy: OriginPolicy,
): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (typeof origin !== 'string' || origin === 'null') return false;
  if (policy.allowedOrigins.includes(origin)) return true;
  const forwarded = policy.trustProxy ? headers['x-forwarded-host'] : undefined;
  const host = (typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined) ?? headers.host;
  try {
    return typeof host === 'string' && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Refuses a socket opened by a page of another site before it authenticates: a script there
 * holding a stolen or pasted token cannot drive a user's session from its own page. The refusal
 * reaches the client as `connect_error` with `data: { code: 'forbidden', message }`.
 */
export function installOriginCheck(io: LivedeskServer, policy: OriginPolicy) {
  io.use((socket, next) => {
    if (originAllowed(socket.handshake.headers, policy)) return next();
    const error = new Error('Pages of this origin may not connect to this Livedesk.') as Error & {
      data?: unknown;
    };
    error.data = { code: 'forbidden', message: error.message };
    next(error);
  });
}
