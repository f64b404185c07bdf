import { describe, expect, it } from 'vitest';
import type { ArticleTaskView, ArticleView, DeflectionStats } from '../../signaling/shared/help';
import type { TicketView } from '../../signaling/shared/protocol';
import { expectAccessible } from '../helpers/axe';
import { apiLogin, screenshot } from '../helpers/browser';
import { e2eSuite } from '../helpers/e2e';
import { DEMO } from '../helpers/testApp';

// The help centre as people use it: a visitor (not signed in) searches /help in their words,
// reads the article and says it helped, in English and in Chinese, on a desktop and a phone; a
// customer writing a ticket is shown an article, opens it and leaves (a deflection the dashboard
// counts); an agent turns a solved ticket into an article draft with one click.
const e2e = e2eSuite();

async function publish(token: string, input: Record<string, unknown>): Promise<ArticleView> {
  return e2e.apiOk<ArticleView>(token, '/api/help/articles', {
    method: 'POST',
    body: JSON.stringify({ status: 'published', ...input }),
  });
}

describe('help centre', () => {
  it('lets a visitor search, read and rate an article without signing in, in English and Chinese', async () => {
    const supervisor = await apiLogin(e2e.url, DEMO.supervisor);
    const refund = await publish(supervisor.token, {
      title: 'Requesting a refund for a course',
      body: '## Steps\n\n1. Open **Orders**.\n2. Choose the course and press *Request refund*.\n\nRefunds reach your card within 5 working days. [Watch how](https://www.youtube.com/watch?v=abc)\n\n<script>alert(1)</script>',
      locale: 'en',
      category: 'payment',
    });
    await publish(supervisor.token, {
      title: 'Payment methods we accept',
      body: 'Cards, PayPal and bank transfer. A refund goes back the way you paid.',
      locale: 'en',
      category: 'payment',
    });
    const zh = await publish(supervisor.token, {
      title: '如何申请课程退款',
      body: '打开“我的订单”，选择课程，点击“申请退款”。退款会在5个工作日内原路退回。',
      locale: 'zh-CN',
      category: 'payment',
      translationOf: refund.id,
    });

    const context = await e2e.context({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    const page = e2e.watch(await context.newPage());
    await page.goto(`${e2e.url}/help`);
    await page.getByRole('heading', { name: 'How can we help?' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search the help centre' }).fill('i want my money back');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/help\/search\?q=/);
    const first = page.getByTestId('help-result').first();
    await first.getByRole('link', { name: 'Requesting a refund for a course' }).waitFor();
    await expect.poll(() => first.locator('mark').count()).toBeGreaterThan(0);
    await screenshot(page, 'help-search-1440');
    await expectAccessible(page, 'the help search results');
    await first.getByRole('link', { name: 'Requesting a refund for a course' }).click();
    await page.getByRole('heading', { level: 1, name: 'Requesting a refund for a course' }).waitFor();
    // Markdown renders; raw HTML does not; the video link is marked as one; the translation is linked.
    await page.getByRole('heading', { level: 2, name: 'Steps' }).waitFor();
    expect(await page.locator('.help-markdown script').count()).toBe(0);
    await page.getByRole('link', { name: /Video.*Watch how/ }).waitFor();
    await page.getByRole('link', { name: '中文' }).waitFor();
    await page.getByRole('link', { name: 'Payment methods we accept' }).waitFor();
    await page.getByRole('button', { name: 'Yes' }).click();
    await page.getByText('Thank you for your feedback!').waitFor();
    await expectAccessible(page, 'a help article');
    const view = await e2e.apiOk<ArticleView>(supervisor.token, `/api/help/articles/${refund.id}`);
    expect(view.helpfulYes).toBe(1);

    // A phone: nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Requesting a refund for a course' }).waitFor();
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'help-article-390');

    // A Chinese browser gets the Chinese help centre and finds the article with its own words.
    const zhContext = await e2e.context({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    const zhPage = e2e.watch(await zhContext.newPage());
    await zhPage.goto(`${e2e.url}/help`);
    await zhPage.getByRole('heading', { name: '有什么可以帮你？' }).waitFor();
    await zhPage.getByRole('searchbox', { name: '搜索帮助中心' }).fill('我想退钱');
    await zhPage.getByRole('button', { name: '搜索', exact: true }).click();
    await zhPage.getByTestId('help-result').first().getByRole('link', { name: '如何申请课程退款' }).click();
    await zhPage.waitForURL(`**/help/articles/${zh.id}`);
    await zhPage.getByRole('button', { name: '有帮助', exact: true }).waitFor();
    expect(await zhPage.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(zhPage, 'help-article-zh-390');
  });

  it('shows a customer writing a ticket a matching article; opening it and leaving counts as deflected', async () => {
    const supervisor = await apiLogin(e2e.url, DEMO.supervisor);
    const article = await publish(supervisor.token, {
      title: 'Camera not working in a video call',
      body: 'Allow camera access in the browser, close other apps that use the camera, then rejoin.',
      locale: 'en',
      category: 'video_call',
    });
    const before = await e2e.apiOk<DeflectionStats>(supervisor.token, '/api/help/deflection/stats');

    const { page } = await e2e.signedIn(DEMO.customer, '/tickets/new');
    await page.getByRole('textbox', { name: 'Subject' }).fill('My camera does not work in the call');
    const suggestions = page.getByTestId('deflection-suggestions');
    const link = suggestions.getByRole('link', { name: 'Camera not working in a video call' });
    await link.waitFor();
    await screenshot(page, 'help-deflection');
    const [articleTab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    e2e.watch(articleTab);
    await articleTab.getByRole('heading', { level: 1, name: 'Camera not working in a video call' }).waitFor();
    await articleTab.close();
    // The customer leaves without submitting.
    await page.goto(`${e2e.url}/`);

    await expect
      .poll(
        async () =>
          (await e2e.apiOk<DeflectionStats>(supervisor.token, '/api/help/deflection/stats')).deflected,
      )
      .toBe(before.deflected + 1);
    const after = await e2e.apiOk<DeflectionStats>(supervisor.token, '/api/help/deflection/stats');
    expect(after.sessionsShown).toBe(before.sessionsShown + 1);
    expect(after.submittedAnyway).toBe(before.submittedAnyway);
    expect(article.id).toBeTruthy();
  });

  it('turns a solved ticket into an article draft with its problem and solution, and does the article task', async () => {
    const customer = await apiLogin(e2e.url, DEMO.customer);
    const agent = await apiLogin(e2e.url, DEMO.agentL1);
    const ticket = await e2e.apiOk<TicketView>(customer.token, '/api/tickets', {
      method: 'POST',
      body: JSON.stringify({
        subject: 'Certificate shows the wrong name',
        description: 'My certificate has my old surname on it.',
        category: 'course',
      }),
    });
    await e2e.apiOk(agent.token, `/api/tickets/${ticket.id}/claim`, { method: 'POST' });
    await e2e.apiOk(agent.token, `/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      body: JSON.stringify({
        body: 'Change the name under Profile, then press Reissue certificate.',
        clientMessageId: 'help-e2e-1',
      }),
    });
    await e2e.apiOk(agent.token, `/api/tickets/${ticket.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'solved' }),
    });
    // No published "course" article: the solution brings an article task for the agent.
    await expect
      .poll(async () =>
        (await e2e.apiOk<{ items: ArticleTaskView[] }>(agent.token, '/api/help/tasks')).items.map(
          (t) => t.ticket.id,
        ),
      )
      .toContain(ticket.id);

    const { page } = await e2e.signedIn(agent, '/articles', { bypassCSP: true });
    await page
      .getByTestId('article-tasks')
      .getByRole('link', { name: /Certificate shows the wrong name/ })
      .click();
    await page.waitForURL(`**/tickets/${ticket.id}`);
    await page.getByRole('button', { name: 'Create article' }).click();
    await page.waitForURL(/\/articles\/[0-9a-f-]{36}$/);
    const body = page.getByRole('textbox', { name: 'Article text (Markdown)' });
    await expect.poll(() => body.inputValue()).toContain('My certificate has my old surname on it.');
    expect(await body.inputValue()).toContain(
      'Change the name under Profile, then press Reissue certificate.',
    );
    expect(await page.getByRole('textbox', { name: 'Title' }).inputValue()).toBe(
      'Certificate shows the wrong name',
    );
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByTestId('article-preview').getByRole('heading', { name: 'Solution' }).waitFor();
    await page.getByText('You write drafts; a supervisor or admin publishes them.').waitFor();
    await screenshot(page, 'help-editor-from-ticket');
    await expectAccessible(page, 'the article editor');
    // The ticket is linked, so its task is done.
    const tasks = await e2e.apiOk<{ items: ArticleTaskView[] }>(agent.token, '/api/help/tasks');
    expect(tasks.items.map((t) => t.ticket.id)).not.toContain(ticket.id);
    const linked = await e2e.apiOk<{ items: Array<{ id: string }> }>(
      agent.token,
      `/api/help/tickets/${ticket.id}/articles`,
    );
    expect(linked.items).toHaveLength(1);
  });
});
