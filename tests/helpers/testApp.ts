import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type LivedeskApp } from '../../server/app';
import type { Clock } from '../../server/clock';
import { type Config, loadConfig } from '../../server/config';
import { createLogger, type Logger } from '../../server/logger';
import { type Backend, isolatedDatabase } from './database';

export const DEMO_PASSWORD = 'demo-password-for-tests';
/** Tests sign their own expired or odd tokens with this, exactly as the server would. */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256';

export interface TestApp {
  app: LivedeskApp;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the real app (HTTP + socket.io + mediasoup + database) on a random loopback port with
 * its own database and the demo accounts seeded with a known password. `env` overrides any
 * environment variable, exactly as an operator would set it.
 */
export async function startTestApp(
  options: {
    backend?: Backend;
    env?: Record<string, string>;
    seedDemo?: boolean;
    /** A logger of the test's own, to assert on what the app logged. */
    logger?: Logger;
    /** The clock calls ring and wait on (`ManualClock`: the test moves time). */
    clock?: Clock;
  } = {},
): Promise<TestApp> {
  const { database, drop } = await isolatedDatabase(options.backend ?? 'pglite');
  // Attachments and other files go to a directory of this app's own.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-test-'));
  const config: Config = {
    ...loadConfig({
      DATA_DIR: dataDir,
      // Tests run SLA passes by hand (app.sla.runOnce) so timing never decides a result.
      SLA_CHECK_INTERVAL_SECONDS: '0',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      MEDIASOUP_WORKERS: '1',
      SEED_DEMO: options.seedDemo === false ? 'false' : 'true',
      DEMO_PASSWORD,
      JWT_SECRET: TEST_JWT_SECRET,
      ...options.env,
    }),
    database,
  };
  const app = await createApp(config, {
    logger: options.logger ?? createLogger(config),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const { url } = await app.listen();
  return {
    app,
    url,
    close: async () => {
      await app.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs a demo user in over the real REST API and returns the token. */
export async function login(url: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login ${email} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export const DEMO = {
  customer: 'customer@demo.livedesk',
  agentL1: 'agent.l1@demo.livedesk',
  agentL2: 'agent.l2@demo.livedesk',
  supervisor: 'supervisor@demo.livedesk',
  qa: 'qa@demo.livedesk',
  admin: 'admin@demo.livedesk',
} as const;

/**
 * A REST caller for integration tests that act as several signed-in people: `api(who, path)` sends
 * `tokens[who]` as the bearer token and returns the status with the parsed JSON body. `url` is read
 * at each call, since the app starts in a `beforeAll`.
 */
export function restAs(url: () => string, tokens: Record<string, string>) {
  return async <T = any>(who: string, path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${url()}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[who]}` },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
}
