import { describe, expect, it } from 'vitest';
import type { FollowUpView } from '../../signaling/shared/feedback';
import type { TicketView } from '../../signaling/shared/protocol';
import { expectAccessible } from '../helpers/axe';
import { apiLogin, screenshot } from '../helpers/browser';
import { e2eSuite } from '../helpers/e2e';
import { DEMO } from '../helpers/testApp';

// The low-score loop as people live it: a customer opens their solved ticket, is asked how it went
// and gives it a 1 with a comment; a supervisor finds the follow-up in their queue and closes it
// with a note of what was done. The customer rates with the keyboard only; axe-core checks the
// prompt and the queue; the queue is read on a phone.
const e2e = e2eSuite();

describe('feedback: a low CSAT is followed up', () => {
  it('asks the customer on their solved ticket, and the supervisor closes the follow-up with a note', async () => {
    const customerLogin = await apiLogin(e2e.url, DEMO.customer);
    const agentLogin = await apiLogin(e2e.url, DEMO.agentL1);
    const ticket = await e2e.newTicket(customerLogin.token, 'My certificate shows the wrong course');
    await e2e.apiOk(agentLogin.token, `/api/tickets/${ticket.id}/claim`, { method: 'POST' });
    await e2e.apiOk<TicketView>(agentLogin.token, `/api/tickets/${ticket.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'solved' }),
    });

    // Opening the solved ticket, the customer is asked at once.
    const { page: customer } = await e2e.signedIn(customerLogin, `/tickets/${ticket.id}`, {
      bypassCSP: true,
    });
    const prompt = customer.getByRole('dialog', {
      name: `Ticket #${ticket.number} is solved: how did we do?`,
    });
    await prompt.waitFor();
    await screenshot(customer, 'feedback-csat-prompt');
    await expectAccessible(customer, 'the CSAT prompt');
    // Keyboard only: from the dialog's close button, Tab reaches the scores (Space picks 1), then the
    // comment, then Send.
    await prompt.getByRole('button', { name: 'Dismiss' }).focus();
    await customer.keyboard.press('Tab');
    await customer.keyboard.press('Space');
    await prompt.getByRole('radio', { name: '1', checked: true }).waitFor({ state: 'attached' });
    await customer.keyboard.press('Tab');
    await customer.keyboard.type('Still the wrong course after a week');
    await customer.keyboard.press('Tab');
    await customer.keyboard.press('Enter');
    await prompt.waitFor({ state: 'hidden' });
    await customer.getByText('You rated this ticket 1 of 5. Thank you!').waitFor();

    // The supervisor goes to the follow-up queue from the header.
    const { page: supervisor } = await e2e.signedIn(DEMO.supervisor, '/', { bypassCSP: true });
    await supervisor
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Follow-ups' })
      .click();
    await supervisor.getByRole('heading', { name: 'Low-score follow-ups' }).waitFor();
    const item = supervisor.getByRole('listitem').filter({ hasText: ticket.subject });
    await item.getByText('Ticket rated 1').waitFor();
    await item.getByText('Still the wrong course after a week').waitFor();
    await item.getByText('Open', { exact: true }).waitFor();
    await screenshot(supervisor, 'feedback-follow-ups');
    await expectAccessible(supervisor, 'the follow-up queue');
    // On a phone the row keeps its state and its Close button on screen, with nothing to scroll sideways.
    await supervisor.setViewportSize({ width: 390, height: 844 });
    await item.getByRole('button', { name: 'Close with a note' }).waitFor();
    expect(await supervisor.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(supervisor, 'feedback-follow-ups-390');

    await item.getByRole('button', { name: 'Close with a note' }).click();
    const dialog = supervisor.getByRole('dialog', { name: `Close the follow-up of #${ticket.number}` });
    await dialog
      .getByRole('textbox', { name: 'What was done' })
      .fill('Called the customer; reissued the certificate');
    await dialog.getByRole('button', { name: 'Close with a note' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await item.waitFor({ state: 'detached' });

    await supervisor
      .locator('label')
      .filter({ hasText: /^Closed$/ })
      .click();
    await supervisor.getByRole('radio', { name: 'Closed', checked: true }).waitFor({ state: 'attached' });
    const closed = supervisor.getByRole('listitem').filter({ hasText: ticket.subject });
    await closed.getByText(/Closed by .* — Called the customer; reissued the certificate/).waitFor();

    const stored = await e2e.apiOk<{ items: FollowUpView[] }>(
      (await apiLogin(e2e.url, DEMO.supervisor)).token,
      `/api/feedback/follow-ups?state=closed&ticketId=${ticket.id}`,
    );
    expect(stored.items).toMatchObject([
      {
        score: 1,
        note: 'Called the customer; reissued the certificate',
        closedBy: { name: expect.any(String) },
      },
    ]);
  });

  it('rates a solved ticket from the mailed survey link without signing in, once; a used or forged link says so', async () => {
    const customerLogin = await apiLogin(e2e.url, DEMO.customer);
    const agentLogin = await apiLogin(e2e.url, DEMO.agentL1);
    const ticket = await e2e.newTicket(customerLogin.token, 'The invoice shows the wrong name');
    await e2e.apiOk<TicketView>(agentLogin.token, `/api/tickets/${ticket.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'solved' }),
    });
    // The link the mail carries, issued as CustomerMail does for an away customer (after its own
    // mail for this solve: a newer link for the ticket withdraws the older one).
    await e2e.testApp.app.customerMail.idle();
    const token = await e2e.testApp.app.feedback.surveyLinks.issue(customerLogin.user.id, ticket.id);

    const context = await e2e.context({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    const page = e2e.watch(await context.newPage());
    await page.goto(`${e2e.url}/rate#${token}`);
    await page
      .getByText(`Ticket #${ticket.number} “${ticket.subject}” was solved. No sign-in needed.`)
      .waitFor();
    await screenshot(page, 'survey-1440-en');
    await expectAccessible(page, 'the survey page');
    // A reload of the open page keeps the survey (the link itself is used up).
    await page.reload();
    await page.locator('[data-score-choice="survey-csat"] label').filter({ hasText: /^4$/ }).click();
    await page.getByRole('radio', { name: '4', checked: true }).waitFor({ state: 'attached' });
    await page.getByRole('textbox', { name: 'Comment (optional)' }).fill('Fixed quickly, thank you');
    await page.getByRole('button', { name: 'Send rating' }).click();
    await page.getByTestId('survey-thanks').getByText('You rated this ticket 4 of 5. Thank you!').waitFor();
    const state = await e2e.apiOk<{ rating: { score: number; comment: string } }>(
      customerLogin.token,
      `/api/tickets/${ticket.id}/csat`,
    );
    expect(state.rating).toMatchObject({ score: 4, comment: 'Fixed quickly, thank you' });

    // The same link in another browser (a forwarded mail): used, said plainly, sign-in offered.
    const other = e2e.watch(await (await e2e.context()).newPage());
    await other.goto(`${e2e.url}/rate#${token}`);
    await other.getByRole('alert').getByText('This link was already used').waitFor();
    await other.getByRole('link', { name: 'Sign in to rate the ticket' }).waitFor();
    await screenshot(other, 'survey-used-en');
    await other.goto(`${e2e.url}/rate#${'A'.repeat(43)}`);
    await other.reload();
    await other.getByRole('alert').getByText('This link is not valid.').waitFor();

    // The page in Chinese and on a phone (a fresh link: each opens once).
    for (const [language, width] of [
      ['zh-CN', 1440],
      ['zh-CN', 390],
      ['en', 390],
    ] as const) {
      const fresh = await e2e.testApp.app.feedback.surveyLinks.issue(customerLogin.user.id, ticket.id);
      const shot = e2e.watch(await (await e2e.context({ viewport: { width, height: 844 } })).newPage());
      await shot.addInitScript((lang) => window.localStorage.setItem('livedesk.language', lang), language);
      await shot.goto(`${e2e.url}/rate#${fresh}`);
      await shot.getByRole('button', { name: language === 'en' ? 'Save change' : '保存修改' }).waitFor();
      expect(await shot.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(width);
      await screenshot(shot, `survey-${width}-${language}`);
    }
  });
});
