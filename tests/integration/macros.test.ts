import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FollowUpView } from '../../signaling/shared/feedback';
import type {
  MacroApplication,
  MacroView,
  PlaybookView,
  TicketPlaybookView,
  UrgencyRule,
} from '../../signaling/shared/macros';
import type { PublicUser, TicketView, TimelineEntry } from '../../signaling/shared/protocol';
import { BACKENDS } from '../helpers/database';
import { ManualClock } from '../helpers/manualClock';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

const HOUR = 3_600_000;

// The agent's workspace over the REST API: macros (who sees and edits which, placeholder
// validation, inserting one fills it in the customer's language and applies its ticket changes
// under the ticket's access rules), playbooks (admin-only editing, ticked steps on the timeline,
// the follow-up a solved ticket schedules), the customer's urgency and the admin's rule, and the
// composer preference.
describe.each(BACKENDS)('macros, playbooks and urgency on %s', (backend) => {
  let t: TestApp;
  const clock = new ManualClock();
  const tokens: Record<string, string> = {};
  const api = restAs(() => t.url, tokens);

  beforeAll(async () => {
    t = await startTestApp({ backend, clock });
    for (const [who, email] of Object.entries(DEMO)) tokens[who] = await login(t.url, email);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function openTicket(body: Record<string, unknown> = {}, who = 'customer') {
    const res = await api<TicketView>(who, '/api/tickets', {
      method: 'POST',
      body: {
        subject: 'The course video stays black',
        description: 'It never starts.',
        category: 'course',
        ...body,
      },
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function timelineTypes(ticketId: string) {
    const res = await api<{ items: TimelineEntry[] }>('supervisor', `/api/tickets/${ticketId}/timeline`);
    expect(res.status).toBe(200);
    return res.body.items;
  }

  describe('macros', () => {
    it('keeps personal macros private to their owner and shared ones editable by supervisors and admins only', async () => {
      const personal = await api<MacroView>('agentL1', '/api/macros', {
        method: 'POST',
        body: { scope: 'personal', title: 'My greeting', bodies: { en: 'Hi {{customer.firstName}}' } },
      });
      expect(personal.status).toBe(201);
      expect(personal.body).toMatchObject({ scope: 'personal', editable: true, owner: { name: 'Lee L1' } });

      // Another agent neither lists, reads, changes nor deletes it (404: it does not exist for them).
      const l2List = await api<{ items: MacroView[] }>('agentL2', '/api/macros');
      expect(l2List.body.items.map((m) => m.id)).not.toContain(personal.body.id);
      expect((await api('agentL2', `/api/macros/${personal.body.id}`)).status).toBe(404);
      expect(
        (await api('agentL2', `/api/macros/${personal.body.id}`, { method: 'PATCH', body: { title: 'x' } }))
          .status,
      ).toBe(404);
      expect((await api('supervisor', `/api/macros/${personal.body.id}`, { method: 'DELETE' })).status).toBe(
        404,
      );

      // An agent cannot write a shared macro; a supervisor can, and every agent sees it, read-only.
      const refused = await api('agentL1', '/api/macros', {
        method: 'POST',
        body: { scope: 'shared', title: 'Team', bodies: { en: 'Hello' } },
      });
      expect(refused.status).toBe(403);
      const shared = await api<MacroView>('supervisor', '/api/macros', {
        method: 'POST',
        body: {
          scope: 'shared',
          title: 'Video: ask for a reload',
          bodies: { en: 'Please reload', 'zh-CN': '请刷新' },
        },
      });
      expect(shared.status).toBe(201);
      const agentView = await api<{ items: MacroView[] }>('agentL1', '/api/macros?q=reload');
      expect(agentView.body.items.map((m) => [m.id, m.editable])).toEqual([[shared.body.id, false]]);
      const edit = await api('agentL1', `/api/macros/${shared.body.id}`, {
        method: 'PATCH',
        body: { title: 'Mine now' },
      });
      expect(edit.status).toBe(403);
      expect((await api('agentL1', `/api/macros/${shared.body.id}`, { method: 'DELETE' })).status).toBe(403);
      expect((await api<MacroView>('agentL1', `/api/macros/${shared.body.id}`)).body.title).toBe(
        'Video: ask for a reload',
      );
      const adminEdit = await api<MacroView>('admin', `/api/macros/${shared.body.id}`, {
        method: 'PATCH',
        body: { title: 'Video: reload first' },
      });
      expect(adminEdit.status).toBe(200);
      expect(adminEdit.body.title).toBe('Video: reload first');

      // QA reviewers and customers do not reply, so they have no macros.
      expect((await api('qa', '/api/macros')).status).toBe(403);
      expect((await api('customer', '/api/macros')).status).toBe(403);

      expect((await api('agentL1', `/api/macros/${personal.body.id}`, { method: 'DELETE' })).status).toBe(
        200,
      );
      expect((await api('agentL1', `/api/macros/${personal.body.id}`)).status).toBe(404);
    });

    it('audits every change to a shared macro with before and after; personal ones are not audited', async () => {
      const audit = async (query: string) => {
        const res = await api<{ items: Array<Record<string, any>>; total: number }>(
          'admin',
          `/api/admin/audit?targetType=macro&${query}`,
        );
        expect(res.status).toBe(200);
        return res.body;
      };
      const created = await api<MacroView>('supervisor', '/api/macros', {
        method: 'POST',
        body: { scope: 'shared', title: 'Refund: timing', bodies: { en: 'Refunds take 5 days.' } },
      });
      expect(created.status).toBe(201);
      const id = created.body.id;
      const [creation] = (await audit(`targetId=${id}&action=macro.created`)).items;
      expect(creation).toMatchObject({
        action: 'macro.created',
        actor: { name: 'Sam Supervisor' },
        before: null,
        after: { title: 'Refund: timing', bodies: { en: 'Refunds take 5 days.' } },
      });
      const edited = await api('admin', `/api/macros/${id}`, {
        method: 'PATCH',
        body: { title: 'Refund: how long', bodies: { en: 'Refunds take 5 days.', 'zh-CN': '退款需要5天。' } },
      });
      expect(edited.status).toBe(200);
      const [update] = (await audit(`targetId=${id}&action=macro.updated`)).items;
      expect(update).toMatchObject({
        before: { title: 'Refund: timing', bodies: { en: 'Refunds take 5 days.' } },
        after: { title: 'Refund: how long', bodies: { 'zh-CN': '退款需要5天。' } },
      });
      expect((await api('supervisor', `/api/macros/${id}`, { method: 'DELETE' })).status).toBe(200);
      const [deletion] = (await audit(`targetId=${id}&action=macro.deleted`)).items;
      expect(deletion).toMatchObject({ before: { title: 'Refund: how long' }, after: null });
      expect((await audit(`targetId=${id}`)).total).toBe(3);

      // A refused change writes nothing; an agent's personal macro is theirs alone, not audited.
      const refused = await api('agentL1', '/api/macros', {
        method: 'POST',
        body: { scope: 'shared', title: 'Not mine to share', bodies: { en: 'x' } },
      });
      expect(refused.status).toBe(403);
      const personal = await api<MacroView>('agentL1', '/api/macros', {
        method: 'POST',
        body: { scope: 'personal', title: 'My sign-off', bodies: { en: 'Cheers' } },
      });
      expect(personal.status).toBe(201);
      expect((await audit(`targetId=${personal.body.id}`)).total).toBe(0);
    });

    it('refuses unknown placeholders and empty bodies with a 400 naming the field, and stores nothing', async () => {
      const before = (await api<{ items: MacroView[] }>('agentL1', '/api/macros')).body.items.length;
      const bad = await api<{ error: { code: string; details: Array<{ path: string; message: string }> } }>(
        'agentL1',
        '/api/macros',
        {
          method: 'POST',
          body: { scope: 'personal', title: 'Oops', bodies: { en: 'Hi {{customer.nmae}}' } },
        },
      );
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('bodies.en');
      expect(JSON.stringify(bad.body)).toContain('{{customer.nmae}}');
      const empty = await api('agentL1', '/api/macros', {
        method: 'POST',
        body: { scope: 'personal', title: 'Empty', bodies: { en: '  ' } },
      });
      expect(empty.status).toBe(400);
      const badAction = await api('agentL1', '/api/macros', {
        method: 'POST',
        body: { scope: 'personal', title: 'x', bodies: { en: 'x' }, actions: { priority: 'P9' } },
      });
      expect(badAction.status).toBe(400);
      expect((await api<{ items: MacroView[] }>('agentL1', '/api/macros')).body.items.length).toBe(before);
    });

    it("fills the placeholders in the customer's language and applies the macro's ticket changes with the ticket's access rules", async () => {
      const ticket = await openTicket({ snapshot: { language: 'zh-CN' } });
      const macro = await api<MacroView>('supervisor', '/api/macros', {
        method: 'POST',
        body: {
          scope: 'shared',
          title: 'Waiting for the customer',
          bodies: {
            en: 'Hello {{customer.name}}, ticket #{{ticket.number}} — {{agent.name}}',
            'zh-CN': '{{customer.name}} 您好，工单 #{{ticket.number}} 由 {{agent.name}} 处理',
          },
          actions: { status: 'pending', priority: 'P2', addTags: ['video'] },
        },
      });
      expect(macro.status).toBe(201);

      // An L1 agent may work an L1 ticket: the text is Chinese (the customer's browser), filled in.
      const applied = await api<MacroApplication>('agentL1', `/api/macros/${macro.body.id}/apply`, {
        method: 'POST',
        body: { ticketId: ticket.id },
      });
      expect(applied.status).toBe(200);
      expect(applied.body).toEqual({
        body: `Casey Customer 您好，工单 #${ticket.number} 由 Lee L1 处理`,
        locale: 'zh-CN',
        applied: { status: 'pending', priority: 'P2', addTags: ['video'] },
      });
      const after = (await api<TicketView>('agentL1', `/api/tickets/${ticket.id}`)).body;
      expect(after).toMatchObject({ status: 'pending', priority: 'P2', tags: ['video'] });
      const updated = (await timelineTypes(ticket.id)).filter((e) => e.type === 'ticket.updated');
      expect(updated.at(-1)).toMatchObject({
        actor: { name: 'Lee L1' },
        data: { status: { from: 'new', to: 'pending' } },
      });

      // Applying again changes nothing more (and says so).
      const again = await api<MacroApplication>('agentL1', `/api/macros/${macro.body.id}/apply`, {
        method: 'POST',
        body: { ticketId: ticket.id },
      });
      expect(again.body.applied).toEqual({});

      // Once the ticket is at L2, the L1 agent may not change it: the macro's actions are refused.
      const escalated = await api('agentL1', `/api/tickets/${ticket.id}/escalate`, {
        method: 'POST',
        body: { tier: 'L2', note: 'Needs L2' },
      });
      expect(escalated.status).toBe(200);
      const other = await api<MacroView>('supervisor', '/api/macros', {
        method: 'POST',
        body: { scope: 'shared', title: 'Close it', bodies: { en: 'Done' }, actions: { priority: 'P4' } },
      });
      const refused = await api('agentL1', `/api/macros/${other.body.id}/apply`, {
        method: 'POST',
        body: { ticketId: ticket.id },
      });
      expect(refused.status).toBe(403);
      expect((await api<TicketView>('agentL2', `/api/tickets/${ticket.id}`)).body.priority).toBe('P2');

      // A customer's ticket they cannot see is 404 for another customer's macro use too.
      const missing = await api('agentL1', `/api/macros/${macro.body.id}/apply`, {
        method: 'POST',
        body: { ticketId: '00000000-0000-4000-8000-000000000000' },
      });
      expect(missing.status).toBe(404);
    });

    it('falls back to the other language when the macro has no text in the customer’s', async () => {
      const ticket = await openTicket({ snapshot: { language: 'zh-CN' } });
      const macro = await api<MacroView>('agentL1', '/api/macros', {
        method: 'POST',
        body: { scope: 'personal', title: 'English only', bodies: { en: 'Dear {{customer.firstName}}' } },
      });
      const applied = await api<MacroApplication>('agentL1', `/api/macros/${macro.body.id}/apply`, {
        method: 'POST',
        body: { ticketId: ticket.id },
      });
      expect(applied.body).toMatchObject({ body: 'Dear Casey', locale: 'en' });
    });

    it('follows the language the customer chose with the switcher over their browser’s', async () => {
      const macro = await api<MacroView>('agentL1', '/api/macros', {
        method: 'POST',
        body: { scope: 'personal', title: 'Both', bodies: { en: 'Hello', 'zh-CN': '您好' } },
      });
      const apply = async (ticketId: string) =>
        (
          await api<MacroApplication>('agentL1', `/api/macros/${macro.body.id}/apply`, {
            method: 'POST',
            body: { ticketId },
          })
        ).body.locale;
      const chinaBrowser = await openTicket({ snapshot: { language: 'zh-CN' } });
      expect(await apply(chinaBrowser.id)).toBe('zh-CN');

      // Refused: an unknown language, extra fields, nobody signed in; nothing changes.
      const choose = (who: string, body: unknown) => api(who, '/api/me/locale', { method: 'PUT', body });
      expect((await choose('customer', { locale: 'fr' })).status).toBe(400);
      expect((await choose('customer', { locale: 'en', extra: 1 })).status).toBe(400);
      const anonymous = await fetch(`${t.url}/api/me/locale`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ locale: 'en' }),
      });
      expect(anonymous.status).toBe(401);
      expect((await api<PublicUser>('customer', '/api/auth/me')).body.localeChosen).toBe(false);

      // English chosen: it beats the Chinese browser, and every device (a new sign-in) learns it.
      const chosen = await choose('customer', { locale: 'en' });
      expect(chosen.status).toBe(200);
      expect(chosen.body).toMatchObject({ locale: 'en', localeChosen: true });
      expect(await apply(chinaBrowser.id)).toBe('en');
      const elsewhere = await login(t.url, DEMO.customer);
      const me = await fetch(`${t.url}/api/auth/me`, { headers: { authorization: `Bearer ${elsewhere}` } });
      expect(await me.json()).toMatchObject({ locale: 'en', localeChosen: true });

      expect((await choose('customer', { locale: 'zh-CN' })).status).toBe(200);
      const englishBrowser = await openTicket({ snapshot: { language: 'en-GB' } });
      expect(await apply(englishBrowser.id)).toBe('zh-CN');
    });
  });

  describe('playbooks', () => {
    const playbook = {
      title: { en: 'Payment failed', 'zh-CN': '支付失败' },
      steps: [
        { id: 'ack', text: { en: 'Acknowledge', 'zh-CN': '确认' } },
        { text: { en: 'Check the card', 'zh-CN': '检查银行卡' }, prefill: ['browser'] },
      ],
      followUpHours: 2,
    };

    it('lets admins only write playbooks, validates them, and shows them to staff', async () => {
      for (const who of ['agentL1', 'supervisor', 'qa', 'customer']) {
        const res = await api(who, '/api/playbooks/payment', { method: 'PUT', body: playbook });
        expect(res.status, who).toBe(403);
      }
      expect((await api('supervisor', '/api/playbooks/payment', { method: 'DELETE' })).status).toBe(403);
      const noSteps = await api('admin', '/api/playbooks/payment', {
        method: 'PUT',
        body: { ...playbook, steps: [] },
      });
      expect(noSteps.status).toBe(400);
      const badCategory = await api('admin', '/api/playbooks/nonsense', { method: 'PUT', body: playbook });
      expect(badCategory.status).toBe(400);
      expect((await api('agentL1', '/api/playbooks/payment')).status).toBe(404);

      const saved = await api<PlaybookView>('admin', '/api/playbooks/payment', {
        method: 'PUT',
        body: playbook,
      });
      expect(saved.status).toBe(200);
      expect(saved.body.steps[0]!.id).toBe('ack');
      expect(saved.body.steps[1]!.id).toMatch(/^s-[0-9a-f]{8}$/);
      const listed = await api<{ items: PlaybookView[] }>('agentL1', '/api/playbooks');
      expect(listed.body.items.map((p) => p.category)).toEqual(expect.arrayContaining(['payment', 'course']));
      expect((await api('customer', '/api/playbooks')).status).toBe(403);
    });

    it('records each ticked step on the timeline, refuses those who may not work the ticket', async () => {
      const ticket = await openTicket();
      const view = await api<TicketPlaybookView>('agentL1', `/api/tickets/${ticket.id}/playbook`);
      expect(view.status).toBe(200);
      // The seeded demo playbook of the course category.
      expect(view.body.playbook?.title.en).toBe('Cannot watch the course video');
      expect(view.body.done).toEqual([]);
      expect((await api('customer', `/api/tickets/${ticket.id}/playbook`)).status).toBe(403);

      const tick = await api<TicketPlaybookView>(
        'agentL1',
        `/api/tickets/${ticket.id}/playbook/steps/acknowledge`,
        {
          method: 'PUT',
          body: { done: true },
        },
      );
      expect(tick.status).toBe(200);
      expect(tick.body.done).toMatchObject([{ stepId: 'acknowledge', doneBy: { name: 'Lee L1' } }]);
      // Ticking twice records once.
      await api('agentL1', `/api/tickets/${ticket.id}/playbook/steps/acknowledge`, {
        method: 'PUT',
        body: { done: true },
      });
      const entries = (await timelineTypes(ticket.id)).filter((e) => e.type.startsWith('playbook.'));
      expect(entries).toMatchObject([
        { type: 'playbook.step_completed', actor: { name: 'Lee L1' }, data: { stepId: 'acknowledge' } },
      ]);

      expect(
        (
          await api('qa', `/api/tickets/${ticket.id}/playbook/steps/acknowledge`, {
            method: 'PUT',
            body: { done: false },
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await api('agentL1', `/api/tickets/${ticket.id}/playbook/steps/nope`, {
            method: 'PUT',
            body: { done: true },
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await api('agentL1', `/api/tickets/${ticket.id}/playbook/steps/acknowledge`, {
            method: 'PUT',
            body: { done: 'y' },
          })
        ).status,
      ).toBe(400);

      const untick = await api<TicketPlaybookView>(
        'agentL1',
        `/api/tickets/${ticket.id}/playbook/steps/acknowledge`,
        {
          method: 'PUT',
          body: { done: false },
        },
      );
      expect(untick.body.done).toEqual([]);
      expect((await timelineTypes(ticket.id)).map((e) => e.type)).toContain('playbook.step_reopened');
    });

    it('schedules the follow-up when the ticket is solved, due the playbook’s hours later, overdue after', async () => {
      const ticket = await openTicket({ category: 'payment', subject: 'Card refused' });
      expect((await api('agentL1', `/api/tickets/${ticket.id}/claim`, { method: 'POST' })).status).toBe(200);
      const opened = new Promise<TimelineEntry>((resolve) =>
        t.app.bus.on('followup.opened', ({ entry }) => {
          if (entry.ticketId === ticket.id) resolve(entry);
        }),
      );
      const solvedAt = clock.now().getTime();
      const solved = await api('agentL1', `/api/tickets/${ticket.id}`, {
        method: 'PATCH',
        body: { status: 'solved' },
      });
      expect(solved.status).toBe(200);
      const entry = await opened;
      expect(entry.data).toMatchObject({ source: 'playbook', score: null });
      const dueAt = new Date(entry.data.dueAt as string).getTime();
      expect(dueAt - solvedAt).toBeGreaterThanOrEqual(2 * HOUR);
      expect(dueAt - solvedAt).toBeLessThan(2 * HOUR + 60_000);

      const onTicket = await api<TicketPlaybookView>('agentL1', `/api/tickets/${ticket.id}/playbook`);
      expect(onTicket.body.followUp).toMatchObject({ closedAt: null, overdue: false });
      const queue = await api<{ items: FollowUpView[] }>('supervisor', `/api/feedback/follow-ups?state=open`);
      expect(queue.body.items.find((f) => f.ticketId === ticket.id)).toMatchObject({
        source: 'playbook',
        score: null,
      });

      const overdue = new Promise<TimelineEntry>((resolve) =>
        t.app.bus.on('followup.overdue', ({ entry: e }) => {
          if (e.ticketId === ticket.id) resolve(e);
        }),
      );
      clock.advance(2 * HOUR + 60_000);
      await overdue;
      for (const who of Object.keys(tokens)) tokens[who] = await login(t.url, DEMO[who as keyof typeof DEMO]);
      expect(
        (await api<TicketPlaybookView>('agentL1', `/api/tickets/${ticket.id}/playbook`)).body.followUp
          ?.overdue,
      ).toBe(true);

      // Reopened and solved again: still the one follow-up.
      await api('agentL1', `/api/tickets/${ticket.id}`, { method: 'PATCH', body: { status: 'open' } });
      await api('agentL1', `/api/tickets/${ticket.id}`, { method: 'PATCH', body: { status: 'solved' } });
      const all = await api<{ items: FollowUpView[] }>('supervisor', `/api/feedback/follow-ups?state=all`);
      expect(all.body.items.filter((f) => f.ticketId === ticket.id)).toHaveLength(1);
    });
  });

  describe('urgency', () => {
    it('maps the customer’s urgency to a priority by the admin’s rule; P1 is never customer-chosen by default', async () => {
      const rule = await api<UrgencyRule>('admin', '/api/settings/urgency-rule');
      expect(rule.body).toEqual({ low: 'P4', normal: 'P3', high: 'P2', urgent: 'P2' });
      const urgent = await openTicket({ urgency: 'urgent' });
      expect(urgent).toMatchObject({ priority: 'P2', customerUrgency: 'urgent' });
      expect((await openTicket({ urgency: 'low' })).priority).toBe('P4');
      expect(await openTicket()).toMatchObject({ priority: 'P3', customerUrgency: null });
      // A customer naming a priority is refused, P1 or any other.
      const p1 = await api('customer', '/api/tickets', {
        method: 'POST',
        body: {
          subject: 'Outage!',
          description: 'Everything is down',
          category: 'technical',
          priority: 'P1',
        },
      });
      expect(p1.status).toBe(400);
      expect(
        (
          await api('customer', '/api/tickets', {
            method: 'POST',
            body: { subject: 'abc', description: 'x', category: 'technical', urgency: 'extreme' },
          })
        ).status,
      ).toBe(400);

      for (const who of ['customer', 'agentL1', 'supervisor', 'qa']) {
        expect((await api(who, '/api/settings/urgency-rule')).status, who).toBe(403);
        expect(
          (
            await api(who, '/api/settings/urgency-rule', {
              method: 'PUT',
              body: { ...rule.body, urgent: 'P1' },
            })
          ).status,
          who,
        ).toBe(403);
      }
      const partial = await api('admin', '/api/settings/urgency-rule', {
        method: 'PUT',
        body: { urgent: 'P1' },
      });
      expect(partial.status).toBe(400);
      const changed = await api<UrgencyRule>('admin', '/api/settings/urgency-rule', {
        method: 'PUT',
        body: { ...rule.body, urgent: 'P1' },
      });
      expect(changed.body.urgent).toBe('P1');
      expect((await openTicket({ urgency: 'urgent' })).priority).toBe('P1');
      await api('admin', '/api/settings/urgency-rule', { method: 'PUT', body: rule.body });
    });
  });

  describe('composer preference', () => {
    it('is per user, Enter by default, and validated', async () => {
      expect((await api('customer', '/api/me/preferences/composer')).body).toEqual({ sendKey: 'enter' });
      const set = await api('customer', '/api/me/preferences/composer', {
        method: 'PUT',
        body: { sendKey: 'ctrl_enter' },
      });
      expect(set.body).toEqual({ sendKey: 'ctrl_enter' });
      expect((await api('customer', '/api/me/preferences/composer')).body).toEqual({ sendKey: 'ctrl_enter' });
      expect((await api('agentL1', '/api/me/preferences/composer')).body).toEqual({ sendKey: 'enter' });
      const bad = await api('agentL1', '/api/me/preferences/composer', {
        method: 'PUT',
        body: { sendKey: 'space' },
      });
      expect(bad.status).toBe(400);
    });
  });
});
