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
