import type {
  CallEndReason,
  CallParticipantView,
  CallStatsReport,
  CallView,
  IceServer,
  PublicUser,
  RtpCapabilities,
} from '../../signaling/shared/protocol';
import type { Clock } from '../clock';
import type { CallParticipantRow, CallRow } from '../db/schema';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import type { EventBus } from '../events/bus';
import type { Logger } from '../logger';
import { canRead, canWork } from '../tickets/access';
import type { TicketsRepository } from '../tickets/repository';
import { systemMessage } from '../tickets/systemMessages';
import { toTimelineEntry } from '../tickets/views';
import { toUserRef } from '../users/service';
import type { BeforeCallEnd, CallRooms, Presence } from './ports';
import type { CallsRepository, CallWithPeople } from './repository';
import { StatsAggregator } from './stats';

export interface CallsConfig {
  ringMs: number;
  rejoinGraceMs: number;
  iceServers: IceServer[];
}

/**
 * The call record on the ticket: ringing, answering, who entered the media room, connection,
 * leaving with a grace period, hanging up, and what gets recorded (participants, connected time,
 * end reason, statistics). The media itself is MediaSession's; this service only asks the rooms
 * who is present (`CallRooms`). Timers for the ring and the grace period run on the injected clock,
 * on the node that owns the call's media room; a node that restarts ends the calls it left behind
 * (`recoverUnfinished`).
 */
export class CallsService {
  private readonly ringTimers = new Map<string, unknown>();
  private readonly graceTimers = new Map<string, unknown>();
  private readonly stats = new StatsAggregator();

  constructor(
    private readonly repo: CallsRepository,
    private readonly tickets: TicketsRepository,
    private readonly bus: EventBus,
    private readonly rooms: CallRooms,
    private readonly presence: Presence,
    private readonly config: CallsConfig,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Run in order just before a call's media room closes (see `BeforeCallEnd`). */
    private readonly beforeEnd: readonly BeforeCallEnd[] = [],
  ) {}

  // ----- views --------------------------------------------------------------------------------

  // Reads that do not depend on each other are asked for together here and below: a call's
  // requests (start, answer, join) each wait on their reads, and on a busy server every round trip
  // to the database waits for the event loop and a core (bench:join, docs/decisions.md).

  async view(row: CallRow): Promise<CallView> {
    const found = await this.repo.withPeople(row.id);
    return this.toView(row, found?.ticketNumber ?? null, found?.participants ?? []);
  }

  private async toView(
    row: CallRow,
    ticketNumber: number | null,
    entries: CallWithPeople['participants'],
  ): Promise<CallView> {
    const people = new Map(entries.map(({ user }) => [user.id, user]));
    // The caller is a participant from the start; read on its own only should that not hold.
    const starter = (people.get(row.startedById) ?? (await this.tickets.findUser(row.startedById)))!;
    const end = row.endedAt ?? this.clock.now();
    return {
      id: row.id,
      ticketId: row.ticketId,
      ticketNumber: ticketNumber ?? 0,
      startedBy: toUserRef(starter),
      status: row.status,
      startedAt: row.startedAt.toISOString(),
      answeredAt: row.answeredAt?.toISOString() ?? null,
      connectedAt: row.connectedAt?.toISOString() ?? null,
      endedAt: row.endedAt?.toISOString() ?? null,
      endReason: row.endReason,
      connectedSeconds: row.connectedAt
        ? Math.max(0, Math.round((end.getTime() - row.connectedAt.getTime()) / 1000))
        : 0,
      participants: entries.map(
        ({ participant: p, user }): CallParticipantView => ({
          user: toUserRef(user),
          role: p.role,
          joinedAt: p.joinedAt?.toISOString() ?? null,
          leftAt: p.leftAt?.toISOString() ?? null,
          present: this.rooms.isPresent(row.id, p.userId),
        }),
      ),
      statsSummary: row.statsSummary ?? null,
    };
  }

  private async load(callId: string): Promise<CallRow> {
    const row = await this.repo.findCall(callId);
    if (!row) throw notFound('The call');
    return row;
  }

  /** The call, if the actor is one of its people or staff who may read its ticket. */
  async get(actor: PublicUser, callId: string): Promise<CallView> {
    const { row } = await this.loadFor(actor, callId);
    return this.view(row);
  }

