import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleTaskView, ArticleView, DeflectionStats } from '../../signaling/shared/help';
import type { TicketView } from '../../signaling/shared/protocol';
import { BACKENDS } from '../helpers/database';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

// From solution to article, deflection counting and article images over the real REST API: a solved
// ticket opens an article task for its agent, done by publishing an article of its category or by
// writing one from the ticket; the deflection rate from form sessions; image uploads checked.
describe.each(BACKENDS)('help centre tasks, deflection and images on %s', (backend) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const api = restAs(() => t.url, tokens);

  beforeAll(async () => {
    t = await startTestApp({ backend });
    for (const [key, email] of Object.entries(DEMO)) tokens[key] = await login(t.url, email);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function solvedTicket(subject: string, category: string) {
    const created = await api<TicketView>('customer', '/api/tickets', {
      method: 'POST',
      body: { subject, description: 'It does not work.', category },
    });
    expect(created.status).toBe(201);
    expect((await api('agentL1', `/api/tickets/${created.body.id}/claim`, { method: 'POST' })).status).toBe(
      200,
    );
    const solved = await api('agentL1', `/api/tickets/${created.body.id}`, {
      method: 'PATCH',
      body: { status: 'solved' },
    });
    expect(solved.status).toBe(200);
    return created.body;
  }

  async function openTaskTicketIds(who: string) {
    const res = await api<{ items: ArticleTaskView[] }>(who, '/api/help/tasks');
    expect(res.status).toBe(200);
    return res.body.items.map((task) => task.ticket.id);
  }

  it('opens an article task when a solved ticket has no article in its category, visible to its agent and supervisors', async () => {
    const ticket = await solvedTicket('Payment page shows an error', 'payment');
    await expect.poll(() => openTaskTicketIds('agentL1')).toContain(ticket.id);
    expect(await openTaskTicketIds('supervisor')).toContain(ticket.id);
    // Another agent does not see it as theirs; customers and QA have no task list.
    expect(await openTaskTicketIds('agentL2')).not.toContain(ticket.id);
    expect((await api('customer', '/api/help/tasks')).status).toBe(403);
    const task = (await api<{ items: ArticleTaskView[] }>('supervisor', '/api/help/tasks')).body.items.find(
      (x) => x.ticket.id === ticket.id,
    )!;
    // Due 48 hours (the default) after the solution.
    expect(new Date(task.dueAt).getTime() - new Date(task.createdAt).getTime()).toBe(48 * 3_600_000);

    // Publishing an article of the category does it.
    const published = await api<ArticleView>('supervisor', '/api/help/articles', {
      method: 'POST',
      body: {
        title: 'Errors on the payment page',
        body: 'Reload and try again.',
        locale: 'en',
        status: 'published',
        category: 'payment',
      },
    });
    expect(published.status).toBe(201);
    expect(await openTaskTicketIds('agentL1')).not.toContain(ticket.id);
    const done = await api<{ items: ArticleTaskView[] }>('supervisor', '/api/help/tasks?state=done');
    expect(done.body.items.find((x) => x.ticket.id === ticket.id)?.doneReason).toBe('published');

    // A category that is covered now opens no new task.
    const second = await solvedTicket('Another payment question', 'payment');
    const other = await solvedTicket('Certificate missing', 'course');
    await expect.poll(() => openTaskTicketIds('supervisor')).toContain(other.id);
    expect(await openTaskTicketIds('supervisor')).not.toContain(second.id);
  });

  it('writes a draft from a ticket, linked to it, which does its task', async () => {
    const ticket = await solvedTicket('Microphone is silent in calls', 'technical');
    await expect.poll(() => openTaskTicketIds('agentL1')).toContain(ticket.id);
    expect(
      (await api('customer', `/api/help/tickets/${ticket.id}/article`, { method: 'POST', body: {} })).status,
    ).toBe(403);
    const draft = await api<ArticleView>('agentL1', `/api/help/tickets/${ticket.id}/article`, {
      method: 'POST',
      body: { locale: 'zh-CN' },
    });
    expect(draft.status).toBe(201);
    expect(draft.body.status).toBe('draft');
    expect(draft.body.locale).toBe('zh-CN');
    expect(draft.body.title).toBe('Microphone is silent in calls');
    expect(draft.body.body).toContain('## 问题');
    expect(draft.body.body).toContain('It does not work.');
    expect(draft.body.tickets.map((x) => x.id)).toEqual([ticket.id]);
    expect(await openTaskTicketIds('agentL1')).not.toContain(ticket.id);
    const linked = await api<{ items: Array<{ id: string }> }>(
      'qa',
      `/api/help/tickets/${ticket.id}/articles`,
    );
    expect(linked.body.items.map((a) => a.id)).toEqual([draft.body.id]);
    // A draft is not public.
    expect((await fetch(`${t.url}/api/help/public/articles/${draft.body.id}`)).status).toBe(404);
  });

  it('counts a form session that opened an article and never submitted as deflected', async () => {
    const article = await api<ArticleView>('supervisor', '/api/help/articles', {
      method: 'POST',
      body: {
        title: 'Changing your password',
        body: 'Profile → Security.',
        locale: 'en',
        status: 'published',
        category: 'account',
      },
    });
    const event = (sessionId: string, kind: string, articleIds: string[] = []) =>
      fetch(`${t.url}/api/help/deflection/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId, kind, articleIds }),
      }).then((r) => r.status);
    const id = article.body.id;
    // Deflected: shown, opened, left.
    expect(await event('session-deflected', 'shown', [id])).toBe(201);
    expect(await event('session-deflected', 'opened', [id])).toBe(201);
    // Submitted anyway.
    await event('session-anyway', 'shown', [id]);
    await event('session-anyway', 'opened', [id]);
    await event('session-anyway', 'submitted');
    // Shown only.
    await event('session-ignored', 'shown', [id]);
    expect(await event('bad id!', 'shown', [id])).toBe(400);
    expect(await event('session-bad-kind', 'clicked', [id])).toBe(400);

    const stats = await api<DeflectionStats>('supervisor', '/api/help/deflection/stats');
    expect(stats.status).toBe(200);
    expect(stats.body).toEqual({
      sessionsShown: 3,
      sessionsOpened: 2,
      submittedAnyway: 1,
      deflected: 1,
      rate: 1 / 3,
    });
    expect((await api('agentL1', '/api/help/deflection/stats')).status).toBe(403);
    expect((await api('customer', '/api/help/deflection/stats')).status).toBe(403);
  });

  it('takes article images from authors only, checks their content, and serves them publicly', async () => {
    const upload = (who: string | null, type: string, data: Buffer) =>
      fetch(`${t.url}/api/help/images`, {
        method: 'POST',
        headers: { 'content-type': type, ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}) },
        body: new Uint8Array(data),
      });
    expect((await upload(null, 'image/png', PNG)).status).toBe(401);
    expect((await upload('customer', 'image/png', PNG)).status).toBe(403);
    expect((await upload('agentL1', 'image/png', Buffer.from('not a png'))).status).toBe(400);
    expect((await upload('agentL1', 'image/svg+xml', Buffer.from('<svg/>'))).status).toBe(400);
    const res = await upload('agentL1', 'image/png', PNG);
    expect(res.status).toBe(201);
    const { url } = (await res.json()) as { url: string };
    const image = await fetch(`${t.url}${url}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);
  });
});
