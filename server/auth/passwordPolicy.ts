import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { badRequest } from '../errors';

/** Shortest password accepted, before any strength estimate (the schemas check it too). */
export const PASSWORD_MIN_LENGTH = 10;

/**
 * zxcvbn's score runs 0..4; 3 is "safely unguessable" (about 10^8 guesses and more), which with
 * argon2id (passwords.ts) answers NIST SP 800-63B's "not a commonly used, expected or compromised
 * value": common passwords, words with digits, keyboard walks, repeats and dates score below it.
 */
const MIN_SCORE = 3;

/** Context-specific words (NIST SP 800-63B: "the name of the service"): guessed early here. */
const SERVICE_WORDS = ['livedesk', 'helpdesk', 'support', 'desk', 'ticket'];

let estimator: Promise<ZxcvbnFactory> | undefined;

/**
 * Loaded on the first password set, not at start: the dictionaries (the common-password list,
 * English words and names, a few MB) take about half a second to load and rank, and a server
 * sets passwords rarely. No Levenshtein matching: it costs 10-30 times more per check (300 ms of
 * event loop per password here) for little: near-misses of common passwords score low anyway.
 */
function loadEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]).then(
    ([core, common, en]) =>
      new core.ZxcvbnFactory({
        dictionary: { ...common.dictionary, ...en.dictionary },
        graphs: common.adjacencyGraphs,
      }),
  );
  return estimator;
}

/** Who the password is for: it must not be built from their own e-mail address or name. */
export interface PasswordOwner {
  email?: string | undefined;
  name?: string | undefined;
}

/** The parts of an e-mail address and a name that someone guessing would try first. */
export function personalWords(owner: PasswordOwner): string[] {
  const words = new Set<string>();
  // A whole local part or name counts from 3 letters; its parts from 4, so that a short first
  // name (`Ana`) does not rule out every password with those letters in it (`banana`).
  const add = (word: string, min: number) => {
    const w = word.trim().toLowerCase();
    if (w.length >= min) words.add(w);
  };
  const parts = (text: string) => text.split(/[^\p{L}\p{N}]+/u);
  if (owner.email) {
    const [local = '', domain = ''] = owner.email.toLowerCase().split('@');
    add(local, 3);
    for (const part of parts(local)) add(part, 4);
    // The domain's own name, without its top level: `example` of `mail.example.com`.
    for (const part of domain.split('.').slice(0, -1)) add(part, 4);
  }
  if (owner.name) {
    add(owner.name.replace(/\s+/g, ''), 3);
    for (const part of parts(owner.name)) add(part, 4);
  }
  return [...words];
}

/**
 * Why `password` is refused, or null when it is acceptable: too short, containing the owner's
 * e-mail address or name (or a part of either of four letters or more), or guessable as
 * zxcvbn-ts estimates it with its common-password and English dictionaries. The message completes
 * "The password …" and is addressed to the person choosing it.
 */
export async function passwordProblem(password: string, owner: PasswordOwner = {}): Promise<string | null> {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  const personal = personalWords(owner);
  const lower = password.toLowerCase();
  if (personal.some((word) => lower.includes(word))) return 'must not contain your e-mail address or name';
  const result = (await loadEstimator()).check(password, [...personal, ...SERVICE_WORDS]);
  if (result.score < MIN_SCORE) {
    return 'is too easy to guess (a common password, a word with digits, or a pattern): choose a longer one, for example several unrelated words';
  }
  return null;
}

/** Throws `bad_request` on the `password` field when the policy refuses it. */
export async function assertPasswordAcceptable(password: string, owner: PasswordOwner): Promise<void> {
  const problem = await passwordProblem(password, owner);
  if (problem) {
    throw badRequest(`The password ${problem}.`, [{ path: 'password', message: problem }]);
  }
}
