import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../signaling/shared/protocol';
import { apiLogin, screenshot } from '../helpers/browser';
import { e2eSuite } from '../helpers/e2e';
import { DEMO } from '../helpers/testApp';

// New work the agent cannot miss, and presence that follows the person, in Chromium against the
// real server: a customer writes while the agent's tab shows another page; the agent goes idle
// and comes back; closing the tab makes them offline. A short idle time (3 s) stands in for 5 min.
const e2e = e2eSuite({ env: { PRESENCE_IDLE_SECONDS: '3' } });

describe('notifications and presence', () => {
  it('shows a toast, the unread badges and the title count when a customer writes, and clears them on reading', async () => {
    const customer = await apiLogin(e2e.url, DEMO.customer);
    const ticket = await e2e.newTicket(customer.token, 'The certificate page stays blank');
    const { page: agent, login, context } = await e2e.signedIn(DEMO.agentL1, '/');
    // Taking the ticket makes it the agent's; the agent then moves on to another page.
    await e2e.apiOk(login.token, `/api/tickets/${ticket.id}/claim`, { method: 'POST', body: '{}' });
    await e2e.apiOk(login.token, `/api/tickets/${ticket.id}/read`, { method: 'PUT', body: '{}' });
    await agent.goto(`${e2e.url}/settings`);
    await agent.getByRole('heading', { name: 'Notifications' }).waitFor();
    await expect.poll(() => agent.title()).toBe('Settings · Livedesk');

    await e2e.apiOk<MessageView>(customer.token, `/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      body: JSON.stringify({ body: 'Hello? The page is still blank.', clientMessageId: 'e2e-notify-1' }),
    });
    const toast = agent.getByRole('status').filter({ hasText: 'New message from' });
    await toast.waitFor();
    expect(await toast.textContent()).toContain('The page is still blank');
    await expect.poll(() => agent.title()).toBe('(1) Settings · Livedesk');
    await agent.locator('[data-unread-total="1"]').waitFor();
    await screenshot(agent, 'notify-toast-settings');

    // Back on the queue: the ticket's row and its tab carry the badge.
    await agent.goto(`${e2e.url}/?queue=mine`);
    const row = agent.locator(`[data-ticket-id="${ticket.id}"]`);
    await row.locator('[data-unread="1"]').waitFor();
    await agent.getByRole('tab', { name: /Mine/ }).locator('[data-unread-tickets="1"]').waitFor();
    // Explained first, never asked on load: the card on the queues waits for a click.
    await agent.getByRole('region', { name: 'Get notified while Livedesk is in the background?' }).waitFor();
    await screenshot(agent, 'notify-queue-badges');

    // It survives a reload (the server keeps the read marker), and opening the ticket reads it.
    await agent.reload();
    await row.locator('[data-unread="1"]').waitFor();
    await row.getByRole('link', { name: 'The certificate page stays blank' }).click();
    await agent.getByText('Hello? The page is still blank.').waitFor();
    await expect.poll(() => agent.title()).not.toMatch(/^\(\d+\)/);
    const unreadIds = async () =>
      (await e2e.apiOk<{ tickets: Array<{ ticketId: string }> }>(login.token, '/api/me/unread')).tickets.map(
        (t) => t.ticketId,
      );
    await expect.poll(unreadIds).not.toContain(ticket.id);
    await context.close();
  });

  it('shows the agent away after the idle time, online again on activity, and offline when the tab closes', async () => {
    const { page: supervisor } = await e2e.signedIn(DEMO.supervisor, '/');
    const agents = supervisor.getByRole('table', { name: 'Agents' });
    const lee = agents.getByRole('row').filter({ hasText: 'Lee L1' });
    await lee.locator('[data-presence="offline"]').waitFor();

    const { page: agent, context } = await e2e.signedIn(DEMO.agentL1, '/');
    await agent.getByRole('heading', { name: 'Agent console' }).waitFor();
    await lee.locator('[data-presence="online"]').waitFor();
    // Nobody touches the agent's tab: after the idle time the supervisor sees them away.
    await lee.locator('[data-presence="away"]').waitFor({ timeout: 20_000 });
    await screenshot(supervisor, 'presence-away');
    // A key press in the agent's tab brings them back at once.
    await agent.bringToFront();
    await agent.mouse.move(200, 200);
    await agent.mouse.move(260, 240);
    await agent.keyboard.press('Shift');
    await lee.locator('[data-presence="online"]').waitFor();
    // The agent closes the tab: no connection left, offline.
    await context.close();
    await lee.locator('[data-presence="offline"]').waitFor();
  });

  it('reads in Chinese and fits a phone: settings, the permission card, the agents’ presence', async () => {
    const { page } = await e2e.signedIn(DEMO.supervisor, '/settings');
    await page.evaluate(() => localStorage.setItem('livedesk.language', 'zh-CN'));
    await page.reload();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await page.getByRole('heading', { name: '通知' }).waitFor();
    await page.getByRole('checkbox', { name: '我的工单的 SLA 预警和超时' }).waitFor();
    for (const width of [390, 1440]) {
      await page.setViewportSize({ width, height: 844 });
      // Nothing wider than the screen on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await screenshot(page, `settings-zh-CN-${width}`);
    }
    await page.goto(`${e2e.url}/`);
    await page.getByRole('region', { name: 'Livedesk 在后台时也通知你？' }).waitFor();
    await page.getByRole('table', { name: '客服' }).or(page.getByText('在线状态').first()).first().waitFor();
    await screenshot(page, 'agents-presence-zh-CN-1440');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'agents-presence-zh-CN-390');
  });
});
