import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type LivedeskApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { userRoom } from '../../signaling/server';
import { isolatedDatabase } from '../helpers/database';
import { DEMO, DEMO_PASSWORD, login, TEST_JWT_SECRET } from '../helpers/testApp';

// Two Livedesk nodes sharing one PostgreSQL database and one Redis, as behind a load balancer.
// Only collected when both DATABASE_URL and REDIS_URL are set (see vitest.config.ts).
describe('two nodes with PostgreSQL and Redis', () => {
  const prefix = `livedesk-test-${randomBytes(4).toString('hex')}`;
  let nodes: Array<{ app: LivedeskApp; url: string }> = [];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const isolated = await isolatedDatabase('postgres');
    drop = isolated.drop;
    const config = {
      ...loadConfig({
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'silent',
        MEDIASOUP_WORKERS: '1',
        RTC_LISTEN_IP: '127.0.0.1',
        REDIS_URL: process.env.REDIS_URL!,
        REDIS_KEY_PREFIX: prefix,
        JWT_SECRET: TEST_JWT_SECRET,
        SEED_DEMO: 'true',
        DEMO_PASSWORD,
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '2',
      }),
      database: isolated.database,
    };
    // Started one after the other: the second finds the schema migrated and the demo seeded.
    for (let i = 0; i < 2; i++) {
      const app = await createApp(config, { logger: createLogger(config) });
      nodes.push({ app, url: (await app.listen()).url });
    }
  });

  afterAll(async () => {
    for (const node of nodes) await node.app.close();
    nodes = [];
    const redis = new Redis(process.env.REDIS_URL!);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await drop?.();
  });

  it('reports Redis in readiness on every node', async () => {
    for (const node of nodes) {
      const body = (await (await fetch(`${node.url}/readyz`)).json()) as any;
      expect(body.checks.redis).toBe('ok');
    }
  });

  it('accepts a token issued by one node on the other', async () => {
    const token = await login(nodes[0]!.url, DEMO.customer);
    const me = await fetch(`${nodes[1]!.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
  });

  it('delivers an event emitted on one node to the user’s socket on the other', async () => {
    const token = await login(nodes[1]!.url, DEMO.agentL1);
    const socket = connect(nodes[1]!.url, { auth: { token }, transports: ['websocket'], forceNew: true });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const { sub } = nodes[1]!.app.tokens.verify(token);
      const received = new Promise((resolve) => socket.once('session:ended', resolve));
      // Broadcasts to a room go through the Redis Streams adapter; give it a moment to subscribe.
      const deadline = Date.now() + 5000;
      let payload: unknown;
      while (payload === undefined && Date.now() < deadline) {
        nodes[0]!.app.io.to(userRoom(sub)).emit('session:ended', { reason: 'revoked' });
        payload = await Promise.race([received, new Promise((r) => setTimeout(() => r(undefined), 250))]);
      }
      expect(payload).toEqual({ reason: 'revoked' });
    } finally {
      socket.close();
    }
  });

  it('ends a disabled account’s socket on the other node at once, and its session everywhere', async () => {
    const res = await fetch(`${nodes[1]!.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO.agentL2, password: DEMO_PASSWORD }),
    });
    const { token, user } = (await res.json()) as { token: string; user: { id: string } };
    const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
    const socket = connect(nodes[1]!.url, { auth: { token }, transports: ['websocket'], forceNew: true });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const ended = new Promise((resolve) => socket.once('session:ended', resolve));
      const disconnected = new Promise((resolve) => socket.once('disconnect', resolve));
      const admin = await login(nodes[0]!.url, DEMO.admin);
      const patch = await fetch(`${nodes[0]!.url}/api/users/${user.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ disabled: true }),
      });
      expect(patch.status).toBe(200);
      expect(await ended).toEqual({ reason: 'revoked' });
      expect(await disconnected).toBe('io server disconnect');
      const renew = await fetch(`${nodes[1]!.url}/api/auth/session/refresh`, {
        method: 'POST',
        headers: { cookie },
      });
      expect(renew.status).toBe(401);
    } finally {
      socket.close();
    }
  });

  it('shares sign-in failure limits between nodes', async () => {
    const attempt = (url: string, password: string) =>
      fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO.qa, password }),
      }).then((r) => r.status);
    expect(await attempt(nodes[0]!.url, 'wrong-1')).toBe(401);
    expect(await attempt(nodes[1]!.url, 'wrong-2')).toBe(401);
    // Two failures spread over two nodes exhaust the per-account limit of 2 on both.
    expect(await attempt(nodes[0]!.url, DEMO_PASSWORD)).toBe(429);
    expect(await attempt(nodes[1]!.url, DEMO_PASSWORD)).toBe(429);
  });

  it('keeps an agent online while a tab is open on either node, and offline only when none is left', async () => {
    const token = await login(nodes[0]!.url, DEMO.agentL1);
    const supervisor = await login(nodes[0]!.url, DEMO.supervisor);
    const presence = async (node: number) => {
      const res = await fetch(`${nodes[node]!.url}/api/agents`, {
        headers: { authorization: `Bearer ${supervisor}` },
      });
      const body = (await res.json()) as { items: Array<{ email: string; presence: string }> };
      return body.items.find((a) => a.email === DEMO.agentL1)!.presence;
    };
    const until = async (want: string) => {
      const deadline = Date.now() + 10_000;
      while ((await presence(1)) !== want) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${want}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const open = (node: number) =>
      new Promise<ReturnType<typeof connect>>((resolve, reject) => {
        const socket = connect(nodes[node]!.url, {
          auth: { token },
          transports: ['websocket'],
          forceNew: true,
        });
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      });
    const onA = await open(0);
    await until('online');
    const onB = await open(1);
    // The tab on node A closes: node A asks every node (through Redis) and finds the one on B.
    const idA = onA.id;
    onA.close();
    const deadline = Date.now() + 10_000;
    while ((await nodes[0]!.app.io.local.fetchSockets()).some((s) => s.id === idA)) {
      if (Date.now() > deadline) throw new Error('node A kept the closed socket');
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(nodes.map((n) => n.app.presence.idle()));
    expect(await presence(0)).toBe('online');
    onB.close();
    await until('offline');
  });
});
