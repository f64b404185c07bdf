import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { TokenService } from '../../server/auth/tokens';
import type { AppError } from '../../server/errors';
import { ManualClock } from '../helpers/manualClock';

const SECRET = 's'.repeat(40);
const service = new TokenService(SECRET, 3600);

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected the token to be refused');
}

describe('TokenService', () => {
  it('round-trips the subject, role, session and expiry', () => {
    const { token, expiresAt } = service.issue({ sub: 'u1', role: 'agent', sid: 's1' });
    expect(service.verify(token)).toEqual({
      sub: 'u1',
      role: 'agent',
      sid: 's1',
      expiresAtMs: Date.parse(expiresAt),
    });
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(3500_000);
  });

  it('issues and checks on its clock, so moving the clock past the lifetime expires the token', () => {
    const clock = new ManualClock();
    const timed = new TokenService(SECRET, 60, clock);
    const { token } = timed.issue({ sub: 'u1', role: 'agent' });
    clock.advance(59_000);
    expect(timed.verify(token).sub).toBe('u1');
    clock.advance(2_000);
    expect(refusal(() => timed.verify(token)).message).toMatch(/expired/);
  });

  it('refuses a token that never expires', () => {
    const forever = jwt.sign({ role: 'admin' }, SECRET, { subject: 'u1' });
    expect(refusal(() => service.verify(forever)).code).toBe('unauthenticated');
  });

  it('refuses a missing token', () => {
    const err = refusal(() => service.verify(undefined));
    expect(err.code).toBe('unauthenticated');
  });

  it('refuses an expired token with a message that says so', () => {
    const expired = jwt.sign({ role: 'customer', exp: Math.floor(Date.now() / 1000) - 10 }, SECRET, {
      subject: 'u1',
    });
    const err = refusal(() => service.verify(expired));
    expect(err.code).toBe('unauthenticated');
    expect(err.message).toMatch(/expired/);
  });

  it('refuses a token signed with another secret', () => {
    const forged = jwt.sign({ role: 'admin' }, 'another-secret-another-secret-xx', { subject: 'u1' });
    expect(refusal(() => service.verify(forged)).code).toBe('unauthenticated');
  });

  it('refuses an unsigned (alg: none) token', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ sub: 'u1', role: 'admin' })).toString('base64url');
    expect(refusal(() => service.verify(`${header}.${body}.`)).code).toBe('unauthenticated');
  });

  it('refuses a token without a subject', () => {
    const noSub = jwt.sign({ role: 'admin' }, SECRET);
    expect(refusal(() => service.verify(noSub)).code).toBe('unauthenticated');
  });
});
