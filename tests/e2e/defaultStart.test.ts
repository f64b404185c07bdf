import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envSchema } from '../../server/config';
import { apiLogin, screenshot } from '../helpers/browser';
import { acceptCall, e2eSuite, expectDecoding as expectRemoteDecoding, REMOTE_CAMERA } from '../helpers/e2e';
import { probe } from '../helpers/rtpSource';

// A newcomer's first call, started exactly the way `npm start` starts Livedesk (after its client
// build, which `npm test` has already done): `tsx server/main.ts` in a process of its own, with no
// Livedesk variable set at all — no RTC_* addresses, no database, no demo password — except a
// private data directory and a free port. The demo passwords are read off the start banner, as a
// person would. Two browsers on this machine then hold a call through the real SFU and record it.
// Every other e2e suite uses the same default addresses through startTestApp; this one also
// covers main.ts, the banner and the process's own defaults.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX_CLI = path.join(root, 'node_modules/tsx/dist/cli.mjs');

interface Started {
  process: ChildProcess;
  url: string;
  banner: string;
  passwords: Map<string, string>;
}

/** Starts server/main.ts with a newcomer's environment and waits for its banner. */
async function startLikeNpmStart(dataDir: string): Promise<Started> {
  const env: NodeJS.ProcessEnv = {};
  // The test runner's own environment minus every variable Livedesk reads (vitest sets
  // NODE_ENV=test; CI sets DATABASE_URL and REDIS_URL): what is left is a plain shell's.
  for (const [key, value] of Object.entries(process.env)) {
    if (!(key in envSchema.shape) && !key.startsWith('VITEST') && !key.startsWith('RTC_')) env[key] = value;
  }
  env.DATA_DIR = dataDir;
  env.PORT = '0'; // any free port: another Livedesk may hold 3000 on a developer's machine
  const child = spawn(process.execPath, [TSX_CLI, 'server/main.ts'], { cwd: root, env });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise<Started>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server/main.ts exited ${code}:\n${stderr}\n${stdout}`)));
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const banner = /\n {2}Livedesk is running at (\S+)[\s\S]*?Admin +\S+ +\S+\n/.exec(stdout);
      if (!banner) return;
      const passwords = new Map<string, string>();
      for (const m of stdout.matchAll(/^ {4}.{12} (\S+@demo\.livedesk) +(\S+)$/gm))
        passwords.set(m[1]!, m[2]!);
      resolve({ process: child, url: banner[1]!, banner: stdout, passwords });
    });
  });
}

// The server is a process of the suite's own; each test checks the page errors at its end.
const e2e = e2eSuite({ app: false, checkPageErrors: false });
let server: Started;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-default-'));
  server = await startLikeNpmStart(dataDir);
  e2e.url = server.url;
});

afterAll(async () => {
  if (server && server.process.exitCode === null) {
    const exited = new Promise((r) => server.process.once('exit', r));
    server.process.kill('SIGTERM');
    await exited;
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Signed in with the password the banner printed; its peer connections kept for reading. */
const signedIn = (email: string) =>
  e2e.signedIn(email, '/', { password: server.passwords.get(email), prepare: keepPeerConnections });

async function keepPeerConnections(context: BrowserContext): Promise<void> {
  // Keeps the page's peer connections reachable, to read which ICE pair the call really uses.
  await context.addInitScript(() => {
    const w = window as unknown as { __pcs: RTCPeerConnection[] };
    w.__pcs = [];
    const Native = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Native {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        w.__pcs.push(this);
      }
    };
  });
}

const api = <T>(token: string, p: string, init: RequestInit = {}) => e2e.api<T>(token, p, init);

/** The remote camera shows a picture that keeps changing. */
const expectDecoding = (page: Page) => expectRemoteDecoding(page, REMOTE_CAMERA, 30_000);

describe('a call on the default start (no RTC_* settings)', () => {
  it('announces reachable media addresses in the banner, never 0.0.0.0', () => {
    const media = /Call media: (.+) \(UDP\/TCP ports 40000-49999\)/.exec(server.banner);
    expect(media, server.banner).not.toBeNull();
    const addresses = media![1]!.split(', ');
    expect(addresses[0]).toBe('127.0.0.1');
    expect(addresses).not.toContain('0.0.0.0');
    // Every address of this host's own interfaces is offered, so a browser on the LAN has one too.
    const lan = Object.values(os.networkInterfaces())
      .flat()
      .filter((i) => i && i.family === 'IPv4' && !i.internal && !i.address.startsWith('169.254.'))
      .map((i) => i!.address);
    for (const ip of lan) expect(addresses).toContain(ip);
    expect(server.passwords.size).toBe(6);
  });

  it("keeps the built client's caching while API answers are never stored", async () => {
    const index = await fetch(`${server.url}/`);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const script = /<script[^>]+src="([^"]+\.js)"/.exec(await index.text())?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(new URL(script!, server.url));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=3600');
    const health = await fetch(`${server.url}/api/openapi.json`);
    expect(health.headers.get('cache-control')).toBe('no-store');
  });

  it('connects a call between two browsers on this machine and records it', async () => {
    const [agentSide, customerSide] = await Promise.all([
      signedIn('agent.l1@demo.livedesk'),
      signedIn('customer@demo.livedesk'),
    ]);
    const agent = agentSide.page;
    const customer = customerSide.page;
    const ticket = await e2e.newTicket(
      customerSide.login.token,
      'My first call on a fresh install',
      'Can you see my screen?',
    );

    const callId = await e2e.startCall(agent, ticket.id);
    await acceptCall(customer);

    // What was broken: with 0.0.0.0 candidates both pages stayed on "Connecting…" forever.
    await Promise.all([expectDecoding(agent), expectDecoding(customer)]);
    await agent.locator('[data-call-status="connected"]').waitFor();
    await customer.locator('[data-call-status="connected"]').waitFor();
    await screenshot(customer, 'default-start-call-customer');

    // The ICE pairs the browser uses run to addresses the banner printed.
    const remoteAddresses = await customer.evaluate(async () => {
      const found: string[] = [];
      for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
        if (pc.connectionState !== 'connected') continue;
        const stats = [...(await pc.getStats()).values()] as Array<Record<string, unknown>>;
        const transport = stats.find((s) => s.type === 'transport');
        const pair = stats.find((s) => s.id === transport?.selectedCandidatePairId);
        const remote = stats.find((s) => s.id === pair?.remoteCandidateId);
        if (remote) found.push(String(remote.address ?? remote.ip));
      }
      return found;
    });
    expect(remoteAddresses.length).toBeGreaterThanOrEqual(2); // send and receive transports
    for (const address of remoteAddresses) expect(server.banner).toContain(`${address}`);

    // Recording works on the default start too (FFmpeg from the system packages).
    await agent.getByRole('button', { name: 'Start recording' }).click();
    await customer.getByRole('status', { name: 'Recording: this call is being recorded' }).waitFor();
    const qa = await apiLogin(server.url, 'qa@demo.livedesk', server.passwords.get('qa@demo.livedesk'));
    type Listed = { items: Array<{ id: string; callId: string; status: string }> };
    type Detail = { status: string; tracks: Array<{ id: string; kind: string; status: string }> };
    // Let the recorders write some frames of every track before hanging up.
    await expect
      .poll(
        async () => {
          const listed = (await api<Listed>(qa.token, '/api/recordings')).body.items.find(
            (r) => r.callId === callId,
          );
          if (!listed) return 0;
          return (await api<Detail>(qa.token, `/api/recordings/${listed.id}`)).body.tracks.length;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toBeGreaterThanOrEqual(4);
    await customer.waitForTimeout(2_000); // a couple of seconds of recorded call
    await agent.getByRole('button', { name: 'Hang up' }).click();
    await customer.getByRole('heading', { name: 'Call ended' }).waitFor();

    let detail: Detail | undefined;
    let recordingId = '';
    await expect
      .poll(
        async () => {
          const listed = (await api<Listed>(qa.token, '/api/recordings')).body.items.find(
            (r) => r.callId === callId,
          );
          if (!listed) return 'missing';
          recordingId = listed.id;
          detail = (await api<Detail>(qa.token, `/api/recordings/${listed.id}`)).body;
          return detail.status;
        },
        { timeout: 60_000, interval: 250 },
      )
      .toBe('ready');
    expect(detail!.tracks.map((t) => `${t.kind}/${t.status}`).sort()).toEqual([
      'audio/ready',
      'audio/ready',
      'video/ready',
      'video/ready',
    ]);
    // Each track is a real media file: fetched through the QA player's link and read by ffprobe.
    for (const track of detail!.tracks) {
      const link = await api<{ url: string }>(
        qa.token,
        `/api/recordings/${recordingId}/tracks/${track.id}/stream-url`,
      );
      const file = path.join(dataDir, `probe-${track.id}.webm`);
      fs.writeFileSync(file, Buffer.from(await (await fetch(`${e2e.url}${link.body.url}`)).arrayBuffer()));
      const info = await probe(file);
      expect(info.streams.map((s) => s.codec_type)).toEqual([track.kind]);
    }

    // The ticket logs the call as connected, with its duration.
    const calls = await api<{
      items: Array<{ id: string; connectedAt: string | null; connectedSeconds: number }>;
    }>(agentSide.login.token, `/api/tickets/${ticket.id}/calls`);
    const logged = calls.body.items.find((c) => c.id === callId);
    expect(logged?.connectedAt).not.toBeNull();
    expect(logged?.connectedSeconds).toBeGreaterThanOrEqual(2);
    expect(e2e.pageErrors.flat()).toEqual([]);
  }, 180_000); // a call, a recording and its processing, on a possibly busy two-core machine
});