  /** The calls of a ticket, newest first, for whoever may read the ticket (to find a running one). */
  async forTicket(actor: PublicUser, ticketId: string): Promise<CallView[]> {
    const ticket = await this.tickets.findTicket(ticketId);
    if (!ticket || !canRead(actor, ticket)) throw notFound('The ticket');
    const rows = (await this.repo.callsForTickets([ticketId])).sort(
      (a, b) => b.startedAt.getTime() - a.startedAt.getTime(),
    );
    return Promise.all(rows.map((r) => this.view(r)));
  }

  /**
   * The call and the actor's place in it, if the actor is one of its people or staff who may read
   * its ticket (`participant` undefined for the latter); not found otherwise.
   */
  private async loadFor(
    actor: PublicUser,
    callId: string,
  ): Promise<{ row: CallRow; participant: CallParticipantRow | undefined }> {
    const [row, participants] = await Promise.all([
      this.repo.findCall(callId),
      this.repo.participants([callId]),
    ]);
    if (!row) throw notFound('The call');
    const participant = participants.find((p) => p.userId === actor.id);
    if (participant) return { row, participant };
    const ticket = await this.tickets.findTicket(row.ticketId);
    if (!ticket || !canRead(actor, ticket) || actor.role === 'customer') throw notFound('The call');
    return { row, participant: undefined };
  }

  private async publishTimeline(
    type: 'call.started' | 'call.connected' | 'call.ended',
    row: CallRow,
    actorId: string | null,
    data: Record<string, unknown>,
  ): Promise<CallView> {
    const [event, actor, call] = await Promise.all([
      this.tickets.insertEvent({ ticketId: row.ticketId, type, actorId, data: { callId: row.id, ...data } }),
      actorId ? this.tickets.findUser(actorId) : undefined,
      this.view(row),
    ]);
    this.bus.publish(type, { entry: toTimelineEntry(event, actor), call });
    return call;
  }

  private async publishUpdate(row: CallRow): Promise<CallView> {
    const call = await this.view(row);
    this.bus.publish('call.updated', { call });
    return call;
  }

  // ----- ringing ------------------------------------------------------------------------------

  async start(actor: PublicUser, ticketId: string): Promise<CallView> {
    if (actor.role !== 'agent' && actor.role !== 'supervisor' && actor.role !== 'admin') {
      throw forbidden('Only agents and supervisors start calls.');
    }
    // The running call is read with the ticket; it is only told once the ticket's checks pass.
    const [ticket, running] = await Promise.all([
      this.tickets.findTicket(ticketId),
      this.repo.activeCallForTicket(ticketId),
    ]);
    if (!ticket || !canRead(actor, ticket)) throw notFound('The ticket');
    if (!canWork(actor, ticket)) throw forbidden('This ticket is outside your tier.');
    if (ticket.status === 'closed') throw conflict('This ticket is closed.');
    if (running) throw conflict('A call on this ticket is already going on.');

    const row = await this.repo.insertCall({ ticketId: ticket.id, startedById: actor.id });
    await Promise.all([
      this.repo.addParticipant([
        { callId: row.id, userId: actor.id, role: actor.role === 'agent' ? 'agent' : 'supervisor' },
        { callId: row.id, userId: ticket.requesterId, role: 'customer' },
      ]),
      // The conversation shows the call with its live state, and a link to join while it can be joined.
      this.tickets.insertMessage(
        systemMessage(ticket.id, { type: 'call.started', callId: row.id, startedBy: actor.name }),
      ),
    ]);
    const call = await this.publishTimeline('call.started', row, actor.id, { startedBy: actor.name });

    if (!(await this.presence.isOnline(ticket.requesterId))) {
      return this.end(row.id, 'customer_offline', actor.id);
    }
    const timer = this.clock.setTimeout(() => {
      this.ringTimers.delete(row.id);
      void this.endIf(row.id, ['ringing'], 'no_answer', null);
    }, this.config.ringMs);
    this.ringTimers.set(row.id, timer);
    return call;
  }

