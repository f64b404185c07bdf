import { useSyncExternalStore } from 'react';
import { io, type Socket } from 'socket.io-client';
import type {
  AckResult,
  ClientToServerEvents,
  ErrorBody,
  ServerToClientEvents,
} from '../../../signaling/shared/protocol';
import type { AckData, ConnectionStatus, EmitPayload } from './requests';
import { type SessionStore, session } from './session';
import { sessionRenewal } from './sessionRenewal';
import { Listeners } from './store';

export type LivedeskSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type { ConnectionStatus } from './requests';

type ServerEvent = keyof ServerToClientEvents;
type AnyHandler = (...args: unknown[]) => void;

/** A failed socket request: the server's coded error, or `network` when no answer came in time. */
export class SocketRequestError extends Error {
  readonly code: ErrorBody['code'] | 'network';
  constructor(code: ErrorBody['code'] | 'network', message: string) {
    super(message);
    this.name = 'SocketRequestError';
    this.code = code;
  }
}

export interface SocketOptions {
  auth: (cb: (data: { token: string }) => void) => void;
  autoConnect: boolean;
}

const RETRY_DELAY_MS = 5_000;
const WHOAMI_TIMEOUT_MS = 10_000;

/**
 * The one socket.io connection of a signed-in user. It opens when a session starts, closes when
 * it ends, authenticates with `auth.token` (never the query string, which lands in proxy logs) and
 * ends the session when the server says the token is no longer good.
 */
export class RealtimeConnection {
  private socket: LivedeskSocket | null = null;
  private socketToken: string | null = null;
  private socketUserId: string | null = null;
  private status: ConnectionStatus = 'idle';
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribeSession: (() => void) | undefined;
  private readonly listeners = new Listeners();
  /** Feature listeners, bound to every socket this connection opens (one per session). */
  private readonly handlers = new Map<ServerEvent, Set<AnyHandler>>();

  constructor(
    private readonly sessions: SessionStore,
    private readonly createSocket: (options: SocketOptions) => LivedeskSocket = (options) =>
      io(options) as LivedeskSocket,
    /** The server ended this session's connection (`session:ended`): renew, or sign out saying why. */
    private readonly onSessionEnded: (reason: 'revoked' | 'expired') => void = (reason) =>
      sessions.signOut(reason),
  ) {}

  /** Follows the session from now on. Idempotent; returns `stop`. */
  start(): () => void {
    if (!this.unsubscribeSession) {
      this.unsubscribeSession = this.sessions.subscribe(() => this.sync());
      this.sync();
    }
    return () => this.stop();
  }

  stop(): void {
    this.unsubscribeSession?.();
    this.unsubscribeSession = undefined;
    this.close();
  }

  getStatus = (): ConnectionStatus => this.status;

  readonly subscribe = this.listeners.subscribe;

  /** The live socket for feature code (chat, calls); null while signed out. */
  get current(): LivedeskSocket | null {
    return this.socket;
  }

  /**
   * Listens to a server event on this socket and on every later one (after signing in again), so
   * feature code subscribes once. Returns a function that stops listening.
   */
  on<E extends ServerEvent>(event: E, handler: ServerToClientEvents[E]): () => void {
    const h = handler as unknown as AnyHandler;
    let set = this.handlers.get(event);
    if (!set) {
      set = new Set();
      this.handlers.set(event, set);
    }
    set.add(h);
    // socket.io's typed `on` cannot be called with a generic event name; the registry is typed above.
    (this.socket as unknown as { on(e: string, h: AnyHandler): void } | null)?.on(event, h);
    return () => {
      set.delete(h);
      (this.socket as unknown as { off(e: string, h: AnyHandler): void } | null)?.off(event, h);
    };
  }

  /**
   * Sends a request and resolves with the ack's data; rejects with a `SocketRequestError` carrying
   * the server's code, or `network` when not connected or no answer arrives within `timeoutMs`.
   */
  async request<E extends keyof ClientToServerEvents>(
    event: E,
    payload: EmitPayload<E>,
    timeoutMs = 10_000,
  ): Promise<AckData<E>> {
    const socket = this.socket;
    if (!socket || this.status !== 'connected') {
      throw new SocketRequestError('network', 'The live connection is not available.');
    }
    let result: AckResult<AckData<E>>;
    try {
      // With a timeout, socket.io's ack carries only the server's answer (no error-first argument).
      const timed = socket.timeout(timeoutMs) as unknown as {
        emitWithAck(e: string, p: unknown): Promise<AckResult<AckData<E>>>;
      };
      result = await timed.emitWithAck(event, payload);
    } catch {
      throw new SocketRequestError('network', 'The server did not answer in time.');
    }
    if (!result.ok) throw new SocketRequestError(result.error.code, result.error.message);
    return result.data;
  }

