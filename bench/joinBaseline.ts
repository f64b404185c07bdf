// The baseline of `npm run bench:join`: the same call joined by a bare mediasoup-client page
// (bench/baselinePage.ts) instead of Livedesk's client, to say what Livedesk's own client adds.
//
// The page is bundled here with esbuild and served by this process from a loopback port of its
// own: another origin than the server's, which admits it through ALLOWED_ORIGINS (the driver
// starts the server with it), the way an operator admits another site. Its people are two
// accounts of their own (an L1 agent and a customer), so a call rung for the baseline never rings
// Livedesk's pages, which stay open between their runs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { PublicUser } from '../signaling/shared/protocol';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
/** Passes the password policy (no part of the accounts' e-mail or name in it). */
const PASSWORD = 'orchard-signal-not-for-production';

export const BASELINE_ACCOUNTS = {
  agent: { email: 'baseline-agent-l1@bench.livedesk', name: 'Baseline Agent', role: 'agent', tier: 'L1' },
  customer: { email: 'baseline-customer@bench.livedesk', name: 'Baseline Customer', role: 'customer' },
} as const;

export interface BaselineSite {
  origin: string;
  /** The page for one side, signed in with `token` to the Livedesk server at `server`. */
  pageUrl(side: 'agent' | 'customer', server: string, token: string): string;
  close(): Promise<void>;
}

/** Bundles the baseline page and serves it (HTML and one script) on 127.0.0.1. */
export async function startBaselineSite(): Promise<BaselineSite> {
  const bundle = await build({
    entryPoints: [path.join(BENCH_DIR, 'baselinePage.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    write: false,
    logLevel: 'warning',
  });
  const script = bundle.outputFiles[0]!.contents;
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Baseline join</title></head>' +
    '<body><script type="module" src="/page.js"></script></body></html>';
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname === '/page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      res.end(script);
    } else if (pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
    } else {
      // The browser's favicon request: nothing to show, and no 404 in the page's console.
      res.writeHead(pathname === '/favicon.ico' ? 204 : 404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    pageUrl: (side, serverUrl, token) =>
      `${origin}/?${new URLSearchParams({ side, server: serverUrl, token }).toString()}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The baseline's two accounts, created through the admin API (an existing one, from an earlier
 * run on a kept PostgreSQL database, is simply signed in), with their tokens.
 */
export async function baselineLogins(
  url: string,
  adminToken: string,
): Promise<Record<'agent' | 'customer', { token: string; user: PublicUser }>> {
  const out = {} as Record<'agent' | 'customer', { token: string; user: PublicUser }>;
  for (const side of ['agent', 'customer'] as const) {
    const account = BASELINE_ACCOUNTS[side];
    const created = await fetch(`${url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ ...account, password: PASSWORD }),
    });
    if (created.status !== 201 && created.status !== 409) {
      throw new Error(`creating ${account.email} failed: ${created.status} ${await created.text()}`);
    }
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: PASSWORD }),
    });
    if (!login.ok) throw new Error(`login ${account.email} failed: ${login.status} ${await login.text()}`);
    out[side] = (await login.json()) as { token: string; user: PublicUser };
  }
  return out;
}
