import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/client';
import { createLogger } from '../../server/logger';
import { BACKENDS, isolatedDatabase } from '../helpers/database';

// Each test starts PGlite twice (WebAssembly, initdb): 20-50 s per start on a loaded 2-core
// machine, more than the suite's default 30 s.
vi.setConfig({ testTimeout: 180_000 });

describe.each(BACKENDS)('migrations on %s', (backend) => {
  const drops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
  });

  it('create the schema once and are a no-op on every later start', async () => {
    // PGlite needs a directory here: an in-memory database would not outlive close().
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-migrate-'));
    const isolated = await isolatedDatabase(backend);
    const database = backend === 'pglite' ? { kind: 'pglite' as const, dir: tmp } : isolated.database;
    drops.push(async () => {
      await isolated.drop();
      fs.rmSync(tmp, { recursive: true, force: true });
    });
    const first = await openDatabase({ database });
    const applied = async (h: typeof first) =>
      (await h.db.execute(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`)) as any;
    const rowsOf = (r: any) => (r.rows ?? r)[0].n as number;
    const countAfterFirst = rowsOf(await applied(first));
    expect(countAfterFirst).toBeGreaterThan(0);
    await first.db.execute(sql`INSERT INTO installation_meta (key, value) VALUES ('probe', 'kept')`);
    await first.close();

    const second = await openDatabase({ database });
    expect(rowsOf(await applied(second))).toBe(countAfterFirst);
    const kept = (await second.db.execute(
      sql`SELECT value FROM installation_meta WHERE key = 'probe'`,
    )) as any;
    expect((kept.rows ?? kept)[0].value).toBe('kept');
    await second.close();
  });
});

describe('the embedded data directory', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-data-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('survives a restart, and demo accounts are created (and printed) only on the first start', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dir,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      MEDIASOUP_WORKERS: '1',
    });
    expect(config.seedDemo).toBe(true);
    const logger = createLogger(config);

    const first = await createApp(config, { logger });
    expect(first.demoLogins.map((l) => l.email)).toContain('customer@demo.livedesk');
    const password = first.demoLogins.find((l) => l.email === 'customer@demo.livedesk')!.password;
    expect(password.length).toBeGreaterThanOrEqual(12);
    const tokenBeforeRestart = first.tokens.issue({ sub: 'someone', role: 'customer' }).token;
    await first.close();

    const second = await createApp(config, { logger });
    try {
      expect(second.demoLogins).toEqual([]);
      // Same data: the password printed on the first start still works after the restart,
      // and tokens issued before the restart are still valid (the secret was kept).
      const { url } = await second.listen();
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'customer@demo.livedesk', password }),
      });
      expect(res.status).toBe(200);
      expect(second.tokens.verify(tokenBeforeRestart).sub).toBe('someone');
    } finally {
      await second.close();
    }
  });

  it('seeds nothing in a production configuration', async () => {
    const prodDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-prod-'));
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'p'.repeat(40),
      DATA_DIR: prodDir,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      MEDIASOUP_WORKERS: '1',
    });
    const app = await createApp(config, { logger: createLogger(config) });
    try {
      expect(app.demoLogins).toEqual([]);
      expect(await app.users.list({ limit: 10, offset: 0 })).toEqual([]);
    } finally {
      await app.close();
      fs.rmSync(prodDir, { recursive: true, force: true });
    }
  });
});
