import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleTaskView } from '../../signaling/shared/help';
import type { TicketView } from '../../signaling/shared/protocol';
import { BACKENDS } from '../helpers/database';
import { ManualClock } from '../helpers/manualClock';
import { eventually, record, socketPool } from '../helpers/sockets';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

const HOUR = 3_600_000;

// An article task that passes its deadline undone tells its agent and the supervisors once,
// through the notification path (a `notify` of kind `article_task`); time moves on a manual clock.
describe.each(BACKENDS)('overdue article tasks on %s', (backend) => {
  let t: TestApp;
  const clock = new ManualClock();
  const tokens: Record<string, string> = {};
  const api = restAs(() => t.url, tokens);
  const { open, socketFor } = socketPool(
    () => t.url,
    (who) => tokens[who] ?? who,
  );

  beforeAll(async () => {
    t = await startTestApp({ backend, clock });
    for (const [key, email] of Object.entries(DEMO)) tokens[key] = await login(t.url, email);
  });
  afterAll(async () => {
    for (const socket of open) socket.close();
    await t?.close();
  });

  async function solvedWithTask(subject: string, category: string) {
    const created = await api<TicketView>('customer', '/api/tickets', {
      method: 'POST',
      body: { subject, description: 'It does not work.', category },
    });
    expect(created.status).toBe(201);
    expect((await api('agentL1', `/api/tickets/${created.body.id}/claim`, { method: 'POST' })).status).toBe(
      200,
    );
    expect(
      (
        await api('agentL1', `/api/tickets/${created.body.id}`, {
          method: 'PATCH',
          body: { status: 'solved' },
        })
      ).status,
    ).toBe(200);
    await expect
      .poll(async () =>
        (await api<{ items: ArticleTaskView[] }>('agentL1', '/api/help/tasks')).body.items.map(
          (x) => x.ticket.id,
        ),
      )
      .toContain(created.body.id);
    return created.body;
  }

  it('notifies the agent and the supervisors once when a task goes overdue', async () => {
    const published: string[] = [];
    t.app.bus.on('article_task.overdue', ({ ticketId }) => void published.push(ticketId));
    const first = await solvedWithTask('Certificate is missing', 'course');

    // A minute before the deadline nothing is told.
    clock.advance(48 * HOUR - 60_000);
    await t.app.help.overdueTasks.sweep();
    expect(published).toEqual([]);
    // Two days on the clock ended everyone's sessions: sign in again and listen.
    for (const key of ['customer', 'agentL1', 'agentL2', 'supervisor'] as const)
      tokens[key] = await login(t.url, DEMO[key]);
    const atLee = record(await socketFor('agentL1'), 'notify');
    const atSam = record(await socketFor('agentL2'), 'notify');
    const atBoss = record(await socketFor('supervisor'), 'notify');
    const overdue = (list: typeof atLee, ticketId: string) =>
      list.filter((n) => n.kind === 'article_task' && n.ticketId === ticketId);

    clock.advance(61_000);
    await eventually(() => overdue(atLee, first.id).length === 1, 'the agent told of the overdue task');
    await eventually(() => overdue(atBoss, first.id).length === 1, 'the supervisor told of it');
    expect(overdue(atLee, first.id)[0]).toMatchObject({ ticketNumber: first.number, subject: first.subject });

    // Once: later sweeps (and a later task going overdue) do not tell of it again.
    const second = await solvedWithTask('Video does not play', 'technical');
    clock.advance(49 * HOUR);
    await t.app.help.overdueTasks.sweep();
    await t.app.help.overdueTasks.sweep();
    expect(published).toEqual([first.id, second.id]);
    expect(overdue(atLee, first.id)).toHaveLength(1);
    // Another agent is not told of tasks that are not theirs.
    expect(atSam.filter((n) => n.kind === 'article_task')).toEqual([]);
  });
});
