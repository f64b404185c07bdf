import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { TicketView } from '../../signaling/shared/protocol';
import {
  type ApiLogin,
  apiLogin,
  assertBrowserPrerequisites,
  collectPageErrors,
  launchBrowser,
  newContext,
  openSignedIn,
} from './browser';
import { startTestApp, type TestApp } from './testApp';

type ContextOptions = NonNullable<Parameters<typeof newContext>[1]>;

export interface SignedInOptions extends ContextOptions {
  /** The demo password unless the server printed others (the default start). */
  password?: string;
  /** Runs on the new context before the page opens (init scripts that must see the first load). */
  prepare?: (context: BrowserContext) => Promise<void>;
  /** Runs on the page before it navigates (listeners that must see the first load). */
  onPage?: (page: Page) => void;
}

export interface SignedIn {
  page: Page;
  login: ApiLogin;
  context: BrowserContext;
}

/**
 * One e2e suite's browser and server: the contexts it opened (closed at the end) and every page's
 * uncaught exceptions (a test ends with none: a client exception is a bug even when the page
 * looks right). Made by `e2eSuite`, which registers the hooks.
 */
export class E2e {
  browser!: Browser;
  /** Set when `e2eSuite` starts the app (or `serve` does); absent for a server of the suite's own. */
  app: TestApp | undefined;
  /** Where the server listens; a suite with a server of its own sets it. */
  url = '';
  readonly contexts: BrowserContext[] = [];
  readonly pageErrors: string[][] = [];

  /** The test app, for suites that start one. */
  get testApp(): TestApp {
    if (!this.app) throw new Error('this suite started no test app');
    return this.app;
  }

  /** A fresh context, closed with the suite. */
  async context(options: ContextOptions = {}, on: Browser = this.browser): Promise<BrowserContext> {
    const context = await newContext(on, options);
    this.contexts.push(context);
    return context;
  }

  /** Collects a page's uncaught exceptions for the end-of-test check. */
  watch(page: Page): Page {
    this.pageErrors.push(collectPageErrors(page));
    return page;
  }

  /**
   * A browser signed in as `who` (an email, signed in over the API, or a session already had),
   * opened at `path` in a context of its own, once its socket is connected.
   */
  async signedIn(
    who: string | ApiLogin,
    path = '/',
    options: SignedInOptions = {},
    on?: Browser,
  ): Promise<SignedIn> {
    const { password, prepare, onPage, ...contextOptions } = options;
    const login = typeof who === 'string' ? await apiLogin(this.url, who, password) : who;
    const context = await this.context(contextOptions, on);
    await prepare?.(context);
    const page = await openSignedIn(context, login, `${this.url}${path}`, (p) => {
      this.watch(p);
      onPage?.(p);
    });
    return { page, login, context };
  }

  /** A REST call as `token`: the status and the parsed body (null when empty). */
  async api<T>(token: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  /** A REST call that must succeed: its body, or a failure naming the call and the answer. */
  async apiOk<T>(token: string, path: string, init: RequestInit = {}): Promise<T> {
    const { status, body } = await this.api<T>(token, path, init);
    if (status < 200 || status > 299)
      throw new Error(`${init.method ?? 'GET'} ${path}: ${status} ${JSON.stringify(body)}`);
    return body;
  }

  /** A ticket the customer (`token`) opens about a video call; it must be created (201). */
  async newTicket(
    token: string,
    subject: string,
    description = 'Can we look at it together?',
  ): Promise<TicketView> {
    const { status, body } = await this.api<TicketView>(token, '/api/tickets', {
      method: 'POST',
      body: JSON.stringify({ subject, description, category: 'video_call' }),
    });
    expect(status, JSON.stringify(body)).toBe(201);
    return body;
  }

  /** The agent presses "Start video call" on the ticket's page and lands on the ringing call; its id. */
  async startCall(agent: Page, ticketId: string): Promise<string> {
    await agent.goto(`${this.url}/tickets/${ticketId}`);
    await agent.getByRole('button', { name: 'Start video call' }).click();
    await agent.waitForURL(/\/call\//);
    return new URL(agent.url()).pathname.split('/').pop()!;
  }

  /**
   * A live call: the agent rings from the ticket page, the customer accepts and joins, and both
   * see it connected (the status the server sets from the SFU's own evidence); the call's id.
   */
  async connectCall(agent: Page, customer: Page, ticketId: string): Promise<string> {
    const callId = await this.startCall(agent, ticketId);
    await acceptCall(customer);
    await Promise.all(
      [agent, customer].map((page) =>
        page.locator('[data-call-status="connected"]').waitFor({ timeout: 30_000 }),
      ),
    );
    return callId;
  }

  /** Every context of the suite, closed (between blocks that run servers of their own). */
  async closeContexts(): Promise<void> {
    for (const context of this.contexts.splice(0)) await context.close().catch(() => {});
  }

  /** Starts a test app for the enclosing describe block (and stops it after). */
  serve(env: Record<string, string> = {}): void {
    beforeAll(async () => {
      this.app = await startTestApp({ env });
      this.url = this.app.url;
    });
    afterAll(async () => {
      await this.closeContexts();
      await this.app?.close();
    });
  }
}

/**
 * Registers an e2e suite's hooks: Chromium (and, with `env`, a test app with those settings)
 * before all, no page errors after each test, everything closed after all. `app: false` leaves
 * the server to the suite (`serve` per block, or a process of its own); `checkPageErrors: false`
 * for suites that check them at points of their own.
 */
export function e2eSuite(
  options: { env?: Record<string, string>; app?: boolean; checkPageErrors?: boolean } = {},
): E2e {
  const e2e = new E2e();
  beforeAll(async () => {
    assertBrowserPrerequisites();
    const [app, browser] = await Promise.all([
      options.app === false ? undefined : startTestApp({ env: options.env ?? {} }),
      launchBrowser(),
    ]);
    e2e.browser = browser;
    if (app) {
      e2e.app = app;
      e2e.url = app.url;
    }
  });
  afterAll(async () => {
    await e2e.closeContexts();
    await e2e.browser?.close();
    await e2e.app?.close();
  });
  if (options.checkPageErrors !== false) {
    afterEach(() => {
      expect(e2e.pageErrors.flat()).toEqual([]);
    });
  }
  return e2e;
}

/** The remote camera's video element in a call. */
export const REMOTE_CAMERA = 'video[data-remote="true"][data-source="camera"]';

/** The video in `selector` shows a picture that keeps changing (more than five frames). */
export async function expectDecoding(page: Page, selector = REMOTE_CAMERA, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    (sel) => {
      const v = document.querySelector<HTMLVideoElement>(sel);
      return v !== null && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 5;
    },
    selector,
    { timeout, polling: 100 },
  );
}

/** The customer accepts the ringing call from the prompt and joins after the device check. */
export async function acceptCall(customer: Page): Promise<void> {
  await customer
    .getByRole('dialog', { name: 'Incoming video call' })
    .getByRole('button', { name: 'Accept' })
    .click();
  await customer.getByRole('button', { name: 'Join call' }).click();
}

/** The call's whiteboard sync reached "open" on this page (the client's read-only test hook). */
export async function waitForBoard(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      (window as unknown as { __livedeskBoard?: { status(): string } }).__livedeskBoard?.status() === 'open',
    undefined,
    { timeout: 30_000 },
  );
}
