// The widget's HTTP surface outside the JSON API: the loader script a customer's site includes,
// the iframe page with a frame-ancestors list of exactly the allowed origins, and the CORS answer
// of the one API the loader calls from the customer's site.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type express from 'express';
import type { Logger } from '../logger';
import type { WidgetSettingsStore } from './settings';

const LOADER_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'loader.js');

/** The CSP with its frame-ancestors directive replaced: exactly these origins, or none at all. */
export function withFrameAncestors(csp: string, origins: readonly string[]): string {
  const directive = `frame-ancestors ${origins.length > 0 ? origins.join(' ') : "'none'"}`;
  const kept = csp
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d !== '' && !d.startsWith('frame-ancestors'));
  return [...kept, directive].join(';');
}

export function mountWidget(
  app: express.Express,
  deps: { settings: WidgetSettingsStore; clientDist: string; logger: Logger },
): void {
  const loader = fs.readFileSync(LOADER_PATH, 'utf8');
  const page = path.join(deps.clientDist, 'widget.html');

  app.get('/widget.js', (_req, res) => {
    // Other sites load this script: helmet's same-origin resource policy would block it.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('text/javascript').send(loader);
  });

  // Only the allowed origins get CORS headers; the route itself answers others 403.
  app.use('/api/widget/config', (req, res, next) => {
    const origin = req.headers.origin;
    res.setHeader('Vary', 'Origin');
    if (origin === undefined) return next();
    deps.settings
      .allows(origin)
      .then((allowed) => {
        if (allowed) res.setHeader('Access-Control-Allow-Origin', origin);
        if (req.method !== 'OPTIONS') return next();
        if (allowed) res.setHeader('Access-Control-Allow-Methods', 'GET');
        res.status(allowed ? 204 : 403).end();
      })
      .catch(next);
  });

  app.get(['/widget', '/widget/'], (_req, res, next) => {
    deps.settings
      .get()
      .then(({ allowedOrigins }) => {
        const csp = String(res.getHeader('Content-Security-Policy') ?? "default-src 'self'");
        res.setHeader('Content-Security-Policy', withFrameAncestors(csp, allowedOrigins));
        // frame-ancestors decides; X-Frame-Options (SAMEORIGIN) would refuse every allowed site.
        res.removeHeader('X-Frame-Options');
        res.setHeader('Cache-Control', 'no-cache');
        if (fs.existsSync(page)) return res.sendFile(page);
        res
          .status(503)
          .type('text/plain')
          .send('The Livedesk web client has not been built yet. Run `npm run build`.');
      })
      .catch((err) => {
        deps.logger.error({ err }, 'widget page: reading the settings failed');
        next(err);
      });
  });
}
