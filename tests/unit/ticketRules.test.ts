import { describe, expect, it } from 'vitest';
import {
  canCustomerReply,
  canHold,
  canNote,
  canRead,
  canSeeInternal,
  canWork,
} from '../../server/tickets/access';
import { type AssigneeCandidate, pickAssignee } from '../../server/tickets/routing';
import type { PublicUser } from '../../signaling/shared/protocol';

const user = (role: PublicUser['role'], extra: Partial<PublicUser> = {}): PublicUser => ({
  id: `${role}-${extra.tier ?? ''}`,
  email: `${role}@x`,
  name: role,
  role,
  tier: null,
  skills: [],
  locale: 'en',
  localeChosen: false,
  availability: 'away',
  createdAt: new Date(0).toISOString(),
  ...extra,
});

const ticket = (
  extra: Partial<{
    requesterId: string;
    assigneeId: string | null;
    tier: 'L1' | 'L2' | 'L3';
    status: string;
  }> = {},
) => ({
  requesterId: 'customer-',
  assigneeId: null,
  tier: 'L1' as const,
  status: 'open',
  ...extra,
});

describe('ticket access rules', () => {
  const customer = user('customer');
  const stranger = { ...user('customer'), id: 'someone-else' };
  const l1 = user('agent', { tier: 'L1' });
  const l2 = user('agent', { tier: 'L2' });
  const qa = user('qa');
  const supervisor = user('supervisor');

  it('lets a customer read only their own tickets, and every staff role read all', () => {
    expect(canRead(customer, ticket())).toBe(true);
    expect(canRead(stranger, ticket())).toBe(false);
    for (const staff of [l1, l2, qa, supervisor]) expect(canRead(staff, ticket({ tier: 'L3' }))).toBe(true);
  });

  it('keeps internal content to staff', () => {
    expect(canSeeInternal(customer)).toBe(false);
    expect(canSeeInternal(qa)).toBe(true);
  });

  it('lets agents work tickets at or below their tier, or assigned to them; QA never', () => {
    expect(canWork(l1, ticket({ tier: 'L1' }))).toBe(true);
    expect(canWork(l1, ticket({ tier: 'L2' }))).toBe(false);
    expect(canWork(l1, ticket({ tier: 'L2', assigneeId: l1.id }))).toBe(true);
    expect(canWork(l2, ticket({ tier: 'L1' }))).toBe(true);
    expect(canWork(qa, ticket())).toBe(false);
    expect(canWork(supervisor, ticket({ tier: 'L3' }))).toBe(true);
    expect(canWork(customer, ticket())).toBe(false);
  });

  it('lets the agent who escalated a ticket (a follower) add notes to it, without working it', () => {
    const escalated = ticket({ tier: 'L2' });
    expect(canNote(l1, escalated, true)).toBe(true);
    expect(canWork(l1, escalated)).toBe(false);
    // Not following: outside their tier, as before.
    expect(canNote(l1, escalated, false)).toBe(false);
    // Whoever works the ticket notes it anyway; following gives QA and customers nothing.
    expect(canNote(l2, escalated, false)).toBe(true);
    expect(canNote(supervisor, ticket({ tier: 'L3' }), false)).toBe(true);
    expect(canNote(qa, escalated, true)).toBe(false);
    expect(canNote(customer, escalated, true)).toBe(false);
  });

  it('lets only agents of the tier or above (and supervisors) hold a ticket', () => {
    expect(canHold(l1, 'L2')).toBe(false);
    expect(canHold(l2, 'L2')).toBe(true);
    expect(canHold(supervisor, 'L3')).toBe(true);
    expect(canHold(customer, 'L1')).toBe(false);
  });

  it('lets a customer reply on their own ticket until it is closed', () => {
    expect(canCustomerReply(customer, ticket({ status: 'solved' }))).toBe(true);
    expect(canCustomerReply(customer, ticket({ status: 'closed' }))).toBe(false);
    expect(canCustomerReply(stranger, ticket())).toBe(false);
  });
});

describe('pickAssignee', () => {
  const agent = (id: string, extra: Partial<AssigneeCandidate> = {}): AssigneeCandidate => ({
    id,
    tier: 'L1',
    skills: [],
    presence: 'online',
    openTickets: 0,
    createdAt: new Date(2026, 0, Number(id.replace(/\D/g, '')) || 1),
    ...extra,
  });

  it('picks the available agent of the ticket’s tier with the fewest open tickets', () => {
    const choice = pickAssignee(
      [agent('a1', { openTickets: 3 }), agent('a2', { openTickets: 1 }), agent('a3', { openTickets: 2 })],
      { tier: 'L1', category: 'course' },
    );
    expect(choice?.id).toBe('a2');
  });

  it('prefers a matching skill over a lighter load', () => {
    const choice = pickAssignee(
      [agent('a1', { openTickets: 0 }), agent('a2', { openTickets: 5, skills: ['payment'] })],
      { tier: 'L1', category: 'payment' },
    );
    expect(choice?.id).toBe('a2');
  });

  it('skips busy, away, offline, in-call and other-tier agents, and returns null when nobody qualifies', () => {
    const pool = [
      agent('a1', { presence: 'busy' }),
      agent('a2', { presence: 'away' }),
      agent('a4', { presence: 'offline' }),
      agent('a5', { presence: 'in_call' }),
      agent('a3', { tier: 'L2' }),
    ];
    expect(pickAssignee(pool, { tier: 'L1', category: 'other' })).toBeNull();
    expect(pickAssignee(pool, { tier: 'L2', category: 'other' })?.id).toBe('a3');
  });

  it('follows the routing options: skills ignored, load ignored, a cap on open tickets', () => {
    const pool = [
      agent('a1', { openTickets: 4 }),
      agent('a2', { openTickets: 1 }),
      agent('a3', { openTickets: 6, skills: ['payment'] }),
    ];
    const ticket = { tier: 'L1' as const, category: 'payment' };
    expect(pickAssignee(pool, ticket)?.id).toBe('a3');
    expect(pickAssignee(pool, ticket, { bySkills: false, byLoad: true, maxOpenPerAgent: null })?.id).toBe(
      'a2',
    );
    // Without load balancing the longest-serving agent takes it.
    expect(pickAssignee(pool, ticket, { bySkills: false, byLoad: false, maxOpenPerAgent: null })?.id).toBe(
      'a1',
    );
    // The skilled agent is at the cap: the others share the work; everyone at it: nobody.
    expect(pickAssignee(pool, ticket, { bySkills: true, byLoad: true, maxOpenPerAgent: 5 })?.id).toBe('a2');
    expect(pickAssignee(pool, ticket, { bySkills: true, byLoad: true, maxOpenPerAgent: 1 })).toBeNull();
  });

  it('breaks ties by seniority, so the choice is repeatable', () => {
    const choice = pickAssignee([agent('a7'), agent('a2'), agent('a5')], { tier: 'L1', category: 'other' });
    expect(choice?.id).toBe('a2');
  });
});
