import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors';
import { errorHandler } from '../../server/http/errorHandler';
import { createLogger } from '../../server/logger';
import { startTestApp, type TestApp } from '../helpers/testApp';

describe('HTTP surface', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('answers /healthz and /readyz with the database and media workers checked', async () => {
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { database: 'ok', media: { status: 'ok', workersAlive: 1, workersConfigured: 1 } },
    });
  });

  it('serves an OpenAPI document generated from the validation schemas', async () => {
    const res = await fetch(`${t.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    const login = doc.paths['/api/auth/login'].post;
    expect(login.security).toEqual([]);
    expect(login.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/LoginRequest',
    });
    const loginSchema = doc.components.schemas.LoginRequest;
    expect(loginSchema.required).toEqual(['email', 'password']);
    expect(loginSchema.properties.email.format).toBe('email');
    const getUser = doc.paths['/api/users/{id}'].get;
    expect(getUser.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(doc.paths['/api/users'].post['x-livedesk-access']).toEqual(['admin']);
    expect(doc.paths['/api/users'].get.parameters.map((p: any) => p.name).sort()).toEqual([
      'limit',
      'offset',
      'role',
    ]);
  });

  it('maps unknown API routes and malformed JSON to coded errors with a request id header', async () => {
    const missing = await fetch(`${t.url}/api/does-not-exist`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.code).toBe('not_found');
    expect(missing.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const malformed = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": ',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      error: { code: 'bad_request', message: 'The request body is not valid JSON.' },
    });
  });

  it('validates query strings', async () => {
    const token = await (
      await fetch(`${t.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'supervisor@demo.livedesk', password: 'demo-password-for-tests' }),
      })
    ).json();
    const res = await fetch(`${t.url}/api/users?role=wizard&limit=9999`, {
      headers: { authorization: `Bearer ${(token as any).token}` },
    });
    expect(res.status).toBe(400);
    const paths = ((await res.json()) as any).error.details.map((d: any) => d.path).sort();
    expect(paths).toEqual(['limit', 'role']);
  });

  it('sends security headers, including a content security policy', async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('reports not ready once the media workers are gone', async () => {
    t.app.media.close();
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as any).status).toBe('not_ready');
  });
});

describe('the error mapper', () => {
  let server: ReturnType<express.Express['listen']>;
  let base: string;
  const logged: unknown[] = [];
  beforeAll(async () => {
    const logger = createLogger({ logLevel: 'error' });
    logger.error = ((obj: unknown) => void logged.push(obj)) as typeof logger.error;
    const app = express();
    app.use((req, _res, next) => {
      (req as any).id = 'req-123';
      next();
    });
    app.get('/boom', () => {
      throw new Error('database password is hunter2 at /srv/secret.ts:12');
    });
    app.get('/known', () => {
      throw new AppError('conflict', 'Already taken.');
    });
    app.use(errorHandler(logger));
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('turns an unknown error into a 500 with the request id and no internals', async () => {
    const res = await fetch(`${base}/boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('secret.ts');
    expect(JSON.parse(text).error).toMatchObject({ code: 'internal', requestId: 'req-123' });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ requestId: 'req-123' });
  });

  it('keeps a known error’s status and code', async () => {
    const res = await fetch(`${base}/known`);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: 'conflict', message: 'Already taken.' } });
  });
});
