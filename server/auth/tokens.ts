import jwt from 'jsonwebtoken';
import type { Role } from '../../signaling/protocol';
import { unauthenticated } from '../errors';

export interface TokenClaims {
  /** The user's id. */
  sub: string;
  role: Role;
}

export interface IssuedToken {
  token: string;
  expiresAt: string;
}

const ALGORITHM = 'HS256';

/**
 * Signs and checks the one bearer token that authenticates both REST calls
 * (`Authorization: Bearer …`) and the socket.io handshake (`auth.token`).
 */
export class TokenService {
  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
  ) {}

  issue(claims: TokenClaims): IssuedToken {
    const token = jwt.sign({ role: claims.role }, this.secret, {
      algorithm: ALGORITHM,
      subject: claims.sub,
      expiresIn: this.ttlSeconds,
    });
    return { token, expiresAt: new Date(Date.now() + this.ttlSeconds * 1000).toISOString() };
  }

  /** Throws `unauthenticated` for a missing, malformed, forged or expired token. */
  verify(token: string | undefined): TokenClaims {
    if (!token) throw unauthenticated('Sign in to continue: no token was sent.');
    let payload: string | jwt.JwtPayload;
    try {
      // Pinning the algorithm refuses `alg: none` and key-confusion tokens.
      payload = jwt.verify(token, this.secret, { algorithms: [ALGORITHM] });
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) {
        throw unauthenticated('Your session has expired. Sign in again.');
      }
      throw unauthenticated('Your session is not valid. Sign in again.');
    }
    if (typeof payload === 'string' || typeof payload.sub !== 'string') {
      throw unauthenticated('Your session is not valid. Sign in again.');
    }
    return { sub: payload.sub, role: payload.role as Role };
  }
}
