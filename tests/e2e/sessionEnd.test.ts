import { describe, expect, it } from 'vitest';
import { apiLogin } from '../helpers/browser';
import { e2eSuite } from '../helpers/e2e';
import { DEMO, DEMO_PASSWORD } from '../helpers/testApp';

const e2e = e2eSuite();

describe('a session the server ends', () => {
  it('signs out a page whose account an admin disables, within seconds, and says why', async () => {
    const page = e2e.watch(await (await e2e.context()).newPage());
    // Signed in through the form, as a person does: the browser holds the session cookie too.
    await page.goto(`${e2e.url}/login`);
    await page.getByLabel('Email').fill(DEMO.agentL2);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('status').filter({ hasText: 'Connected' }).first().waitFor();

    const admin = await apiLogin(e2e.url, DEMO.admin);
    const agents = await e2e.apiOk<{ items: Array<{ id: string; email: string }> }>(
      admin.token,
      '/api/users?role=agent',
    );
    const id = agents.items.find((u) => u.email === DEMO.agentL2)!.id;
    await e2e.apiOk(admin.token, `/api/users/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ disabled: true }),
    });

    // No reload, no click: the server ends the live connection and the page follows.
    await page.getByText('Your session has ended').waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.evaluate(() => localStorage.getItem('livedesk.session'))).toBeNull();
  });
});
