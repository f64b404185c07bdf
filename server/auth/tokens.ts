import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Role } from '../../signaling/shared/protocol';
import { type Clock, systemClock } from '../clock';
import { unauthenticated } from '../errors';

export interface TokenClaims {
  /** The user's id. */
  sub: string;
  role: Role;
  /**
   * The signed-in session (`auth_sessions.id`) the token was renewed from. Absent only on tokens
   * the server mints for itself (benchmarks), which no session can revoke but which still expire.
   */
  sid?: string;
}

export interface VerifiedToken extends TokenClaims {
  /** When the token stops being accepted, in epoch milliseconds. */
  expiresAtMs: number;
}

export interface IssuedToken {
  token: string;
  expiresAt: string;
}

/** What a sign-in or a renewal hands out: an access token, and the session's refresh token. */
export interface IssuedSession extends IssuedToken {
  sessionId: string;
  /**
   * The new refresh token, or undefined when the one presented stays current (a second renewal
   * racing the first one, whose new token the browser already holds).
   */
  refreshToken: string | undefined;
  /** When the refresh token stops working if unused (idle), capped by the absolute lifetime. */
  refreshExpiresAt: string;
}

const ALGORITHM = 'HS256';

/**
 * Signs and checks the one bearer token that authenticates both REST calls
 * (`Authorization: Bearer …`) and the socket.io handshake (`auth.token`).
 */
export class TokenService {
  /**
   * The keys as KeyObjects, made once: given a string, jsonwebtoken first tries to read it as a
   * public key, which throws, on every sign and verify (every REST call and socket handshake).
   */
  private readonly secret: KeyObject;
  /** The key of media links, derived from the session key so neither token works as the other. */
  private readonly mediaSecret: KeyObject;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    /** Tokens are issued and checked on this clock, so tests can move past an expiry. */
    private readonly clock: Clock = systemClock,
  ) {
    this.secret = createSecretKey(Buffer.from(secret));
    this.mediaSecret = createSecretKey(
      Buffer.from(createHmac('sha256', secret).update('livedesk:media-url').digest('base64')),
    );
  }

  issue(claims: TokenClaims): IssuedToken {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const exp = iat + this.ttlSeconds;
    const token = jwt.sign(
      { role: claims.role, ...(claims.sid ? { sid: claims.sid } : {}), iat, exp },
      this.secret,
      { algorithm: ALGORITHM, subject: claims.sub },
    );
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /**
   * A token for one media file, to put in its URL: a `<video>` element cannot send a header, and
   * playing from a URL lets the browser stream with range requests instead of downloading the
   * whole file first. It is signed with a key derived for this purpose, so it never works as a
   * session token (nor a session token as a media one), and names the one resource it opens.
   */
  issueMediaToken(claims: { sub: string; resource: string }, ttlSeconds: number): IssuedToken {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const exp = iat + ttlSeconds;
    const token = jwt.sign({ res: claims.resource, iat, exp }, this.mediaSecret, {
      algorithm: ALGORITHM,
      subject: claims.sub,
    });
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The user a media token was issued to, when it is valid and for `resource`; else unauthenticated. */
  verifyMediaToken(token: string, resource: string): string {
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.mediaSecret, {
        algorithms: [ALGORITHM],
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
      });
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) {
        throw unauthenticated('This link has expired. Open the recording again.');
      }
      throw unauthenticated('This link is not valid.');
    }
    if (typeof payload === 'string' || typeof payload.sub !== 'string' || payload.res !== resource) {
      throw unauthenticated('This link is not valid.');
    }
    return payload.sub;
  }

  /** Throws `unauthenticated` for a missing, malformed, forged or expired token. */
  verify(token: string | undefined): VerifiedToken {
    if (!token) throw unauthenticated('Sign in to continue: no token was sent.');
    let payload: string | jwt.JwtPayload;
    try {
      // Pinning the algorithm refuses `alg: none` and key-confusion tokens.
      payload = jwt.verify(token, this.secret, {
        algorithms: [ALGORITHM],
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
      });
    } catch (err) {
      if (err instanceof jwt.TokenExpiredError) {
        throw unauthenticated('Your session has expired. Sign in again.');
      }
      throw unauthenticated('Your session is not valid. Sign in again.');
    }
    if (
      typeof payload === 'string' ||
      typeof payload.sub !== 'string' ||
      typeof payload.exp !== 'number' ||
      (payload.sid !== undefined && typeof payload.sid !== 'string')
    ) {
      throw unauthenticated('Your session is not valid. Sign in again.');
    }
    return {
      sub: payload.sub,
      role: payload.role as Role,
      ...(payload.sid ? { sid: payload.sid as string } : {}),
      expiresAtMs: payload.exp * 1000,
    };
  }
}