  async answer(actor: PublicUser, callId: string, accept: boolean): Promise<CallView> {
    // One read for the check and the view: the person waits on each round trip, and answering
    // changes the call's row only, never who takes part.
    const found = await this.repo.withPeople(callId);
    const mine = found?.participants.find((entry) => entry.participant.userId === actor.id);
    if (!found || mine?.participant.role !== 'customer') throw notFound('The call');
    if (!accept) {
      const ended = await this.endIf(callId, ['ringing'], 'declined', actor.id);
      if (!ended) throw conflict('This call is no longer ringing.');
      return ended;
    }
    const answered = await this.repo.transition(callId, ['ringing'], {
      status: 'connecting',
      answeredAt: this.clock.now(),
    });
    if (!answered) {
      if (found.call.status === 'ended') throw conflict('This call has ended.');
      // Already answered (another tab): answering again is harmless.
      return this.toView(found.call, found.ticketNumber, found.participants);
    }
    this.clearRing(callId);
    const call = await this.toView(answered, found.ticketNumber, found.participants);
    this.bus.publish('call.updated', { call });
    return call;
  }

  async cancel(actor: PublicUser, callId: string): Promise<CallView> {
    const row = await this.load(callId);
    if (row.startedById !== actor.id && actor.role !== 'supervisor' && actor.role !== 'admin') {
      throw forbidden('Only the caller can cancel the ring.');
    }
    const ended = await this.endIf(callId, ['ringing'], 'cancelled', actor.id);
    if (!ended) throw conflict('This call is no longer ringing.');
    return ended;
  }

  // ----- entering the media room (MediaSession does the media) -----------------------------------

  /**
   * Lets a person into the call before their peer joins the media room. The call's people may join
   * (a customer joining a ringing call from the link answers it); a supervisor or admin may join any
   * running call, visibly, as `supervisor`.
   */
  async enter(actor: PublicUser, callId: string, rtpCapabilities: RtpCapabilities): Promise<void> {
    const { row, participant } = await this.checkEntry(actor, callId, rtpCapabilities);
    let role = participant?.role;
    if (!participant) {
      await this.repo.addParticipant({ callId, userId: actor.id, role: 'supervisor' });
      role = (await this.repo.participants([callId])).find((p) => p.userId === actor.id)?.role;
    }
    if (role === 'customer' && row.status === 'ringing') {
      await this.repo.transition(callId, ['ringing'], { status: 'connecting', answeredAt: this.clock.now() });
      this.clearRing(callId);
    }
  }

  /** The person's peer is in the media room: back within the grace period, recorded as joined. */
  async joined(actor: PublicUser, callId: string): Promise<CallView> {
    this.clearGrace(callId, actor.id);
    // The view is read again (the call may have moved on, connected, while this join was under
    // way) in the same round trip as the write. On PostgreSQL the two statements may run on two
    // connections, so this person's own row is the one the write returned.
    const [mine, found] = await Promise.all([
      this.repo.markJoined(callId, actor.id, this.clock.now()),
      this.repo.withPeople(callId),
    ]);
    if (!found) throw notFound('The call');
    const entries = found.participants.map((entry) =>
      mine && entry.participant.userId === mine.userId ? { ...entry, participant: mine } : entry,
    );
    const call = await this.toView(found.call, found.ticketNumber, entries);
    this.bus.publish('call.updated', { call });
    return call;
  }

  /**
   * The checks of `enter`, for the device check (MediaSession.prepare): nothing is recorded and
   * nobody is told.
   */
  async mayEnter(actor: PublicUser, callId: string, rtpCapabilities: RtpCapabilities): Promise<void> {
    await this.checkEntry(actor, callId, rtpCapabilities);
  }

  /**
   * Who may enter the media room (join or prepare), checked before anything is written: the call's
   * people (a customer also while it rings: joining answers it), and a supervisor or admin who can
   * see the ticket, once the customer has answered. `participant` is undefined for the latter.
   */
  private async checkEntry(actor: PublicUser, callId: string, rtpCapabilities: RtpCapabilities) {
    const { row, participant } = await this.loadFor(actor, callId);
    if (row.status === 'ended') throw conflict('This call has ended.');
    assertRtpCapabilities(rtpCapabilities);
    if (!participant && actor.role !== 'supervisor' && actor.role !== 'admin')
      throw forbidden('You are not part of this call.');
    if (participant?.role !== 'customer' && row.status === 'ringing' && row.startedById !== actor.id)
      throw conflict('The customer has not answered yet.');
    return { row, participant };
  }

