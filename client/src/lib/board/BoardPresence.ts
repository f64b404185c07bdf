// Who else is on the board and where their pointer is: this user's pointer is sent at most every
// 50 ms as a volatile message (a late one is worth nothing), the others' are kept until they have
// not moved for 15 s.

import type { UserRef } from '../../../../signaling/shared/protocol';
import type { BoardPeer } from './types';

/** Pointer positions are sent at most this often. */
const POINTER_THROTTLE_MS = 50;
/** A pointer that has not moved for this long is taken off the board. */
const PEER_IDLE_MS = 15_000;

export interface BoardPresenceHost {
  readonly callId: string;
  readonly now: () => number;
  /** Sends without queueing: dropped when the link is busy or down. */
  sendPointer(pointer: { callId: string; x: number; y: number; tool: string }): void;
  /** The board is open: pointers may leave. */
  canSend(): boolean;
  peers(): ReadonlyMap<string, BoardPeer>;
  setPeers(peers: ReadonlyMap<string, BoardPeer>): void;
}

export class BoardPresence {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest: { x: number; y: number; tool: string } | null = null;
  private sentAt = 0;
  private readonly sweep: ReturnType<typeof setInterval>;

  constructor(private readonly host: BoardPresenceHost) {
    this.sweep = setInterval(() => this.dropIdle(), PEER_IDLE_MS / 3);
  }

  /** This user's pointer moved (scene coordinates); the latest position wins. */
  pointer(x: number, y: number, tool: 'pointer' | 'laser'): void {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    this.latest = { x, y, tool };
    if (this.timer) return;
    const wait = Math.max(this.sentAt + POINTER_THROTTLE_MS - this.host.now(), 0);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const p = this.latest;
      this.latest = null;
      if (!p || !this.host.canSend()) return;
      this.sentAt = this.host.now();
      this.host.sendPointer({ callId: this.host.callId, ...p });
    }, wait);
  }

  /** Another person's pointer moved. */
  received(payload: { user: UserRef; x: number; y: number; tool?: string }): void {
    const peers = new Map(this.host.peers());
    peers.set(payload.user.id, {
      user: payload.user,
      x: payload.x,
      y: payload.y,
      tool: payload.tool === 'laser' ? 'laser' : 'pointer',
      at: this.host.now(),
    });
    this.host.setPeers(peers);
  }

  private dropIdle(): void {
    const cutoff = this.host.now() - PEER_IDLE_MS;
    const stale = [...this.host.peers().values()].filter((p) => p.at < cutoff);
    if (stale.length === 0) return;
    const peers = new Map(this.host.peers());
    for (const p of stale) peers.delete(p.user.id);
    this.host.setPeers(peers);
  }

  stop(): void {
    clearTimeout(this.timer);
    clearInterval(this.sweep);
  }
}
