import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Role } from '../../signaling/shared/protocol';
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
  ) {
    this.secret = createSecretKey(Buffer.from(secret));
    this.mediaSecret = createSecretKey(
      Buffer.from(createHmac('sha256', secret).update('livedesk:media-url').digest('base64')),
    );
  }

  issue(claims: TokenClaims): IssuedToken {
    const token = jwt.sign({ role: claims.role }, this.secret, {
      algorithm: ALGORITHM,
      subject: claims.sub,
      expiresIn: this.ttlSeconds,
    });
    return { token, expiresAt: new Date(Date.now() + this.ttlSeconds * 1000).toISOString() };
  }

  /**
   * A token for one media file, to put in its URL: a `<video>` element cannot send a header, and
   * playing from a URL lets the browser stream with range requests instead of downloading the
   * whole file first. It is signed with a key derived for this purpose, so it never works as a
   * session token (nor a session token as a media one), and names the one resource it opens.
   */
  issueMediaToken(claims: { sub: string; resource: string }, ttlSeconds: number): IssuedToken {
    const token = jwt.sign({ res: claims.resource }, this.mediaSecret, {
      algorithm: ALGORITHM,
      subject: claims.sub,
      expiresIn: ttlSeconds,
    });
    return { token, expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString() };
  }

  /** The user a media token was issued to, when it is valid and for `resource`; else unauthenticated. */
  verifyMediaToken(token: string, resource: string): string {
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.mediaSecret, { algorithms: [ALGORITHM] });
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
