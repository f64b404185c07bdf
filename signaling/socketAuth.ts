import type { PublicUser } from './shared/protocol';
import type { LivedeskServer } from './types';

export interface SocketAuthDeps {
  /** Throws an AppError (`unauthenticated`) for a missing, forged or expired token. */
  verifyToken(token: string | undefined): { sub: string; exp?: number };
  resolveActor(userId: string): Promise<PublicUser>;
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
      const claims = deps.verifyToken(typeof raw === 'string' ? raw : undefined);
      socket.data.user = await deps.resolveActor(claims.sub);
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
