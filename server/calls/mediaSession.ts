import type { types } from 'mediasoup';
import type { CallRoom, ProducerInfo } from '../../media/CallRoom';
import { MediaError } from '../../media/errors';
import type { MediaServer } from '../../media/MediaServer';
import type { Peer } from '../../media/Peer';
import type {
  CallConsumerParams,
  CallJoinResult,
  CallPrepareResult,
  CallTransportParams,
  DtlsParameters,
  IceParameters,
  MediaKindName,
  MediaSourceName,
  RecordingNotice,
  RtpCapabilities,
  RtpParameters,
} from '../../signaling/shared/protocol';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { CallChannel, CallConnection, CallRooms } from './ports';
import type { CallsService } from './service';

/**
 * What a client sent, as mediasoup's type. The protocol types these objects by structure and
 * loosely (mediasoup-client reports codecs without a preferred payload type; fingerprint
 * algorithms and header-extension URIs are strings where mediasoup 3.2x has closed unions).
 * mediasoup checks every field itself and rejects a bad value, which refuse() answers.
 */
function asMediasoup(caps: RtpCapabilities): types.RtpCapabilities {
  return caps as types.RtpCapabilities;
}

/** The part of the media server a call's media session uses. */
export type CallMediaServer = Pick<MediaServer, 'getRoom' | 'getOrCreateRoom' | 'routerRtpCapabilities'>;

/**
 * The rooms as the call record sees them. Built on the media server itself, not on MediaSession,
 * which needs the record (CallsService) first.
 */
export function callRoomsOf(media: CallMediaServer): CallRooms {
  return {
    isPresent: (callId, userId) => media.getRoom(callId)?.peers.has(userId) ?? false,
    has: (callId) => media.getRoom(callId) !== undefined,
    close: (callId) => media.getRoom(callId)?.close(),
  };
}

/**
 * Which connection carries each person's peer in each call. Only that connection may take the peer
 * down, and a person's new connection (reload, second tab) takes the call over from the old one.
 */
class Bindings {
  private readonly byKey = new Map<string, string>();
  private key(callId: string, userId: string) {
    return `${callId}:${userId}`;
  }
  get(callId: string, userId: string): string | undefined {
    return this.byKey.get(this.key(callId, userId));
  }
  set(callId: string, userId: string, connectionId: string): void {
    this.byKey.set(this.key(callId, userId), connectionId);
  }
  delete(callId: string, userId: string): void {
    this.byKey.delete(this.key(callId, userId));
  }
  /** The calls (and people) this connection carries a peer for. */
  of(connectionId: string): Array<{ callId: string; userId: string }> {
    const found: Array<{ callId: string; userId: string }> = [];
    for (const [key, id] of this.byKey) {
      if (id !== connectionId) continue;
      const at = key.lastIndexOf(':');
      found.push({ callId: key.slice(0, at), userId: key.slice(at + 1) });
    }
    return found;
  }
}

/**
 * The one owner of a call's media session: a person's peer joining, getting ready on the device
 * check (`prepare`), being let in, leaving; which connection carries it; the mediasoup exchange on
 * it (transports, produce, consume), always through that person's own peer, so ids from another
 * peer are simply not found; and telling the call's connections about tracks (through
 * `CallChannel`). The call record (who may enter, ringing, grace period, connected, ended) stays
 * with CallsService, which sees the rooms only through `CallRooms` (`callRoomsOf` below).
 */
export class MediaSession {
  private readonly bindings = new Bindings();
  private readonly wired = new WeakSet<CallRoom>();

