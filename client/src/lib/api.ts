import {
  ERROR_CODES,
  type ErrorBody,
  type ErrorCode,
  type FieldIssue,
  type PublicUser,
} from '../../../signaling/shared/protocol';
import { session } from './session';

/** The server's codes, plus `network` for a request that never got an answer. */
export type ApiErrorCode = ErrorCode | 'network';

/** Every failed API call rejects with one of these, never with a raw `TypeError` or `SyntaxError`. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  /** HTTP status, or 0 when the server was not reached. */
  readonly status: number;
  readonly details: FieldIssue[] | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly requestId: string | undefined;

  constructor(
    code: ApiErrorCode,
    message: string,
    options: {
      status?: number;
      details?: FieldIssue[];
      retryAfterSeconds?: number;
      requestId?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = options.status ?? 0;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.requestId = options.requestId;
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

export interface ApiClientOptions {
  /** Prefix for every path; empty for the same origin (the server serves the client). */
  baseUrl?: string;
  /** The bearer token to send, if any. */
  getToken: () => string | undefined;
  /**
   * Called when a request that carried `token` was answered 401: the token is expired, forged or
   * its account disabled. Requests without a token (the sign-in itself) never trigger it.
   */
  onUnauthorized?: (token: string) => void;
  /** Aborts requests that take longer than this; they fail as `network`. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Send no token even when signed in. */
  anonymous?: boolean;
}

export interface LoginResponse {
  token: string;
  expiresAt: string;
  user: PublicUser;
}

const NETWORK_MESSAGE = 'Could not reach the Livedesk server. Check your connection and try again.';

/** A small JSON client for the Livedesk REST API: bearer auth, and one error shape for every failure. */
export class ApiClient {
  private readonly options: Required<Omit<ApiClientOptions, 'onUnauthorized'>> &
    Pick<ApiClientOptions, 'onUnauthorized'>;

  constructor(options: ApiClientOptions) {
    this.options = {
      baseUrl: '',
      timeoutMs: 30_000,
      // Bound so that `this` inside fetch is the window, as browsers require.
      fetch: (input, init) => globalThis.fetch(input, init),
      ...options,
    };
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const token = options.anonymous ? undefined : this.options.getToken();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;

    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;

    let res: Response;
    try {
      res = await this.options.fetch(`${this.options.baseUrl}${path}`, {
        method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal,
        credentials: 'same-origin',
      });
    } catch (err) {
      // The caller cancelled (e.g. react-query dropping a stale query): not an error to show.
      if (options.signal?.aborted) throw options.signal.reason ?? err;
      throw new ApiError('network', NETWORK_MESSAGE, { cause: err });
    }

    if (res.ok) {
      if (res.status === 204) return undefined as T;
      try {
        return (await res.json()) as T;
      } catch (err) {
        throw new ApiError('internal', 'The server sent a response that could not be read.', {
          status: res.status,
          cause: err,
        });
      }
    }

    const error = await toApiError(res);
    if (res.status === 401 && token) this.options.onUnauthorized?.(token);
    throw error;
  }

  login(email: string, password: string): Promise<LoginResponse> {
    return this.request('/api/auth/login', { method: 'POST', body: { email, password }, anonymous: true });
  }

  /**
   * A new access token for the signed-in session. The credential is the session's httpOnly cookie
   * (the browser sends it to this path only), so it works after the access token has expired.
   */
  refresh(): Promise<LoginResponse> {
    return this.request('/api/auth/session/refresh', { method: 'POST', anonymous: true });
  }

  /** Revokes the session on the server: its cookie stops renewing and its live connections end. */
  logout(): Promise<{ signedOut: boolean }> {
    return this.request('/api/auth/session', { method: 'DELETE' });
  }

  me(signal?: AbortSignal): Promise<PublicUser> {
    return this.request('/api/auth/me', signal ? { signal } : {});
  }
}

/**
 * Reads the `{ error: { code, message, … } }` body every Livedesk error has. A response without it
 * came from something in front of the server (a proxy's 502 page, say) and is described by status.
 */
async function toApiError(res: Response): Promise<ApiError> {
  const body = await res.json().catch(() => undefined);
  const error = (body as { error?: Partial<ErrorBody> } | undefined)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const retryHeader = Number(res.headers.get('retry-after'));
    const retryAfterSeconds =
      error.retryAfterSeconds ?? (Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : undefined);
    // A code from a newer server that this client does not know is treated as unexpected.
    const code = (ERROR_CODES as readonly string[]).includes(error.code)
      ? (error.code as ErrorCode)
      : 'internal';
    return new ApiError(code, error.message, {
      status: res.status,
      ...(error.details ? { details: error.details } : {}),
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      ...(error.requestId ? { requestId: error.requestId } : {}),
    });
  }
  if (res.status === 502 || res.status === 503 || res.status === 504) {
    return new ApiError('unavailable', 'The Livedesk server is not available right now.', {
      status: res.status,
    });
  }
  return new ApiError('internal', `The server answered with an unexpected status (${res.status}).`, {
    status: res.status,
  });
}

/** The app's API client: sends the session's token, and ends the session when the server refuses it. */
export const api = new ApiClient({
  getToken: () => session.current?.token,
  onUnauthorized: (token) => {
    // A late answer to a request made with an older token must not sign out a newer session.
    if (session.current?.token === token) session.signOut('unauthenticated');
  },
});
