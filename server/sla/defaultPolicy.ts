import type { SlaPolicy } from './evaluate';

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/**
 * A chat customer is sitting in front of the widget, so a first answer counts in seconds whatever the
 * priority; later answers and resolution keep the priority's targets.
 */
const CHAT_FIRST_RESPONSE = { first_response: 60 };

/**
 * The policy a desk gets before an admin configures one. Round-the-clock (no business hours) because a
 * fresh install does not know its team's time zone, and an SLA that silently stops at 17:00 in the wrong
 * zone is worse than one that is strict.
 *
 * Frozen because it is shared module state: a caller that adjusted it for one tenant would change it
 * for every ticket in the process. Copy it (structuredClone) to derive a policy.
 */
export const DEFAULT_SLA_POLICY: SlaPolicy = deepFreeze({
  targets: {
    P1: { first_response: 30 * MINUTE, next_response: 30 * MINUTE, resolution: 4 * HOUR },
    P2: { first_response: 1 * HOUR, next_response: 2 * HOUR, resolution: 8 * HOUR },
    P3: { first_response: 4 * HOUR, next_response: 8 * HOUR, resolution: 24 * HOUR },
    P4: { first_response: 8 * HOUR, next_response: 24 * HOUR, resolution: 72 * HOUR },
  },
  channelOverrides: {
    chat: {
      P1: CHAT_FIRST_RESPONSE,
      P2: CHAT_FIRST_RESPONSE,
      P3: CHAT_FIRST_RESPONSE,
      P4: CHAT_FIRST_RESPONSE,
    },
  },
  warnAtFraction: 0.8,
  pauseWhilePending: true,
  pauseWhileOnHold: true,
  businessHours: null,
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
