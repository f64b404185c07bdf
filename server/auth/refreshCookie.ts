import type { Request, Response } from 'express';

export const REFRESH_COOKIE = 'livedesk_refresh';
/**
 * The cookie goes only to the renewal and sign-out routes: no other request carries it, so it
 * never authenticates anything else (and cannot make any other route open to cross-site requests).
 */
export const REFRESH_COOKIE_PATH = '/api/auth/session';

/**
 * The refresh token as an httpOnly cookie: page scripts (and so an XSS) cannot read it, and
 * SameSite=Strict keeps other sites from making the browser send it. Secure whenever the request
 * came over HTTPS (directly or, with TRUST_PROXY, through the proxy).
 */
export function setRefreshCookie(req: Request, res: Response, token: string, expiresAt: string): void {
  res.cookie(REFRESH_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: REFRESH_COOKIE_PATH,
    expires: new Date(expiresAt),
  });
}

export function clearRefreshCookie(req: Request, res: Response): void {
  res.clearCookie(REFRESH_COOKIE, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: REFRESH_COOKIE_PATH,
  });
}

/** The refresh token the request carries, if any. */
export function readRefreshCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === REFRESH_COOKIE) {
      const value = part.slice(eq + 1).trim();
      // Our tokens are base64url: anything else was not set by us.
      return /^[A-Za-z0-9_-]{20,200}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}
