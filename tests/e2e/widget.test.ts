// The website widget on another site (issue 19): a page served from a second origin on loopback
// embeds Livedesk by its script tag; a guest searches the help centre, starts a chat, an agent on
// the Livedesk origin replies and the guest sees it; the agent calls and both sides decode each
// other's camera through the SFU, the guest inside the iframe. A site not allowed gets no widget.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketView } from '../../signaling/shared/protocol';
import { expectAccessible } from '../helpers/axe';
import { apiLogin, screenshot } from '../helpers/browser';
import { e2eSuite, expectDecoding } from '../helpers/e2e';
import { DEMO } from '../helpers/testApp';

const e2e = e2eSuite();

/** A customer's website on 127.0.0.2 (another origin, another site): hostile CSS and the script tag. */
function hostSite(livedesk: () => string, locale: string | null) {
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html><head><meta name="viewport" content="width=device-width, initial-scale=1">
<title>School site</title>
<style>* { font-family: serif !important; } button { background: red !important; } iframe { border: 8px solid lime; }</style>
</head><body><h1>Springfield Online School</h1><p>Courses, schedules and more.</p>
<script src="${livedesk()}/widget.js"${locale ? ` data-locale="${locale}"` : ''} async></script></body></html>`);
  });
  return {
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.2', () =>
          resolve(`http://127.0.0.2:${(server.address() as AddressInfo).port}`),
        ),
      ),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function openWidget(page: Page, name = 'Open help and chat'): Promise<FrameLocator> {
  await page.getByRole('button', { name }).click();
  return page.frameLocator('#livedesk-widget iframe');
}

function widgetFrame(page: Page): Frame {
  const frame = page.frames().find((f) => new URL(f.url()).pathname === '/widget');
  if (!frame) throw new Error('the widget frame is not there');
  return frame;
}

