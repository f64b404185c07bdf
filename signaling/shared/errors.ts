// Errors as every REST answer and socket ack carries them. Part of the shared leaf: imports nothing;
// protocol.ts re-exports it.

/** Every error a client can receive. Anything not on this list reaches the client as `internal`. */
export const ERROR_CODES = [
  'bad_request', // the payload failed validation; `details` names the fields
  'unauthenticated', // no token, an expired or forged token, or a disabled account
  'forbidden', // authenticated, but this role or this user may not do it
  'not_found',
  'conflict', // e.g. the e-mail address is taken
  'rate_limited', // too many attempts; `retryAfterSeconds` says when to retry
  'quota_exceeded', // a per-user allowance (e.g. bytes of unclaimed uploads) is used up
  'media_limit', // more transports, tracks or people than a call uses (per person and per call)
  'link_expired', // a link from a mail (password reset, invitation) is past its time: ask for a new one
  'link_used', // that link was already used once: links that grant access work once
  'unavailable', // a dependency (database, media worker) is not ready
  'internal', // an unexpected failure; the server log has the correlation id
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * What a field-level problem is, for clients to say it in their own language (`message` is the
 * server's English wording). `custom`: a rule of the domain, said only in `message`.
 */
export const FIELD_RULES = [
  'required',
  'invalid_type',
  'too_short', // a text below `limit` characters
  'too_long',
  'too_few', // a list below `limit` items
  'too_many',
  'too_small', // a number below `limit`
  'too_big',
  'invalid_format', // an e-mail address, a UUID, a date that is not one
  'invalid_value', // not one of the allowed values
  'unknown_field',
  'custom',
] as const;
export type FieldRule = (typeof FIELD_RULES)[number];

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `email` or `participants.0.id`. */
  path: string;
  message: string;
  /** Which kind of rule failed (absent on older servers' and hand-written issues: `custom`). */
  rule?: FieldRule;
  /** The bound of a `too_*` rule. */
  limit?: number;
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: FieldIssue[];
  /** Present on `internal` errors: quote it to an operator to find the log line. */
  requestId?: string;
  retryAfterSeconds?: number;
}
