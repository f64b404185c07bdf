import type { ErrorCode, FieldIssue } from '../signaling/shared/protocol';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  // Both are "too much of something for you now": 429, as clients and proxies already treat it.
  quota_exceeded: 429,
  media_limit: 409,
  // 410 Gone: the link existed and did its job or ran out; a new one has to be asked for.
  link_expired: 410,
  link_used: 410,
  unavailable: 503,
  internal: 500,
};

/**
 * A failure the caller can act on. Services throw these; the HTTP error mapper and the socket
 * ack wrapper turn them into `{ code, message }`. Any other thrown value is treated as a bug and
 * becomes `internal` with a correlation id, so raw exception text never reaches a client.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: FieldIssue[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: FieldIssue[]; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS_BY_CODE[code];
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const badRequest = (message: string, details?: FieldIssue[]) =>
  new AppError('bad_request', message, details ? { details } : {});
export const unauthenticated = (message = 'Sign in to continue.') => new AppError('unauthenticated', message);
export const forbidden = (message = 'You do not have access to this.') => new AppError('forbidden', message);
export const notFound = (what: string) => new AppError('not_found', `${what} was not found.`);
export const conflict = (message: string) => new AppError('conflict', message);