describe('the website widget', () => {
  const site = hostSite(() => e2e.url, 'en');
  const zhSite = hostSite(() => e2e.url, 'zh-CN');
  const refusedSite = hostSite(() => e2e.url, null);
  let origin = '';
  let zhOrigin = '';
  let refusedOrigin = '';
  let adminToken = '';

  beforeAll(async () => {
    [origin, zhOrigin, refusedOrigin] = await Promise.all([
      site.start(),
      zhSite.start(),
      refusedSite.start(),
    ]);
    adminToken = (await apiLogin(e2e.url, DEMO.admin)).token;
    await e2e.apiOk(adminToken, '/api/admin/widget', {
      method: 'PUT',
      body: JSON.stringify({ allowedOrigins: [origin, zhOrigin], guestChat: true }),
    });
    const supervisor = await apiLogin(e2e.url, DEMO.supervisor);
    for (const article of [
      {
        title: 'Requesting a refund for a course',
        body: 'Open **Orders**, choose the course and press *Request refund*. Refunds reach your card within 5 working days.',
        locale: 'en',
      },
      { title: '如何申请课程退款', body: '打开“我的订单”，选择课程，点击“申请退款”。', locale: 'zh-CN' },
    ]) {
      await e2e.apiOk(supervisor.token, '/api/help/articles', {
        method: 'POST',
        body: JSON.stringify({ ...article, category: 'payment', status: 'published' }),
      });
    }
  });
  afterAll(async () => {
    await Promise.all([site.stop(), zhSite.stop(), refusedSite.stop()]);
  });

  it('lets a guest search, chat with an agent and request a call the agent accepts, on another site', async () => {
    const context = await e2e.context({ viewport: { width: 1440, height: 900 } });
    const page = e2e.watch(await context.newPage());
    await page.goto(origin);
    const launcher = page.getByRole('button', { name: 'Open help and chat' });
    await launcher.waitFor();
    // The host page's CSS does not reach the launcher (shadow root) or the widget (iframe).
    expect(await launcher.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(24, 100, 171)');
    await screenshot(page, 'host-launcher-1440-en');

    const widget = await openWidget(page);
    await expect
      .poll(() => page.getByRole('button', { name: 'Close help and chat' }).getAttribute('aria-expanded'))
      .toBe('true');
    const search = widget.getByRole('searchbox', { name: 'Search the help centre' });
    await search.fill('i want my money back');
    await search.press('Enter');
    await widget.getByRole('link', { name: 'Requesting a refund for a course' }).first().click();
    await widget.getByRole('heading', { level: 1, name: 'Requesting a refund for a course' }).waitFor();
    await screenshot(page, 'widget-article-1440-en');

    // Esc closes the panel and gives focus back to the launcher; opening again keeps the page.
    await widget.getByRole('heading', { level: 1 }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('livedesk-widget');
    await launcher.click();
    await widget.getByRole('heading', { level: 1, name: 'Requesting a refund for a course' }).waitFor();

    await widget.getByRole('tab', { name: 'Chat with us' }).click();
    await widget.getByRole('textbox', { name: 'Your name' }).fill('Gina Guest');
    await widget.getByRole('textbox', { name: 'Email' }).fill('gina@visitor.example');
    await screenshot(page, 'widget-guest-1440-en');
    await widget.getByRole('button', { name: 'Start chatting' }).click();
    await widget.getByRole('link', { name: 'New ticket' }).click();
    await widget.getByRole('textbox', { name: 'Subject' }).fill('My camera does not work in class');
    await widget.getByRole('combobox', { name: 'Category' }).selectOption({ label: 'Video call' });
    await widget.getByRole('textbox', { name: 'Description' }).fill('Can you look at it with me?');
    await widget.getByRole('button', { name: 'Submit ticket' }).click();
    await widget.getByText(/Ticket #\d+ is open/).waitFor();

    const guestTickets = await e2e.apiOk<{ items: TicketView[] }>(adminToken, '/api/tickets?view=all');
    const ticket = guestTickets.items.find((x) => x.subject === 'My camera does not work in class');
    expect(ticket?.channel).toBe('chat');
    expect(ticket?.requester.name).toBe('Gina Guest');
    // The browser's problem snapshot came along, as from the portal.
    expect(ticket?.snapshot).toMatchObject({ browser: expect.anything() });

    const agent = await e2e.signedIn(DEMO.agentL1, `/tickets/${ticket!.id}`);
    await agent.page.getByRole('textbox', { name: 'Reply' }).fill('Hello Gina, I can help with that.');
    await agent.page.getByRole('button', { name: 'Send reply' }).click();
    await widget.getByText('Hello Gina, I can help with that.').waitFor();
    await widget.getByRole('textbox', { name: 'Your message' }).fill('Thank you!');
    await widget.getByRole('button', { name: 'Send', exact: true }).click();
    await agent.page.getByText('Thank you!').waitFor();
    await screenshot(page, 'widget-chat-1440-en');

    // The guest asks for a video call; the agent is rung, accepts, and the call opens on both
    // sides: the guest joins inside the iframe (it may use the camera: allow="camera; …").
    const request = widget.getByRole('button', { name: 'Request a video call' });
    await request.waitFor();
    await screenshot(page, 'widget-request-call-1440-en');
    await request.click();
    await widget.getByText('Asking an agent to join you on a video call…').waitFor();
    const prompt = agent.page.getByRole('dialog', { name: 'Video call requested' });
    await prompt
      .getByText(/Gina Guest asks for a video call about #\d+ My camera does not work in class/)
      .waitFor();
    await screenshot(agent.page, 'agent-call-request-1440-en');
    await prompt.getByRole('button', { name: 'Accept and call' }).click();
    await agent.page.waitForURL(/\/call\//);
    const frame = widgetFrame(page);
    await frame.getByRole('button', { name: 'Join call' }).click();
    await Promise.all([
      agent.page.locator('[data-call-status="connected"]').waitFor({ timeout: 30_000 }),
      frame.locator('[data-call-status="connected"]').waitFor({ timeout: 30_000 }),
    ]);
    await expectDecoding(agent.page);
    await frame.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>('video[data-remote="true"][data-source="camera"]');
        return v !== null && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 5;
      },
      undefined,
      { timeout: 20_000, polling: 100 },
    );
    await screenshot(page, 'widget-call-1440-en');
  });

  it('fills a phone screen, in Chinese from data-locale', async () => {
    const context = await e2e.context({ viewport: { width: 390, height: 844 } });
    const page = e2e.watch(await context.newPage());
    await page.goto(zhOrigin);
    await screenshot(page, 'host-launcher-390-zh-CN');
    const widget = await openWidget(page, '打开帮助与聊天');
    await widget.getByRole('tab', { name: '联系我们' }).waitFor();
    const box = await page.locator('#livedesk-widget iframe').boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
    const search = widget.getByRole('searchbox');
    await search.fill('退钱');
    await search.press('Enter');
    await widget.getByRole('link', { name: '如何申请课程退款' }).first().waitFor();
    await screenshot(page, 'widget-search-390-zh-CN');
    await widget.getByRole('tab', { name: '联系我们' }).click();
    await widget.getByRole('button', { name: '开始聊天' }).waitFor();
    await screenshot(page, 'widget-guest-390-zh-CN');
    // The close button inside the frame closes the full-screen panel; the launcher is back.
    await widget.getByRole('button', { name: '关闭' }).click();
    await page.getByRole('button', { name: '打开帮助与聊天' }).waitFor();
    expect(await page.locator('#livedesk-widget iframe').isVisible()).toBe(false);

    // The other pairs of width and language, to look at.
    await page.setViewportSize({ width: 1440, height: 900 });
    await (await openWidget(page, '打开帮助与聊天')).getByRole('tab', { name: '联系我们' }).waitFor();
    await screenshot(page, 'widget-guest-1440-zh-CN');
    const en = e2e.watch(await (await e2e.context({ viewport: { width: 390, height: 844 } })).newPage());
    await en.goto(origin);
    const enWidget = await openWidget(en);
    await enWidget.getByRole('heading', { name: 'How can we help?' }).waitFor();
    await screenshot(en, 'widget-help-390-en');
  });

  it('is accessible: the help centre, the guest form and the conversation list (axe)', async () => {
    // The widget page on its own (top level), so axe can be injected past the CSP.
    const context = await e2e.context({ viewport: { width: 390, height: 700 }, bypassCSP: true });
    const page = e2e.watch(await context.newPage());
    await page.goto(`${e2e.url}/widget?locale=en`);
    await page.getByRole('heading', { name: 'How can we help?' }).waitFor();
    await expectAccessible(page, 'the widget help centre');
    await page.getByRole('tab', { name: 'Chat with us' }).click();
    await page.getByRole('button', { name: 'Start chatting' }).waitFor();
    await expectAccessible(page, 'the widget guest form');
    // Keyboard only: the fields and the button are reachable in order and Enter submits.
    await page.getByRole('textbox', { name: 'Your name' }).focus();
    await page.keyboard.type('Kim Keys');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kim@visitor.example');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'New ticket' }).waitFor();
    await expectAccessible(page, 'the widget conversation list');
  });

  it("lets the admin list the sites in Admin → Website widget, refusing what isn't an origin", async () => {
    const admin = await apiLogin(e2e.url, DEMO.admin);
    const { page } = await e2e.signedIn(admin, '/admin/widget', { viewport: { width: 1440, height: 900 } });
    const origins = page.getByRole('textbox', { name: 'Websites allowed to embed the widget' });
    await expect.poll(() => origins.inputValue()).toBe(`${origin}\n${zhOrigin}`);
    await page.getByText(`<script src="${e2e.url}/widget.js" data-locale="en" async></script>`).waitFor();
    await origins.fill(`${origin}\nhttps://*.school.example`);
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByRole('alert')
      .getByText(/must be an origin/)
      .waitFor();
    await screenshot(page, 'admin-widget-1440-en');
    // Nothing changed on the server.
    const unchanged = await e2e.apiOk<{ allowedOrigins: string[] }>(admin.token, '/api/admin/widget');
    expect(unchanged.allowedOrigins).toEqual([origin, zhOrigin]);
    await origins.fill(`${origin}\n${zhOrigin}\nhttps://www.school.example`);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved').waitFor();
    const saved = await e2e.apiOk<{ allowedOrigins: string[] }>(admin.token, '/api/admin/widget');
    expect(saved.allowedOrigins).toEqual([origin, zhOrigin, 'https://www.school.example']);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => localStorage.setItem('livedesk.language', 'zh-CN'));
    await page.reload();
    await page.getByRole('heading', { name: '网站小组件' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'admin-widget-390-zh-CN');
  });

  it('gives a site that is not allowed no widget and says why in the console', async () => {
    const context = await e2e.context();
    const page = e2e.watch(await context.newPage());
    const messages: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') messages.push(m.text());
    });
    await page.goto(refusedOrigin);
    await expect
      .poll(() => messages.some((m) => m.includes('is not allowed to show the Livedesk widget')))
      .toBe(true);
    expect(await page.locator('#livedesk-widget').count()).toBe(0);
    // Framing /widget directly from that site is refused by the browser too (frame-ancestors).
    await page.evaluate((url) => {
      const f = document.createElement('iframe');
      f.src = `${url}/widget`;
      document.body.appendChild(f);
    }, e2e.url);
    await expect.poll(() => messages.some((m) => /frame-ancestors/.test(m))).toBe(true);
  });
});
