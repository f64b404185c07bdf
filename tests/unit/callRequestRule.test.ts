import { describe, expect, it } from 'vitest';
import {
  type Candidate,
  callRequestRule,
  type RuleInput,
  requestStates,
} from '../../server/callRequests/rule';
import { withFrameAncestors } from '../../server/widget/http';

const agent = (
  id: string,
  tier: Candidate['tier'],
  presence: Candidate['presence'] = 'online',
): Candidate => ({
  id,
  tier,
  presence,
  availability: 'available',
});
const base: RuleInput = {
  status: 'open',
  priority: 'P3',
  tier: 'L2',
  assigneeId: null,
  slaBreached: false,
  activeCall: false,
  pendingRequest: false,
  agents: [agent('l1', 'L1'), agent('l2', 'L2'), agent('l3', 'L3'), agent('l2-away', 'L2', 'away')],
};
const policy = { priorities: ['P1', 'P2', 'P3'] as const };

describe('callRequestRule', () => {
  it('rings the free agents who may hold the tier, or only the assignee', () => {
    expect(callRequestRule(base, policy)).toEqual({ allowed: true, targetIds: ['l2', 'l3'] });
    expect(callRequestRule({ ...base, assigneeId: 'l3' }, policy)).toEqual({
      allowed: true,
      targetIds: ['l3'],
    });
    expect(callRequestRule({ ...base, assigneeId: 'l2-away' }, policy)).toEqual({
      allowed: false,
      reason: 'no_agent_available',
    });
    const busy = base.agents.map((a) => ({ ...a, availability: 'busy' as const }));
    expect(callRequestRule({ ...base, agents: busy }, policy)).toMatchObject({
      reason: 'no_agent_available',
    });
  });

  it('refuses closed tickets, a call or request going on, and priorities the policy leaves out', () => {
    expect(callRequestRule({ ...base, status: 'solved' }, policy)).toMatchObject({ reason: 'ticket_closed' });
    expect(callRequestRule({ ...base, activeCall: true }, policy)).toMatchObject({ reason: 'call_active' });
    expect(callRequestRule({ ...base, pendingRequest: true }, policy)).toMatchObject({
      reason: 'request_pending',
    });
    expect(callRequestRule({ ...base, priority: 'P4' }, policy)).toMatchObject({ reason: 'priority' });
    // A missed SLA target opens it whatever the priority.
    expect(callRequestRule({ ...base, priority: 'P4', slaBreached: true }, policy)).toMatchObject({
      allowed: true,
    });
  });
});

describe('requestStates', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  const requested = (id: string, targets: string[], expires: number) => ({
    type: 'call.requested',
    actorId: 'cust',
    data: { requestId: id, targetIds: targets, expiresAt: at(expires).toISOString() },
    createdAt: at(0),
  });
  const outcome = (type: string, id: string, actorId: string | null, extra = {}) => ({
    type,
    actorId,
    data: { requestId: id, ...extra },
    createdAt: at(1),
  });

  it('is declined only when every rung agent declined, and the first outcome wins', () => {
    const events = [requested('r', ['a', 'b'], 30), outcome('call.request_declined', 'r', 'a')];
    expect(requestStates(events, at(2))[0]).toMatchObject({ status: 'ringing', declinedBy: ['a'] });
    const all = [
      ...events,
      outcome('call.request_declined', 'r', 'b'),
      outcome('call.request_accepted', 'r', 'b'),
    ];
    expect(requestStates(all, at(2))[0]).toMatchObject({ status: 'declined', byId: 'b' });
    const accepted = [
      requested('s', ['a'], 30),
      outcome('call.request_accepted', 's', 'a', { callId: 'c1' }),
    ];
    expect(requestStates(accepted, at(2))[0]).toMatchObject({ status: 'accepted', callId: 'c1', byId: 'a' });
  });

  it('counts a request past its expiry as expired even when no node recorded it', () => {
    expect(requestStates([requested('r', ['a'], 30)], at(29))[0]?.status).toBe('ringing');
    expect(requestStates([requested('r', ['a'], 30)], at(30))[0]?.status).toBe('expired');
  });
});

describe('withFrameAncestors', () => {
  it('replaces the directive with exactly the allowed origins, or none', () => {
    const csp = "default-src 'self';frame-ancestors 'self';img-src 'self'";
    expect(withFrameAncestors(csp, ['https://a.example', 'http://b.example:8080'])).toBe(
      "default-src 'self';img-src 'self';frame-ancestors https://a.example http://b.example:8080",
    );
    expect(withFrameAncestors(csp, [])).toBe("default-src 'self';img-src 'self';frame-ancestors 'none'");
  });
});
