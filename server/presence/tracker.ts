import type { Availability, Presence, PublicUser } from '../../signaling/shared/protocol';
import type { Clock } from '../clock';
import { forbidden } from '../errors';
import type { EventBus } from '../events/bus';
import type { Logger } from '../logger';
import { type ConnectionState, derivePresence } from './presence';
import type { PresenceRepository } from './repository';

/** A person's connections on every node (the signaling layer asks the socket.io adapter). */
export interface PresenceConnections {
  of(userId: string): Promise<ConnectionState[]>;
}

/** One connection on this node, as the tracker needs it. */
export interface TrackedConnection {
  readonly id: string;
  readonly userId: string;
  /** Records the connection's idle flag where other nodes can read it (`PresenceConnections`). */
  setIdle(idle: boolean): void;
}

interface Local {
  connection: TrackedConnection;
  idle: boolean;
  timer: unknown;
}

/**
 * Follows staff presence: each connection on this node goes idle after `idleMs` without activity
 * (a timer on the injected clock, restarted by the tab's `presence:activity`), and on any change
 * (a connection, activity after idling, a call, the manual choice) the person's state is derived
 * again from all their connections on every node, stored, and published (`presence.changed`)
 * when it changed. Recomputations of one person run one after another, so a fast
 * connect/disconnect cannot store an older answer last.
 */
export class PresenceTracker {
  private readonly local = new Map<string, Local>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly repo: PresenceRepository,
    private readonly connections: PresenceConnections,
    private readonly bus: EventBus,
    private readonly options: {
      idleMs: number;
      clock: Clock;
      logger: Logger;
      /** Runs when someone becomes `online` (auto-assignment hands them waiting tickets). */
      onOnline: (userId: string) => Promise<unknown>;
    },
  ) {
    // Joining or leaving a call's media room shows as a call update or end: the people in it.
    for (const type of ['call.connected', 'call.ended', 'call.updated'] as const) {
      bus.on(type, ({ call }) => {
        for (const p of call.participants) if (p.user.role !== 'customer') this.refresh(p.user.id);
      });
    }
  }

  connected(connection: TrackedConnection): void {
    const entry: Local = { connection, idle: false, timer: undefined };
    this.local.set(connection.id, entry);
    connection.setIdle(false);
    this.arm(entry);
    this.refresh(connection.userId);
  }

  /** The person used this tab (key, pointer, focus): not idle, and the idle time starts again. */
  activity(connectionId: string): void {
    const entry = this.local.get(connectionId);
    if (!entry) return;
    this.arm(entry);
    if (entry.idle) {
      entry.idle = false;
      entry.connection.setIdle(false);
      this.refresh(entry.connection.userId);
    }
  }

  disconnected(connectionId: string): void {
    const entry = this.local.get(connectionId);
    if (!entry) return;
    this.options.clock.clearTimeout(entry.timer);
    this.local.delete(connectionId);
    this.refresh(entry.connection.userId);
  }

  /** An agent's manual choice: `available` follows activity again; `busy`/`away` stick. */
  async setAvailability(actor: PublicUser, availability: Availability): Promise<Presence> {
    if (actor.role !== 'agent') throw forbidden('Only agents set an availability.');
    await this.repo.setAvailability(actor.id, availability);
    this.refresh(actor.id);
    await this.queues.get(actor.id);
    return (await this.repo.find(actor.id))?.presence ?? 'offline';
  }

  /** At start: whoever the database says is here but has no connection anywhere is offline now. */
  async reconcile(): Promise<void> {
    for (const userId of await this.repo.present()) this.refresh(userId);
    await Promise.all(this.queues.values());
  }

  /** Resolves when every recomputation started so far is done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all(this.queues.values());
  }

  stop(): void {
    for (const entry of this.local.values()) this.options.clock.clearTimeout(entry.timer);
    this.local.clear();
  }

  private arm(entry: Local): void {
    const { clock } = this.options;
    clock.clearTimeout(entry.timer);
    entry.timer = clock.setTimeout(() => {
      if (this.local.get(entry.connection.id) !== entry) return;
      entry.idle = true;
      entry.connection.setIdle(true);
      this.refresh(entry.connection.userId);
    }, this.options.idleMs);
  }

  private refresh(userId: string): void {
    const previous = this.queues.get(userId) ?? Promise.resolve();
    const next = previous
      .then(() => this.recompute(userId))
      .catch((err) => this.options.logger.error({ err, userId }, 'could not update presence'))
      .finally(() => {
        if (this.queues.get(userId) === next) this.queues.delete(userId);
      });
    this.queues.set(userId, next);
  }

  private async recompute(userId: string): Promise<void> {
    const [stored, connections, inCall] = await Promise.all([
      this.repo.find(userId),
      this.connections.of(userId),
      this.repo.inCall(userId),
    ]);
    if (!stored) return;
    const presence = derivePresence({ manual: stored.availability, connections, inCall });
    if (presence === stored.presence || !(await this.repo.setPresence(userId, presence))) return;
    this.bus.publish('presence.changed', { userId, availability: stored.availability, presence });
    if (presence === 'online') await this.options.onOnline(userId);
  }
}