  /** Emits without waiting for an answer (typing indicators); dropped while offline. */
  emitVolatile<E extends keyof ClientToServerEvents>(event: E, payload: EmitPayload<E>): void {
    const socket = this.socket;
    if (!socket || this.status !== 'connected') return;
    (socket.volatile as unknown as { emit(e: string, p: unknown, ack: () => void): void }).emit(
      event,
      payload,
      () => {},
    );
  }

  private sync(): void {
    const current = this.sessions.current;
    const token = current?.token ?? null;
    if (token === this.socketToken) return;
    const socket = this.socket;
    if (current && socket && current.user.id === this.socketUserId) {
      // A renewed token of the same session: the socket (and a call it carries) stays.
      this.socketToken = current.token;
      if (socket.connected) void this.reauthenticate(socket, current.token);
      // Not connected: its next handshake sends the current token (the `auth` callback); one the
      // server hung up on (its session ended, then renewed) is reconnected now.
      else if (!socket.active) socket.connect();
      return;
    }
    this.close();
    if (current) this.open(current.token, current.user.id);
  }

  /**
   * Moves a connected socket onto a renewed token before the old one expires (the server ends a
   * socket whose token ran out). Refused or unanswered, the socket starts over with the token.
   */
  private async reauthenticate(socket: LivedeskSocket, token: string): Promise<void> {
    try {
      const result = await socket.timeout(WHOAMI_TIMEOUT_MS).emitWithAck('session:renew', { token });
      if (result.ok || this.socket !== socket) return;
    } catch {
      if (this.socket !== socket) return;
    }
    if (this.socketToken !== token) return;
    this.close();
    const current = this.sessions.current;
    if (current) this.open(current.token, current.user.id);
  }

  private open(token: string, userId: string): void {
    this.socketToken = token;
    this.socketUserId = userId;
    this.setStatus('connecting');
    const socket = this.createSocket({
      // A function, so every reconnection sends the token of the session as it is then.
      auth: (cb) => cb({ token: this.sessions.current?.token ?? '' }),
      autoConnect: true,
    });
    this.socket = socket;
    for (const [event, set] of this.handlers) {
      for (const handler of set)
        (socket as unknown as { on(e: string, h: AnyHandler): void }).on(event, handler);
    }

    socket.on('connect', () => {
      if (this.socket === socket) void this.confirmIdentity(socket);
    });
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (this.socket !== socket) return;
      if (err.data?.code === 'unauthenticated') {
        this.sessions.signOut('unauthenticated');
        return;
      }
      this.setStatus('offline');
      // socket.io retries transport failures itself, but not a refusal by the server's middleware.
      if (!socket.active) this.retryLater(socket);
    });
    socket.on('disconnect', (reason) => {
      if (this.socket !== socket) return;
      this.setStatus('offline');
      // The server hung up on purpose without ending the session (e.g. a restart): reconnect.
      if (reason === 'io server disconnect') this.retryLater(socket);
    });
    socket.on('session:ended', ({ reason }) => {
      if (this.socket === socket) this.onSessionEnded(reason === 'expired' ? 'expired' : 'revoked');
    });
  }

  /** `connect` only says the handshake passed; asking the server who we are proves the token is ours. */
  private async confirmIdentity(socket: LivedeskSocket): Promise<void> {
    try {
      const result = await socket.timeout(WHOAMI_TIMEOUT_MS).emitWithAck('session:whoami', {});
      if (this.socket !== socket) return;
      if (result.ok && result.data.id === this.sessions.current?.user.id) {
        this.setStatus('connected');
      } else if (!result.ok && result.error.code === 'unauthenticated') {
        this.sessions.signOut('unauthenticated');
      } else if (result.ok) {
        // The token belongs to someone else than the stored user: trust nothing, start over.
        this.sessions.signOut('unauthenticated');
      } else {
        this.setStatus('offline');
        this.retryLater(socket);
      }
    } catch {
      // No answer in time: the link is not usable even if the transport claims to be up.
      if (this.socket !== socket) return;
      this.setStatus('offline');
      socket.disconnect();
      this.retryLater(socket);
    }
  }

  private retryLater(socket: LivedeskSocket): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.socket === socket && !socket.connected) socket.connect();
    }, RETRY_DELAY_MS);
  }

  private close(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const socket = this.socket;
    this.socket = null;
    this.socketToken = null;
    this.socketUserId = null;
    if (socket) {
      socket.removeAllListeners();
      socket.disconnect();
    }
    this.setStatus('idle');
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.listeners.notify();
  }
}

/** The app's live connection, following the app's session (and renewing it when the server ends it). */
export const realtime = new RealtimeConnection(
  session,
  undefined,
  (reason) => void sessionRenewal.ended(reason),
);

export function useConnectionStatus(): ConnectionStatus {
  return useSyncExternalStore(realtime.subscribe, realtime.getStatus);
}
