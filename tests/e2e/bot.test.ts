import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { BotMessage } from '../../signaling/shared/bot';
import type { ArticleView } from '../../signaling/shared/help';
import type { MessageView, TicketView } from '../../signaling/shared/protocol';
import { apiLogin, screenshot } from '../helpers/browser';
import { e2eSuite } from '../helpers/e2e';
import { DEMO } from '../helpers/testApp';

// The Livedesk assistant as people meet it in Chromium: a customer asks in the portal, sees the
// assistant's article answer and chooses "Talk to a person"; the agent sees the hand-off card and
// the whole conversation, replies, and the assistant says nothing more. In English and Chinese, on
// a desktop and a phone.
const e2e = e2eSuite();

async function useLanguage(page: Page, language: 'en' | 'zh-CN') {
  await page.evaluate((l) => localStorage.setItem('livedesk.language', l), language);
  await page.reload();
  await page.waitForFunction((l) => document.documentElement.lang === l, language);
}

describe('the Livedesk assistant', () => {
  it('answers in the portal chat, hands over to a person, and stays silent after their reply', async () => {
    const supervisor = await apiLogin(e2e.url, DEMO.supervisor);
    const publish = (body: Record<string, unknown>) =>
      e2e.apiOk<ArticleView>(supervisor.token, '/api/help/articles', {
        method: 'POST',
        body: JSON.stringify({ status: 'published', ...body }),
      });
    const refund = await publish({
      title: 'Get a refund for a course',
      body: 'Open **Orders**, choose the course and press *Request refund*. The refund reaches your card within 5 business days.',
      locale: 'en',
      category: 'payment',
    });
    await publish({
      title: '如何申请课程退款',
      body: '打开“我的订单”，选择课程，点击“申请退款”。退款会在5个工作日内原路退回。',
      locale: 'zh-CN',
      category: 'payment',
    });

    // The customer asks in the portal.
    const customer = await e2e.signedIn(DEMO.customer, '/tickets/new', {
      viewport: { width: 1440, height: 900 },
    });
    const page = customer.page;
    await page.getByRole('textbox', { name: 'Subject' }).fill('How do I get my money back?');
    await page.getByRole('combobox', { name: 'Category' }).selectOption({ label: 'Payment' });
    await page.getByRole('textbox', { name: 'Description' }).fill('I bought the wrong course yesterday.');
    await page.getByRole('button', { name: 'Submit ticket' }).click();
    await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    const ticketId = page.url().split('/').at(-1)!;
    const answer = page.locator('article[data-kind="bot"][data-bot-type="answer"]');
    await answer.getByRole('link', { name: 'Get a refund for a course' }).waitFor();
    expect(await answer.getByRole('link', { name: 'Get a refund for a course' }).getAttribute('href')).toBe(
      `/help/articles/${refund.id}`,
    );
    await answer.getByText('Livedesk assistant').waitFor();
    await answer.getByText('Did this solve it?').waitFor();
    await screenshot(page, 'bot-portal-answer-1440-en');
    await page.setViewportSize({ width: 390, height: 844 });
    await answer.getByRole('button', { name: 'Talk to a person' }).waitFor();
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'bot-portal-answer-390-en');

    // "Talk to a person": the customer is told someone is coming.
    await answer.getByRole('button', { name: 'Talk to a person' }).click();
    await page.getByText('A person from our support team will take it from here', { exact: false }).waitFor();
    // The buttons are gone: the question is closed.
    await expect.poll(() => page.getByRole('button', { name: 'Talk to a person' }).count()).toBe(0);
    await screenshot(page, 'bot-portal-handoff-390-en');

    // The agent sees the hand-off card with the whole conversation above it.
    const agent = await e2e.signedIn(DEMO.agentL1, `/tickets/${ticketId}`, {
      viewport: { width: 1440, height: 900 },
    });
    const card = agent.page.getByTestId('handoff-card');
    await card.waitFor();
    await card.getByText('the customer asked for a person', { exact: false }).waitFor();
    await card.getByRole('link', { name: 'Get a refund for a course' }).waitFor();
    await card.getByText('How do I get my money back?').waitFor();
    await agent.page.locator('article[data-kind="bot"][data-bot-type="answer"]').waitFor();
    await agent.page.getByText('Talk to a person', { exact: true }).first().waitFor();
    await screenshot(agent.page, 'bot-agent-handoff-1440-en');
    await agent.page.setViewportSize({ width: 390, height: 844 });
    await card.waitFor();
    await screenshot(agent.page, 'bot-agent-handoff-390-en');
    await agent.page.setViewportSize({ width: 1440, height: 900 });

    // The agent replies; the customer writes again; the assistant says nothing more.
    await agent.page.getByRole('textbox', { name: 'Reply' }).fill('Hi, I am refunding it now.');
    await agent.page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText('Hi, I am refunding it now.').waitFor();
    await page
      .getByRole('textbox', { name: 'Your message' })
      .fill('Thanks! How do I get my money back next time?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await agent.page.getByText('Thanks! How do I get my money back next time?').waitFor();
    await e2e.testApp.app.assistant.idle();
    const { items } = await e2e.apiOk<{ items: MessageView[] }>(
      customer.login.token,
      `/api/tickets/${ticketId}/messages`,
    );
    expect(items.filter((m) => m.kind === 'bot').map((m) => (m.bot as BotMessage).type)).toEqual([
      'answer',
      'handoff',
    ]);
    expect(await page.locator('article[data-kind="bot"]').count()).toBe(2);

    // In Chinese: a Chinese question is answered from the Chinese article, worded in Chinese.
    const zhTicket = await e2e.apiOk<TicketView>(customer.login.token, '/api/tickets', {
      method: 'POST',
      body: JSON.stringify({
        subject: '我想退钱',
        description: '课程买错了，怎么退款？',
        category: 'payment',
      }),
    });
    await page.goto(`${e2e.url}/tickets/${zhTicket.id}`);
    await useLanguage(page, 'zh-CN');
    const zhAnswer = page.locator('article[data-kind="bot"][data-bot-type="answer"]');
    await zhAnswer.getByRole('link', { name: '如何申请课程退款' }).waitFor();
    await zhAnswer.getByText('问题解决了吗？').waitFor();
    await zhAnswer.getByRole('button', { name: '转人工' }).waitFor();
    await screenshot(page, 'bot-portal-answer-390-zh');
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'bot-portal-answer-1440-zh');
    await zhAnswer.getByRole('button', { name: '没有' }).click();
    await page.locator('article[data-kind="bot"][data-bot-type="rephrase"]').waitFor();
    await page
      .locator('article[data-kind="bot"][data-bot-type="rephrase"]')
      .getByRole('button', { name: '没有' })
      .click();
    await page
      .locator('article[data-kind="bot"][data-bot-type="handoff"]')
      .getByText('我们的客服人员会接手处理', { exact: false })
      .waitFor();

    await agent.page.goto(`${e2e.url}/tickets/${zhTicket.id}`);
    await useLanguage(agent.page, 'zh-CN');
    const zhCard = agent.page.getByTestId('handoff-card');
    await zhCard.getByText('文章没有帮助', { exact: false }).waitFor();
    await screenshot(agent.page, 'bot-agent-handoff-1440-zh');
    await agent.page.setViewportSize({ width: 390, height: 844 });
    await zhCard.waitFor();
    await screenshot(agent.page, 'bot-agent-handoff-390-zh');
  });

  it('is turned on and off by an admin in /admin', async () => {
    const { page } = await e2e.signedIn(DEMO.admin, '/admin/assistant', {
      viewport: { width: 1440, height: 900 },
    });
    await page.getByRole('heading', { name: 'Assistant' }).waitFor();
    expect(
      await page
        .getByRole('radio', { name: 'While the help centre has published articles (default)' })
        .isChecked(),
    ).toBe(true);
    await page.getByText('The assistant answers new tickets now.', { exact: false }).waitFor();
    await screenshot(page, 'bot-admin-1440-en');
    await page.getByRole('radio', { name: 'Never' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The assistant does not answer new tickets now.', { exact: false }).waitFor();
    const admin = await apiLogin(e2e.url, DEMO.admin);
    expect((await e2e.apiOk<{ mode: string }>(admin.token, '/api/admin/bot')).mode).toBe('off');
    await useLanguage(page, 'zh-CN');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('radio', { name: '从不' }).waitFor();
    await screenshot(page, 'bot-admin-390-zh');
  });
});
