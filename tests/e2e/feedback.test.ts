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
});