  constructor(
    private readonly media: CallMediaServer,
    private readonly calls: CallsService,
    private readonly channel: CallChannel,
    /**
     * The call's recording state, sent to whoever joins or prepares to join: the server announces
     * changes only, so without it a reload would lose the indicator (and the consent request).
     */
    private readonly recordingNotice: (callId: string) => Promise<RecordingNotice | null>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  // ----- joining ----------------------------------------------------------------------------------

  routerRtpCapabilities(): Promise<RtpCapabilities> {
    return this.media.routerRtpCapabilities();
  }

  /**
   * Enters the media room from `connection`. With `prepared`, the peer this connection prepared is
   * let in (its media goes through at once) instead of a new one; with `transports`, a fresh peer
   * also gets its send and receive transports and paused consumers of what the others send.
   */
  async join(
    connection: CallConnection,
    callId: string,
    rtpCapabilities: RtpCapabilities,
    options: { transports?: boolean; prepared?: boolean },
  ): Promise<CallJoinResult> {
    const userId = connection.user.id;
    const waitingRoom = this.media.getRoom(callId);
    const waiting = waitingRoom?.waiting.get(userId);
    let admitted: Peer | undefined;
    if (options.prepared && waitingRoom && waiting && this.bindings.get(callId, userId) === connection.id) {
      // This connection's prepared peer: its media goes through at once, the moment the join
      // arrives (the browser starts sending as it asks), and the join below records it.
      // prepare() made the same checks; a join refused now takes the peer out again.
      admitted = await waitingRoom.admit(waiting).then(
        () => waiting,
        () => undefined,
      );
    }
    let result: CallJoinResult = await this.enter(connection, callId, rtpCapabilities, admitted).catch(
      (err) => {
        if (admitted) this.media.getRoom(callId)?.leave(userId);
        return this.refuse(err);
      },
    );
    if (options.transports && !result.prepared) {
      const { room, peer } = this.peerOf(userId, callId);
      result = { ...result, ...(await this.transportsWithConsumers(room, peer)) };
    }
    const previous = this.bindings.get(callId, userId);
    if (previous && previous !== connection.id) {
      // Same person, new connection (reload, second tab): the old one is out of the call.
      this.channel.toConnection(previous, 'call:media-lost', { callId, rejoin: false, reason: 'replaced' });
      this.channel.removeFromCall(previous, callId);
    }
    this.bindings.set(callId, userId, connection.id);
    await connection.enterCall(callId);
    // The list of the others' tracks is taken again now that this connection hears the room's
    // `call:producer:new`: a track that appeared while the join was under way is in the list
    // or announced (possibly both; the client takes each track once), never neither.
    const current = this.media.getRoom(callId);
    if (current?.peers.has(userId)) {
      result = { ...result, producers: current.producersFor(current.getPeer(userId)) };
    }
    await this.sendRecordingNotice(connection, callId);
    return result;
  }

  /** The call record lets the person in, then their peer joins the room (or the admitted one stays). */
  private async enter(
    connection: CallConnection,
    callId: string,
    rtpCapabilities: RtpCapabilities,
    admittedPeer: Peer | undefined,
  ): Promise<CallJoinResult & { prepared: boolean }> {
    const actor = connection.user;
    await this.calls.enter(actor, callId, rtpCapabilities);
    const room = this.wire(await this.media.getOrCreateRoom(callId));
    // Got ready on the device check (`prepare`) and let in: it keeps its transports and tracks.
    const admitted = admittedPeer && room.peers.get(actor.id) === admittedPeer ? admittedPeer : undefined;
    const peer =
      admitted ??
      (await room.join({ id: actor.id, name: actor.name, role: actor.role }, asMediasoup(rtpCapabilities)));
    const call = await this.calls.joined(actor, callId);
    return {
      call,
      routerRtpCapabilities: room.rtpCapabilities,
      ...this.calls.joinSettings,
      producers: room.producersFor(peer),
      prepared: admitted !== undefined,
    };
  }

  /**
   * Sets up a person's media while they are on the device check, so that joining then is quick:
   * the same checks as joining, but nothing is recorded and nobody is told (see CallRoom.prepare).
   * Refused (`conflict`) if the person is already in the call on another connection: their join
   * from this one replaces it.
   */
  async prepare(
    connection: CallConnection,
    callId: string,
    rtpCapabilities: RtpCapabilities,
  ): Promise<CallPrepareResult> {
    const actor = connection.user;
    const routerRtpCapabilities = await (async () => {
      await this.calls.mayEnter(actor, callId, rtpCapabilities);
      const room = this.wire(await this.media.getOrCreateRoom(callId));
      await room.prepare({ id: actor.id, name: actor.name, role: actor.role }, asMediasoup(rtpCapabilities));
      return room.rtpCapabilities;
    })().catch((err) => this.refuse(err));
    const { room, peer } = this.peerOf(actor.id, callId);
    // Bound and in the call's room before anything is made, so no track announced meanwhile
    // is missed (it is then in the list below or announced, possibly both).
    const previous = this.bindings.get(callId, actor.id);
    if (previous && previous !== connection.id) this.channel.removeFromCall(previous, callId);
    this.bindings.set(callId, actor.id, connection.id);
    await connection.enterCall(callId);
    // On the device check the person already hears the call's recording changes; the state
    // before them comes from here (a reload lands on the device check first).
    await this.sendRecordingNotice(connection, callId);
    return {
      routerRtpCapabilities,
      iceServers: this.calls.joinSettings.iceServers,
      ...(await this.transportsWithConsumers(room, peer)),
    };
  }

  /** The connection leaves the call; only the one that carries the peer takes it down. */
  leave(connection: CallConnection, callId: string): void {
    connection.exitCall(callId);
    if (this.bindings.get(callId, connection.user.id) !== connection.id) return;
    this.media.getRoom(callId)?.leave(connection.user.id);
  }

  /** The connection is gone: every peer it carried leaves its call (the grace period starts). */
  disconnected(connectionId: string): void {
    for (const { callId, userId } of this.bindings.of(connectionId))
      this.media.getRoom(callId)?.leave(userId);
  }

  // ----- the mediasoup exchange, on the person's own peer -----------------------------------------

  async createTransport(
    userId: string,
    callId: string,
    direction: 'send' | 'recv',
  ): Promise<CallTransportParams> {
    const { room, peer } = this.peerOf(userId, callId);
    return room.createTransport(peer, direction).catch((err) => this.refuse(err));
  }

  async connectTransport(
    userId: string,
    callId: string,
    transportId: string,
    dtlsParameters: DtlsParameters,
  ): Promise<void> {
    const { room, peer } = this.peerOf(userId, callId);
    await room
      .connectTransport(peer, transportId, dtlsParameters as types.DtlsParameters)
      .catch((err) => this.refuse(err));
  }

  async restartIce(userId: string, callId: string, transportId: string): Promise<IceParameters> {
    const { room, peer } = this.peerOf(userId, callId);
    return room.restartIce(peer, transportId).catch((err) => this.refuse(err));
  }

  async produce(
    userId: string,
    callId: string,
    track: {
      transportId: string;
      kind: MediaKindName;
      rtpParameters: RtpParameters;
      source: MediaSourceName;
    },
  ): Promise<{ producerId: string }> {
    const { room, peer } = this.peerOf(userId, callId);
    const info = await room
      .produce(peer, track.transportId, track.kind, track.rtpParameters as types.RtpParameters, track.source)
      .catch((err) => this.refuse(err));
    return { producerId: info.producerId };
  }

  async setProducerPaused(
    userId: string,
    callId: string,
    producerId: string,
    paused: boolean,
  ): Promise<void> {
    const { room, peer } = this.peerOf(userId, callId);
    await room.setProducerPaused(peer, producerId, paused).catch((err) => this.refuse(err));
  }

  closeProducer(userId: string, callId: string, producerId: string): void {
    const { room, peer } = this.peerOf(userId, callId);
    try {
      room.closeProducer(peer, producerId);
    } catch (err) {
      this.refuse(err);
    }
  }

  async consume(
    userId: string,
    callId: string,
    transportId: string,
    producerId: string,
  ): Promise<CallConsumerParams> {
    const { room, peer } = this.peerOf(userId, callId);
    return room.consume(peer, transportId, producerId).catch((err) => this.refuse(err));
  }

  async resumeConsumer(userId: string, callId: string, consumerId: string): Promise<void> {
    const { room, peer } = this.peerOf(userId, callId);
    await room.resumeConsumer(peer, consumerId).catch((err) => this.refuse(err));
  }

  // ----- inside ------------------------------------------------------------------------------------

  /**
   * A media refusal becomes a result error with our own wording; the room keeps working. What
   * mediasoup itself said (its `cause`) names its internals: it goes to the log, never the client.
   */
  private refuse(err: unknown): never {
    if (err instanceof MediaError) {
      if (err.cause) this.logger.warn({ err: err.cause, code: err.code }, 'media request refused');
      throw new AppError(err.code, err.message);
    }
    throw err;
  }

  /** The person's peer in a live room, or a clear error. */
  private peerOf(userId: string, callId: string): { room: CallRoom; peer: Peer } {
    const room = this.media.getRoom(callId);
    if (!room) throw new AppError('conflict', 'This call has no media room now; join it again.');
    try {
      return { room, peer: room.getPeer(userId) };
    } catch (err) {
      return this.refuse(err);
    }
  }

  private async sendRecordingNotice(connection: CallConnection, callId: string) {
    const notice = await this.recordingNotice(callId);
    if (notice) connection.showRecording(notice);
  }

  /**
   * The peer's send and receive transports, and paused consumers on the latter of what the others
   * send now: one round trip fewer per track. One that cannot be made is left to the client's own
   * call:consume.
   */
  private async transportsWithConsumers(room: CallRoom, peer: Peer) {
    const [send, recv] = await Promise.all([
      room.createTransport(peer, 'send').catch((err) => this.refuse(err)),
      room.createTransport(peer, 'recv').catch((err) => this.refuse(err)),
    ]);
    const consumers = await Promise.all(
      room.producersFor(peer).map((p) => room.consume(peer, recv.id, p.producerId).catch(() => null)),
    );
    return { transports: { send, recv }, consumers: consumers.filter((c) => c !== null) };
  }

  /** Listens, once per room, to what the call's connections and its record must hear. */
  private wire(room: CallRoom): CallRoom {
    if (this.wired.has(room)) return room;
    this.wired.add(room);
    const { callId } = room;
    room.on('mediaFlow', (from: Peer, to: Peer) => {
      this.calls
        .mediaFlowed(callId, from.id, to.id, this.clock.now())
        .catch((err) => this.logger.error({ err, callId }, 'could not record media flowing'));
    });
    room.on('newProducer', (info: ProducerInfo) => void this.announceProducer(room, info));
    room.on('producerClosed', (info: ProducerInfo) =>
      this.channel.toCall(callId, 'call:producer:closed', {
        callId,
        producerId: info.producerId,
        peerId: info.peerId,
      }),
    );
    const paused = (info: ProducerInfo) =>
      this.channel.toCall(callId, 'call:producer:paused', { ...info, callId }, { users: [info.peerId] });
    room.on('producerPaused', paused);
    room.on('producerResumed', paused);
    room.on('consumerClosed', (peer: Peer, consumerId: string) => {
      const connectionId = this.bindings.get(callId, peer.id);
      if (connectionId)
        this.channel.toConnection(connectionId, 'call:consumer:closed', { callId, consumerId });
    });
    room.on('peerLeft', (peer: Peer, reason: 'left' | 'replaced' | 'timeout') => {
      if (reason === 'replaced') return; // the new connection took over; its join re-bound it
      const connectionId = this.bindings.get(callId, peer.id);
      this.bindings.delete(callId, peer.id);
      if (connectionId && reason === 'timeout') {
        this.channel.toConnection(connectionId, 'call:media-lost', {
          callId,
          rejoin: true,
          reason: 'timeout',
        });
      }
      // Left the device check without joining: never in the call, so no leave and no grace period.
      if (peer.waiting) return;
      void this.calls.left(callId, peer.id).catch((err) => this.logger.error({ err }, 'call leave failed'));
    });
    room.once('closed', () => {
      if (room.workerDied)
        this.channel.toCall(callId, 'call:media-lost', { callId, rejoin: true, reason: 'worker_died' });
    });
    return room;
  }

  /**
   * Tells every other peer (in the call or getting ready) about a new track. A peer whose connection
   * is on this server and which has a receive transport gets a (paused) consumer made for it with
   * the notice — it only has to resume it, one round trip instead of two. Anyone else in the call's
   * room gets the bare notice and asks with `call:consume`. A track announced again because its
   * sender was admitted (it was `waiting`) is, for those who already receive it, a state change.
   */
  private async announceProducer(room: CallRoom, info: ProducerInfo) {
    const { callId } = room;
    const served: string[] = [];
    await Promise.all(
      room.allPeers().map(async (peer) => {
        if (peer.id === info.peerId) return;
        const connectionId = this.bindings.get(callId, peer.id);
        if (!connectionId) return;
        const receiving = [...peer.consumers.values()].some((c) => c.producerId === info.producerId);
        if (receiving) {
          served.push(connectionId);
          this.channel.toConnection(connectionId, 'call:producer:paused', { ...info, callId });
          return;
        }
        const recv = [...peer.transports.values()].reverse().find((t) => t.appData.direction === 'recv');
        if (!recv) return;
        served.push(connectionId);
        const consumer = await room.consume(peer, recv.id, info.producerId).catch(() => null);
        this.channel.toConnection(
          connectionId,
          'call:producer:new',
          consumer ? { ...info, consumer, consumerTransportId: recv.id } : info,
        );
      }),
    );
    this.channel.toCall(callId, 'call:producer:new', info, { users: [info.peerId], connections: served });
  }
}
