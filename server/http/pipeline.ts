import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { AuthSessions } from '../auth/sessions';
import { notFound } from '../errors';
import { mountHealthRoutes } from '../health/routes';
import { errorHandler } from './errorHandler';
import { buildOpenApiDocument } from './openapi';
import { mountRoutes, type RouteDefinition } from './route';
import { mountClient, noStore, securityHeaders } from './webClient';

/**
 * The HTTP pipeline in its order: request log (with its id), security headers, what mounts
 * before the API (the widget's own pages and their CORS), health, the OpenAPI document, every
 * route with its access check, a 404 for the rest of `/api`, the web client, the error mapper.
 * The composition root builds the routes; this only puts them in place.
 */
export function mountHttpPipeline(
  app: express.Express,
  deps: {
    routes: RouteDefinition[];
    version: string;
    trustProxy: boolean;
    publicUrl: string | undefined;
    sessions: Pick<AuthSessions, 'authenticate'>;
    health: Omit<Parameters<typeof mountHealthRoutes>[1], 'logger'>;
    /** Mounted after the security headers and before the API (the widget's pages). */
    beforeApi: (app: express.Express) => void;
    logger: Logger;
  },
): void {
  const { routes, sessions, logger } = deps;
  const openApi = buildOpenApiDocument(routes, { version: deps.version });
  const resolveActor = async (req: express.Request) => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    return (await sessions.authenticate(token)).user;
  };

  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.use(
    pinoHttp({
      logger: logger.child({ component: 'http' }),
      genReqId: (_req, res) => {
        const id = randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      // A media link carries its access token in the query: never into the logs.
      serializers: {
        req: (req: { url?: string; query?: Record<string, unknown> }) => ({
          ...req,
          url: req.url?.replace(/([?&]access=)[^&]*/g, '$1[redacted]'),
          ...(req.query?.access ? { query: { ...req.query, access: '[redacted]' } } : {}),
        }),
      },
    }),
  );
  app.use(securityHeaders(deps.publicUrl));
  deps.beforeApi(app);

  const router = express.Router();
  router.use('/api', noStore);
  mountHealthRoutes(router, { ...deps.health, logger: logger.child({ component: 'health' }) });
  router.get('/api/openapi.json', (_req, res) => void res.json(openApi));
  mountRoutes(router, routes, resolveActor);
  router.all('/api/{*rest}', (req) => {
    throw notFound(`The API route ${req.method} ${req.path}`);
  });
  app.use(router);
  mountClient(app);
  app.use(errorHandler(logger));
}