  /** What a browser needs beside the router's capabilities to join: ICE servers, grace period. */
  get joinSettings(): { iceServers: IceServer[]; rejoinGraceMs: number } {
    return { iceServers: this.config.iceServers, rejoinGraceMs: this.config.rejoinGraceMs };
  }

  /**
   * A person left the media room (left the page, lost the network, or said so). The call goes on;
   * if the agent or the customer is not back within the grace period, it ends as `disconnected`.
   */
  async left(callId: string, userId: string): Promise<void> {
    const row = await this.repo.findCall(callId);
    if (!row || row.status === 'ended') return;
    await this.repo.markLeft(callId, userId, this.clock.now());
    const participant = (await this.repo.participants([callId])).find((p) => p.userId === userId);
    await this.publishUpdate(row);
    if (!participant || participant.role === 'supervisor') return;
    this.clearGrace(callId, userId);
    const timer = this.clock.setTimeout(() => {
      this.graceTimers.delete(`${callId}:${userId}`);
      if (this.rooms.isPresent(callId, userId)) return;
      void this.endIf(callId, ['ringing', 'connecting', 'connected'], 'disconnected', null);
    }, this.config.rejoinGraceMs);
    this.graceTimers.set(`${callId}:${userId}`, timer);
  }

  async hangup(actor: PublicUser, callId: string): Promise<CallView> {
    const { participant } = await this.loadFor(actor, callId);
    if (!participant && actor.role !== 'supervisor' && actor.role !== 'admin')
      throw forbidden('You are not part of this call.');
    const ended = await this.endIf(callId, ['ringing', 'connecting', 'connected'], 'hangup', actor.id);
    return ended ?? this.view(await this.load(callId));
  }

  /**
   * A browser's periodic quality report, kept for the call's statistics summary (QA, the ticket's
   * snapshot). It decides nothing: whether the call is connected is the SFU's to say (`mediaFlowed`).
   */
  async reportStats(actor: PublicUser, callId: string, report: CallStatsReport): Promise<void> {
    if (!this.rooms.isPresent(callId, actor.id)) throw conflict('Join the call before reporting statistics.');
    this.stats.add(callId, actor.id, report);
  }

  /**
   * The SFU saw media from `fromId` reach `toId` (both transports DTLS-connected, bytes in on the
   * producer and out on the consumer). The receiver is marked receiving; media between the customer
   * and someone from support, in either direction, makes the call connected, which also counts as
   * the ticket's first response. One direction is enough: a customer whose camera and microphone
   * are blocked still sees and hears the agent.
   */
  async mediaFlowed(callId: string, fromId: string, toId: string, at: Date): Promise<void> {
    await this.repo.markReceiving(callId, toId, at);
    const participants = await this.repo.participants([callId]);
    const roles = [fromId, toId].map((id) => participants.find((p) => p.userId === id)?.role);
    if (!roles.includes('customer') || !roles.some((r) => r === 'agent' || r === 'supervisor')) return;
    const connected = await this.repo.transition(callId, ['connecting', 'ringing'], {
      status: 'connected',
      connectedAt: at,
    });
    if (!connected) return;
    await this.publishTimeline('call.connected', connected, null, {});
    await this.countAsFirstResponse(connected, at);
  }

  private async countAsFirstResponse(call: CallRow, at: Date): Promise<void> {
    const ticket = await this.tickets.findTicket(call.ticketId);
    if (!ticket || ticket.firstResponseAt) return;
    await this.tickets.updateTicket(ticket.id, { firstResponseAt: at });
    const event = await this.tickets.insertEvent({
      ticketId: ticket.id,
      type: 'ticket.first_response',
      actorId: call.startedById,
      data: {
        via: 'call',
        callId: call.id,
        seconds: Math.round((at.getTime() - ticket.createdAt.getTime()) / 1000),
      },
    });
    const actor = await this.tickets.findUser(call.startedById);
    this.bus.publish('ticket.first_response', { entry: toTimelineEntry(event, actor) });
  }

  // ----- ending -------------------------------------------------------------------------------

