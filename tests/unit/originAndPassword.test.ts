import { describe, expect, it } from 'vitest';
import { passwordProblem, personalWords } from '../../server/auth/passwordPolicy';
import { originAllowed } from '../../signaling/socketAuth';

describe('originAllowed', () => {
  const policy = { allowedOrigins: ['https://www.school.example'], trustProxy: false };

  it("admits the request's own host (default ports included) and the listed origins", () => {
    expect(originAllowed({ origin: 'http://desk.local:3000', host: 'desk.local:3000' }, policy)).toBe(true);
    expect(originAllowed({ origin: 'https://desk.example', host: 'desk.example' }, policy)).toBe(true);
    expect(originAllowed({ origin: 'https://desk.example:443', host: 'desk.example' }, policy)).toBe(true);
    expect(originAllowed({ origin: 'https://www.school.example', host: 'desk.example' }, policy)).toBe(true);
    expect(originAllowed({ host: 'desk.example' }, policy)).toBe(true);
  });

  it('refuses other hosts, other ports, opaque and malformed origins', () => {
    for (const origin of [
      'https://evil.example',
      'http://desk.local:3001',
      'null',
      'nonsense',
      'https://desk.local.evil',
    ]) {
      expect(originAllowed({ origin, host: 'desk.local:3000' }, policy), origin).toBe(false);
    }
  });

  it('believes X-Forwarded-Host only behind a trusted proxy', () => {
    const headers = {
      origin: 'https://desk.example',
      host: '10.0.0.5:3000',
      'x-forwarded-host': 'desk.example',
    };
    expect(originAllowed(headers, policy)).toBe(false);
    expect(originAllowed(headers, { ...policy, trustProxy: true })).toBe(true);
  });
});

describe('password policy', () => {
  it("takes the e-mail's and the name's parts a guesser would try", () => {
    expect(personalWords({ email: 'ana.smith@mail.example.com', name: 'Ana Smith' })).toEqual(
      expect.arrayContaining(['ana.smith', 'smith', 'mail', 'example', 'anasmith']),
    );
    // A short first name alone does not rule out every password with those letters in it.
    expect(personalWords({ name: 'Ana Smith' })).not.toContain('ana');
  });

  it('refuses short, personal and guessable passwords and accepts a passphrase', async () => {
    const owner = { email: 'ana.smith@example.com', name: 'Ana Smith' };
    expect(await passwordProblem('short1!', owner)).toMatch(/at least 10/);
    expect(await passwordProblem('smith-rocks-2024', owner)).toMatch(/e-mail address or name/);
    expect(await passwordProblem('password1234', owner)).toMatch(/too easy to guess/);
    expect(await passwordProblem('livedesk2026', owner)).toMatch(/too easy to guess/);
    expect(await passwordProblem('1q2w3e4r5t6y', owner)).toMatch(/too easy to guess/);
    expect(await passwordProblem('banana quartz ferry 7', owner)).toBeNull();
    // The first check loads and ranks the dictionaries: seconds on a busy machine.
  }, 60_000);
});
