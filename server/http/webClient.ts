// What the HTTP server adds around the API: security headers (CSP), no caching of API answers,
// and the built React app with index.html for client-side routes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import helmet from 'helmet';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLIENT_DIST = path.join(projectRoot, 'dist', 'client');

/** helmet's headers with the app's Content Security Policy. */
export function securityHeaders(publicUrl: string | undefined): express.RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        // 'self' covers the page's own origin over ws:/wss: too (CSP 3), which is all the
        // client connects to; PUBLIC_URL's origin when the app is reached under that name.
        'connect-src': ["'self'", ...connectSources(publicUrl)],
        // The UI library injects its CSS variables as <style> tags.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'media-src': ["'self'", 'blob:'],
      },
    },
  });
}

/**
 * API answers are one person's data: no cache keeps them (a shared computer's browser, a proxy).
 * File downloads under /api set their own `private` policy; dist/ keeps its caching.
 */
export const noStore: express.RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** PUBLIC_URL's origin and its WebSocket form, for the CSP's connect-src (none when unset). */
function connectSources(publicUrl: string | undefined): string[] {
  if (!publicUrl) return [];
  const { origin, protocol, host } = new URL(publicUrl);
  return [origin, `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}`];
}

/** Serves the built React app, with index.html for every non-API path (client-side routes). */
export function mountClient(app: express.Express) {
  const index = path.join(CLIENT_DIST, 'index.html');
  app.use(express.static(CLIENT_DIST, { index: false, maxAge: '1h' }));
  app.get('/{*path}', (_req, res) => {
    if (fs.existsSync(index)) {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    } else {
      res
        .status(503)
        .type('text/plain')
        .send('The Livedesk web client has not been built yet. Run `npm run build` (npm start does it).');
    }
  });
}