  private clearRing(callId: string) {
    const timer = this.ringTimers.get(callId);
    if (timer) this.clock.clearTimeout(timer);
    this.ringTimers.delete(callId);
  }

  private clearGrace(callId: string, userId: string) {
    const key = `${callId}:${userId}`;
    const timer = this.graceTimers.get(key);
    if (timer) this.clock.clearTimeout(timer);
    this.graceTimers.delete(key);
  }

  async end(callId: string, reason: CallEndReason, actorId: string | null): Promise<CallView> {
    return (
      (await this.endIf(callId, ['ringing', 'connecting', 'connected'], reason, actorId)) ??
      this.view(await this.load(callId))
    );
  }

  /** Ends the call if it is in one of `from`; returns its final view, or undefined if it was not. */
  private async endIf(
    callId: string,
    from: CallRow['status'][],
    reason: CallEndReason,
    actorId: string | null,
  ): Promise<CallView | undefined> {
    const summary = this.stats.summary(callId);
    const ended = await this.repo.transition(callId, from, {
      status: 'ended',
      endedAt: this.clock.now(),
      endReason: reason,
      statsSummary: summary,
    });
    if (!ended) return undefined;
    this.clearRing(callId);
    for (const key of [...this.graceTimers.keys()]) {
      if (key.startsWith(`${callId}:`)) {
        this.clock.clearTimeout(this.graceTimers.get(key));
        this.graceTimers.delete(key);
      }
    }
    this.stats.forget(callId);
    for (const hook of this.beforeEnd) {
      await hook(callId).catch((err) => this.logger.error({ err, callId }, 'before-end hook failed'));
    }
    const now = this.clock.now();
    for (const p of await this.repo.participants([callId])) {
      if (p.joinedAt && !p.leftAt) await this.repo.markLeft(callId, p.userId, now);
    }
    this.rooms.close(callId);
    if (summary) await this.attachStatsToSnapshot(ended, summary);
    const connectedSeconds = ended.connectedAt
      ? Math.round((ended.endedAt!.getTime() - ended.connectedAt.getTime()) / 1000)
      : 0;
    this.logger.info({ callId, reason, connectedSeconds }, 'call ended');
    // `connected` tells a call that connected and was hung up within half a second (0 s) from
    // one that never connected; the timeline words the two differently.
    return this.publishTimeline('call.ended', ended, actorId, {
      reason,
      connectedSeconds,
      connected: ended.connectedAt !== null,
    });
  }

  /** The call's WebRTC statistics join the ticket's problem snapshot (`snapshot.lastCall`). */
  private async attachStatsToSnapshot(call: CallRow, summary: Record<string, unknown>): Promise<void> {
    const ticket = await this.tickets.findTicket(call.ticketId);
    if (!ticket) return;
    await this.tickets.updateTicket(ticket.id, {
      snapshot: {
        ...(ticket.snapshot ?? {}),
        lastCall: { callId: call.id, endedAt: call.endedAt?.toISOString(), ...summary },
      },
    });
  }

  /** Ends calls a previous run of this node left unfinished (their timers and rooms are gone). */
  async recoverUnfinished(): Promise<number> {
    let n = 0;
    for (const row of await this.repo.unfinished()) {
      if (this.rooms.has(row.id)) continue;
      const reason: CallEndReason = row.status === 'ringing' ? 'no_answer' : 'disconnected';
      if (await this.endIf(row.id, [row.status], reason, null)) n++;
    }
    return n;
  }

  /** Stops every timer (shutdown). */
  stop(): void {
    for (const t of this.ringTimers.values()) this.clock.clearTimeout(t);
    for (const t of this.graceTimers.values()) this.clock.clearTimeout(t);
    this.ringTimers.clear();
    this.graceTimers.clear();
  }
}

function assertRtpCapabilities(rtpCapabilities: RtpCapabilities): void {
  // The payload schema checked only that it is an object; mediasoup checks the rest.
  if (typeof rtpCapabilities !== 'object' || !Array.isArray(rtpCapabilities.codecs)) {
    throw badRequest('rtpCapabilities must be the device’s RTP capabilities.', [
      { path: 'rtpCapabilities', message: 'must include a codecs list' },
    ]);
  }
}
