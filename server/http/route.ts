import express, { type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import type { PublicUser, Role } from '../../signaling/shared/protocol';
import { badRequest, forbidden, unauthenticated } from '../errors';
import { issuesToFields } from '../validation';

/**
 * Who may call a route. There is no default: every route states its access, and the mounting
 * code enforces it before the handler runs, so a forgotten check cannot happen.
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

type AnyObject = z.ZodType<Record<string, unknown>>;

export interface RouteDefinition<
  P extends AnyObject = AnyObject,
  Q extends AnyObject = AnyObject,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Express-style path, e.g. `/api/users/:id`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** HTTP status of a success; 200 unless set. */
  status?: number;
  /** The body is a raw file (any content type) of at most this many bytes, handed over as `raw`. */
  upload?: { maxBytes: number };
  /** The handler writes the response itself (file downloads); its return value is ignored. */
  streams?: true;
  handler: (ctx: {
    raw: Buffer | undefined;
    actor: PublicUser | null;
    params: z.output<P>;
    query: z.output<Q>;
    body: z.output<B>;
    req: Request;
    res: Response;
  }) => Promise<z.input<R>>;
}

/** Identity helper that keeps the schema types flowing into the handler. */
export function defineRoute<
  P extends AnyObject,
  Q extends AnyObject,
  B extends z.ZodType,
  R extends z.ZodType,
>(def: RouteDefinition<P, Q, B, R>): RouteDefinition {
  return def as unknown as RouteDefinition;
}

export type ActorResolver = (req: Request) => Promise<PublicUser | null>;

function checkAccess(access: Access, actor: PublicUser | null): void {
  if (access === 'public') return;
  if (!actor) throw unauthenticated();
  if (access === 'signed-in') return;
  if (!access.includes(actor.role)) throw forbidden();
}

function parsePart<T extends z.ZodType>(schema: T | undefined, value: unknown, part: string): z.output<T> {
  if (!schema) return {} as z.output<T>;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw badRequest(`The request ${part} is not valid.`, issuesToFields(parsed.error));
  }
  return parsed.data;
}

/**
 * Mounts routes on a router: authenticate, check access, validate params, query and body, run
 * the handler, and send its result. Errors go to the one error mapper (Express 5 forwards
 * rejected promises to it).
 */
export function mountRoutes(router: Router, routes: RouteDefinition[], resolveActor: ActorResolver) {
  for (const route of routes) {
    // Each route parses only the body kind it declares: JSON (1 MB) or a raw file upload.
    const middleware = route.upload
      ? [express.raw({ type: () => true, limit: route.upload.maxBytes })]
      : [express.json({ limit: '1mb' })];
    router[route.method](route.path, ...middleware, async (req: Request, res: Response) => {
      // Public routes still learn who is calling when a token is sent, but never require one.
      const actor = route.access === 'public' ? null : await resolveActor(req);
      checkAccess(route.access, actor);
      const params = parsePart(route.params, req.params, 'path');
      const query = parsePart(route.query, req.query, 'query');
      const raw = route.upload ? (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)) : undefined;
      const body = parsePart(route.body, route.upload ? {} : (req.body ?? {}), 'body');
      const result = await route.handler({ actor, params, query, body, raw, req, res });
      if (!route.streams) res.status(route.status ?? 200).json(result);
    });
  }
}
