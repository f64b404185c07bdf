// What the client's cores need from the live connection (RealtimeConnection in socket.ts satisfies
// it), typed from the shared event maps, so a core can be driven by a fake of its own in tests.

import type {
  AckData,
  ClientToServerEvents,
  EmitPayload,
  ErrorCode,
  ServerToClientEvents,
} from '../../../signaling/shared/protocol';

export type { AckData, EmitPayload };

/**
 * `idle`: signed out, no socket. `connecting`: first handshake or identity check in progress.
 * `connected`: the server accepted the token and confirmed who we are. `offline`: the link is
 * down; socket.io (or our own retry) keeps trying.
 */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'offline';

export interface RealtimeRequests {
  request<E extends keyof ClientToServerEvents>(
    event: E,
    payload: EmitPayload<E>,
    timeoutMs?: number,
  ): Promise<AckData<E>>;
  on<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): () => void;
  getStatus(): ConnectionStatus;
  subscribe(listener: () => void): () => void;
}

/** A request failure's code: the server's, or `network` (SocketRequestError); undefined otherwise. */
export function codeOf(err: unknown): ErrorCode | 'network' | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (code as ErrorCode | 'network') : undefined;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
