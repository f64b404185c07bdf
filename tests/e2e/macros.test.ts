import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MacroView } from '../../signaling/shared/macros';
import type { MessageView, TicketView } from '../../signaling/shared/protocol';
import { type ApiLogin, screenshot } from '../helpers/browser';
import { e2eSuite } from '../helpers/e2e';
import { DEMO } from '../helpers/testApp';

// The agent's everyday keys in a real browser: a macro inserted from the composer with its
// placeholders filled before anything is sent; Enter sends and Shift+Enter makes a new line (for
// the customer too); a playbook step ticked on the ticket appears on its timeline.

const e2e = e2eSuite();

async function useLanguage(page: Page, language: 'en' | 'zh-CN') {
  await page.evaluate((l) => localStorage.setItem('livedesk.language', l), language);
  await page.reload();
  await page.waitForFunction((l) => document.documentElement.lang === l, language);
}

/** Screenshots (with E2E_SCREENSHOT_DIR) at a phone's and a desktop's width. */
async function screenshotWidths(page: Page, name: string) {
  for (const width of [390, 1440]) {
    await page.setViewportSize({ width, height: 844 });
    await screenshot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function messages(token: string, ticketId: string): Promise<MessageView[]> {
  return (await e2e.apiOk<{ items: MessageView[] }>(token, `/api/tickets/${ticketId}/messages`)).items;
}

describe('macros, the composer keys and playbooks', () => {
  let agent: { page: Page; login: ApiLogin };
  let customer: { page: Page; login: ApiLogin };
  let ticket: TicketView;

  beforeAll(async () => {
    [agent, customer] = await Promise.all([
      e2e.signedIn(DEMO.agentL1, '/'),
      e2e.signedIn(DEMO.customer, '/'),
    ]);
    const supervisor = (await e2e.signedIn(DEMO.supervisor, '/')).login;
    const macro = await e2e.apiOk<MacroView>(supervisor.token, '/api/macros', {
      method: 'POST',
      body: JSON.stringify({
        scope: 'shared',
        title: 'Video: first steps',
        bodies: {
          en: 'Hello {{customer.name}}, about ticket #{{ticket.number}}: please reload the page. — {{agent.name}}',
          'zh-CN': '{{customer.name}} 您好，关于工单 #{{ticket.number}}：请刷新页面。—— {{agent.name}}',
        },
        actions: { addTags: ['video'] },
      }),
    });
    expect(macro.scope).toBe('shared');
    ticket = await e2e.apiOk<TicketView>(customer.login.token, '/api/tickets', {
      method: 'POST',
      body: JSON.stringify({
        subject: 'The course video stays black',
        description: 'It never starts playing.',
        category: 'course',
        urgency: 'high',
        snapshot: {
          browser: 'Chrome',
          browserVersion: '126',
          os: 'Windows 11',
          network: { effectiveType: '4g', rttMs: 80 },
        },
      }),
    });
  });

  it('inserts a macro with its placeholders filled, then Shift+Enter makes a new line and Enter sends', async () => {
    const { page } = agent;
    await page.goto(`${e2e.url}/tickets/${ticket.id}`);
    const reply = page.getByRole('textbox', { name: 'Reply' });
    await reply.click();
    // "/" at the start of a line opens the picker instead of typing a slash.
    await page.keyboard.press('/');
    const picker = page.getByRole('dialog', { name: 'Insert a macro' });
    await picker.waitFor();
    await picker.getByRole('combobox').fill('reload');
    await picker.getByRole('option', { name: /Video: first steps/ }).waitFor();
    await screenshotWidths(page, 'macro-picker');
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'hidden' });
    const filled = `Hello Casey Customer, about ticket #${ticket.number}: please reload the page. — Lee L1`;
    await expect.poll(() => reply.inputValue()).toBe(filled);
    // The macro's tag reached the ticket through the ticket service (and its timeline).
    await expect
      .poll(async () => (await e2e.apiOk<TicketView>(agent.login.token, `/api/tickets/${ticket.id}`)).tags)
      .toEqual(['video']);
    expect(await messages(agent.login.token, ticket.id)).toHaveLength(0);
    await screenshotWidths(page, 'macro-inserted');

    await reply.press('Shift+Enter');
    await reply.pressSequentially('Tell me if it helps.');
    await expect.poll(() => reply.inputValue()).toBe(`${filled}\nTell me if it helps.`);
    expect(await messages(agent.login.token, ticket.id)).toHaveLength(0);
    await reply.press('Enter');
    await expect.poll(() => reply.inputValue()).toBe('');
    await expect
      .poll(async () => (await messages(agent.login.token, ticket.id)).map((m) => m.body))
      .toEqual([`${filled}\nTell me if it helps.`]);
    await page.getByText('Tell me if it helps.').first().waitFor();
  });

  it('Ctrl+/ opens the picker in Chinese too, and the customer’s composer sends with Enter', async () => {
    const { page } = agent;
    await useLanguage(page, 'zh-CN');
    try {
      const reply = page.getByRole('textbox', { name: '回复' });
      await reply.click();
      await page.keyboard.press('Control+/');
      const picker = page.getByRole('dialog', { name: '插入快捷回复' });
      await picker.waitFor();
      await screenshotWidths(page, 'macro-picker-zh-CN');
      await page.keyboard.press('Escape');
      await picker.waitFor({ state: 'hidden' });
    } finally {
      await useLanguage(page, 'en');
    }

    await customer.page.goto(`${e2e.url}/tickets/${ticket.id}`);
    // The customer sees the urgency they chose.
    await customer.page.getByTestId('my-urgency').getByText('Urgency: High').waitFor();
    const box = customer.page.getByRole('textbox', { name: 'Your message' });
    await box.click();
    await box.pressSequentially('It works now');
    await box.press('Shift+Enter');
    await box.pressSequentially('thank you');
    await box.press('Enter');
    await expect.poll(() => box.inputValue()).toBe('');
    await expect
      .poll(async () => (await messages(customer.login.token, ticket.id)).map((m) => m.body))
      .toContain('It works now\nthank you');
  });

  it('a ticked playbook step appears on the timeline', async () => {
    const { page } = agent;
    await page.goto(`${e2e.url}/tickets/${ticket.id}`);
    const playbook = page.getByRole('region', { name: 'Playbook: Cannot watch the course video' });
    await playbook.waitFor();
    // The environment step shows the snapshot's browser and network.
    await playbook.getByText('Chrome 126').waitFor();
    // click(), not check(): check() asserts the state right after the click, before the checklist's
    // answer; what must follow is the timeline entry and the count below.
    await playbook
      .getByRole('checkbox', { name: 'Acknowledge the problem and tell the customer you are on it' })
      .click();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline
      .getByText(
        'Lee L1 completed the playbook step “Acknowledge the problem and tell the customer you are on it”',
      )
      .waitFor();
    await playbook.getByText('1 of 5 done').waitFor();
    await page.getByTestId('customer-urgency').getByText('High').waitFor();
    await screenshotWidths(page, 'playbook-ticked');
    await useLanguage(page, 'zh-CN');
    try {
      await page.getByRole('region', { name: '操作手册：无法观看课程视频' }).waitFor();
      await page.getByText('Lee L1 完成了操作步骤“确认问题，告诉客户正在处理”').first().waitFor();
      await screenshotWidths(page, 'playbook-zh-CN');
    } finally {
      await useLanguage(page, 'en');
    }
  });

  it('the macros and playbooks pages and the new-ticket urgency render at both widths', async () => {
    await agent.page.goto(`${e2e.url}/macros`);
    await agent.page.getByRole('heading', { name: 'Macros', level: 1 }).waitFor();
    await agent.page.getByText('Video: first steps').waitFor();
    await screenshotWidths(agent.page, 'macros-page');
    const admin = await e2e.signedIn(DEMO.admin, '/playbooks');
    await admin.page.getByRole('heading', { name: 'Customer urgency' }).waitFor();
    await screenshotWidths(admin.page, 'playbooks-page');
    await admin.page.getByTestId('playbook-course').getByRole('button', { name: 'Edit' }).click();
    await admin.page.getByRole('dialog').getByText('Step 5').waitFor();
    await screenshotWidths(admin.page, 'playbook-edit');
    await customer.page.goto(`${e2e.url}/tickets/new`);
    await customer.page.getByRole('radio', { name: 'Urgent' }).waitFor();
    await screenshotWidths(customer.page, 'new-ticket-urgency');
    await useLanguage(customer.page, 'zh-CN');
    try {
      await customer.page.getByRole('radio', { name: '紧急' }).waitFor();
      await screenshotWidths(customer.page, 'new-ticket-urgency-zh-CN');
    } finally {
      await useLanguage(customer.page, 'en');
    }
  });
});
