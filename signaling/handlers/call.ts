import { z } from 'zod';
import type { CallRoom, ProducerInfo } from '../../media/CallRoom';
import { MediaError } from '../../media/errors';
import type { MediaServer } from '../../media/MediaServer';
import type { Peer } from '../../media/Peer';
import type { CallsService } from '../../server/calls/service';
import { AppError } from '../../server/errors';
import type { Logger } from '../../server/logger';
import { onEvent } from '../handler';
import { callRoom, userRoom } from '../rooms';
import type { CallJoinResult, CallPrepareResult, RecordingNotice } from '../shared/protocol';
import type { LivedeskServer, LivedeskSocket } from '../types';

const id = (what: string) => z.uuid({ message: `must be a ${what} id` });
const mediasoupId = z.string().min(1).max(100);
const jsonObject = z.record(z.string(), z.unknown());
const callRef = { callId: id('call') };

/**
 * Call signaling: ringing and answering (through CallsService) and the mediasoup exchange
 * (transports, produce, consume) for the peer that belongs to this socket's user. Every media
 * lookup goes through that peer, so ids from another peer are simply not found.
 */
export function createCallSignaling(
  io: LivedeskServer,
  deps: {
    calls: CallsService;
    media: MediaServer;
    logger: Logger;
    /**
     * The call's recording state, sent to whoever joins or prepares to join: the server announces
     * changes only, so without it a reload would lose the indicator (and the consent request).
     * Required, so the composition root cannot forget it.
     */
    recordingNotice: (callId: string) => Promise<RecordingNotice | null>;
  },
) {
  const { calls, media } = deps;
  /** Which socket currently carries each person's peer: `${callId}:${userId}` → socket id. */
  const bindings = new Map<string, string>();
  const wired = new WeakSet<CallRoom>();

  /**
   * A media refusal becomes a result error with our own wording; the room keeps working. What
   * mediasoup itself said (its `cause`) names its internals: it goes to the log, never the client.
   */
  function asAppError(err: unknown): never {
    if (err instanceof MediaError) {
      if (err.cause) deps.logger.warn({ err: err.cause, code: err.code }, 'media request refused');
      throw new AppError(err.code, err.message);
    }
    throw err;
  }

  /** Tells this socket the call's current recording state, if a recording is or was live in it. */
  async function sendRecordingNotice(s: LivedeskSocket, callId: string) {
    const notice = await deps.recordingNotice(callId);
    if (notice) s.emit('recording:state', notice);
  }

  function wireRoom(room: CallRoom) {
    if (wired.has(room)) return;
    wired.add(room);
    const to = callRoom(room.callId);
    room.on('newProducer', (info) => void announceProducer(room, info));
    room.on('producerClosed', (info) =>
      io.to(to).emit('call:producer:closed', {
        callId: room.callId,
        producerId: info.producerId,
        peerId: info.peerId,
      }),
    );
    const paused = (info: ProducerInfo) =>
      io
        .to(to)
        .except(userRoom(info.peerId))
        .emit('call:producer:paused', { ...info, callId: room.callId });
    room.on('producerPaused', paused);
    room.on('producerResumed', paused);
    room.on('consumerClosed', (peer, consumerId) => {
      const socketId = bindings.get(`${room.callId}:${peer.id}`);
      if (socketId) io.to(socketId).emit('call:consumer:closed', { callId: room.callId, consumerId });
    });
    room.on('peerLeft', (peer: Peer, reason: 'left' | 'replaced' | 'timeout') => {
      const key = `${room.callId}:${peer.id}`;
      if (reason === 'replaced') return; // the new connection took over; its join re-bound the key
      const socketId = bindings.get(key);
      bindings.delete(key);
      if (socketId && reason === 'timeout') {
        io.to(socketId).emit('call:media-lost', { callId: room.callId, rejoin: true, reason: 'timeout' });
      }
      // Left the device check without joining: never in the call, so no leave and no grace period.
      if (peer.waiting) return;
      void calls.left(room.callId, peer.id).catch((err) => deps.logger.error({ err }, 'call leave failed'));
    });
    room.once('closed', () => {
      if (room.workerDied)
        io.to(to).emit('call:media-lost', { callId: room.callId, rejoin: true, reason: 'worker_died' });
    });
  }

  /**
   * Tells every other peer (in the call or getting ready) about a new track. A peer whose socket is
   * on this server and which has a receive transport gets a (paused) consumer made for it with the
   * notice — it only has to resume it, one round trip instead of two. Anyone else in the call's
   * room gets the bare notice and asks with `call:consume`. A track announced again because its
   * sender was admitted (it was `waiting`) is, for those who already receive it, a state change.
   */
  async function announceProducer(room: CallRoom, info: ProducerInfo) {
    const served: string[] = [];
    await Promise.all(
      room.allPeers().map(async (peer) => {
        if (peer.id === info.peerId) return;
        const socketId = bindings.get(`${room.callId}:${peer.id}`);
        if (!socketId) return;
        const receiving = [...peer.consumers.values()].some((c) => c.producerId === info.producerId);
        if (receiving) {
          served.push(socketId);
          io.to(socketId).emit('call:producer:paused', { ...info, callId: room.callId });
          return;
        }
        const recv = [...peer.transports.values()].reverse().find((t) => t.appData.direction === 'recv');
        if (!recv) return;
        served.push(socketId);
        const consumer = await room.consume(peer, recv.id, info.producerId).catch(() => null);
        io.to(socketId).emit(
          'call:producer:new',
          consumer ? { ...info, consumer: consumer as never, consumerTransportId: recv.id } : info,
        );
      }),
    );
    io.to(callRoom(room.callId))
      .except([userRoom(info.peerId), ...served])
      .emit('call:producer:new', info);
  }

  /**
   * The peer's send and receive transports, and paused consumers on the latter of what the others
   * send now: one round trip fewer per track. One that cannot be made is left to the client's own
   * call:consume.
   */
  async function transportsWithConsumers(room: CallRoom, peer: Peer) {
    const [send, recv] = await Promise.all([
      room.createTransport(peer, 'send').catch(asAppError),
      room.createTransport(peer, 'recv').catch(asAppError),
    ]);
    const consumers = await Promise.all(
      room.producersFor(peer).map((p) => room.consume(peer, recv.id, p.producerId).catch(() => null)),
    );
    return {
      transports: { send, recv } as CallPrepareResult['transports'],
      consumers: consumers.filter((c) => c !== null) as CallPrepareResult['consumers'],
    };
  }

  /** The caller's peer in a live room, or a clear error. */
  function peerOf(socket: LivedeskSocket, callId: string) {
    const room = media.getRoom(callId);
    if (!room) throw new AppError('conflict', 'This call has no media room now; join it again.');
    try {
      return { room, peer: room.getPeer(socket.data.user.id) };
    } catch (err) {
      return asAppError(err);
    }
  }

  function register(socket: LivedeskSocket, logger: Logger) {
    const joined = new Set<string>();

    onEvent(socket, logger, {
      event: 'call:start',
      access: ['agent', 'supervisor', 'admin'],
      payload: z.object({ ticketId: id('ticket') }).strict(),
      handle: (s, { ticketId }) => calls.start(s.data.user, ticketId),
    });
    onEvent(socket, logger, {
      event: 'call:answer',
      access: ['customer'],
      payload: z.object({ ...callRef, accept: z.boolean() }).strict(),
      handle: (s, { callId, accept }) => calls.answer(s.data.user, callId, accept),
    });
    onEvent(socket, logger, {
      event: 'call:cancel',
      access: ['agent', 'supervisor', 'admin'],
      payload: z.object(callRef).strict(),
      handle: (s, { callId }) => calls.cancel(s.data.user, callId),
    });
    onEvent(socket, logger, {
      event: 'call:capabilities',
      access: 'signed-in',
      payload: z.object({}).strict(),
      handle: async () => ({
        routerRtpCapabilities: (await media.routerRtpCapabilities()) as unknown as Record<string, unknown>,
      }),
    });
    onEvent(socket, logger, {
      event: 'call:join',
      access: 'signed-in',
      payload: z
        .object({
          ...callRef,
          rtpCapabilities: jsonObject,
          // Also create the send and receive transports: saves the browser a round trip.
          transports: z.boolean().optional(),
          // This connection prepared (call:prepare): admit that peer instead of starting afresh.
          prepared: z.boolean().optional(),
        })
        .strict(),
      handle: async (s, { callId, rtpCapabilities, transports, prepared }) => {
        const key = `${callId}:${s.data.user.id}`;
        const waitingRoom = media.getRoom(callId);
        const waiting = waitingRoom?.waiting.get(s.data.user.id);
        let admitted: Peer | undefined;
        if (prepared && waiting && bindings.get(key) === s.id) {
          // This connection's prepared peer: its media goes through at once, the moment the join
          // arrives (the browser starts sending as it asks), and the join below records it.
          // call:prepare made the same checks; a join refused now takes the peer out again.
          admitted = await waitingRoom!.admit(waiting).then(
            () => waiting,
            () => undefined,
          );
        }
        const joinResult = await calls
          .join(s.data.user, callId, rtpCapabilities, admitted ? { admitted } : {})
          .catch((err) => {
            if (admitted) media.getRoom(callId)?.leave(s.data.user.id);
            return asAppError(err);
          });
        const room = media.getRoom(callId);
        if (room) wireRoom(room);
        let result: CallJoinResult = joinResult;
        if (transports && !joinResult.prepared) {
          const { room: live, peer } = peerOf(s, callId);
          result = { ...joinResult, ...(await transportsWithConsumers(live, peer)) };
        }
        const previous = bindings.get(key);
        if (previous && previous !== s.id) {
          // Same person, new connection (reload, second tab): the old one is out of the call.
          io.to(previous).emit('call:media-lost', { callId, rejoin: false, reason: 'replaced' });
          io.in(previous).socketsLeave(callRoom(callId));
        }
        bindings.set(key, s.id);
        joined.add(callId);
        await s.join(callRoom(callId));
        // The list of the others' tracks is taken again now that this socket hears the room's
        // `call:producer:new`: a track that appeared while the join was under way is in the list
        // or announced (possibly both; the client takes each track once), never neither.
        const current = media.getRoom(callId);
        if (current?.peers.has(s.data.user.id)) {
          result = { ...result, producers: current.producersFor(current.getPeer(s.data.user.id)) };
        }
        await sendRecordingNotice(s, callId);
        return result;
      },
    });
    onEvent(socket, logger, {
      event: 'call:prepare',
      access: 'signed-in',
      payload: z.object({ ...callRef, rtpCapabilities: jsonObject }).strict(),
      handle: async (s, { callId, rtpCapabilities }) => {
        const ready = await calls.prepare(s.data.user, callId, rtpCapabilities).catch(asAppError);
        const { room, peer } = peerOf(s, callId);
        wireRoom(room);
        // Bound and in the call's room before anything is made, so no track announced meanwhile
        // is missed (it is then in the list below or announced, possibly both).
        const key = `${callId}:${s.data.user.id}`;
        const previous = bindings.get(key);
        if (previous && previous !== s.id) io.in(previous).socketsLeave(callRoom(callId));
        bindings.set(key, s.id);
        joined.add(callId);
        await s.join(callRoom(callId));
        // On the device check the person already hears the call's recording changes; the state
        // before them comes from here (a reload lands on the device check first).
        await sendRecordingNotice(s, callId);
        return { ...ready, ...(await transportsWithConsumers(room, peer)) } as CallPrepareResult;
      },
    });
    onEvent(socket, logger, {
      event: 'call:transport:create',
      access: 'signed-in',
      payload: z.object({ ...callRef, direction: z.enum(['send', 'recv']) }).strict(),
      handle: async (s, { callId, direction }) => {
        const { room, peer } = peerOf(s, callId);
        return (await room.createTransport(peer, direction).catch(asAppError)) as never;
      },
    });
    onEvent(socket, logger, {
      event: 'call:transport:connect',
      access: 'signed-in',
      payload: z.object({ ...callRef, transportId: mediasoupId, dtlsParameters: jsonObject }).strict(),
      handle: async (s, { callId, transportId, dtlsParameters }) => {
        const { room, peer } = peerOf(s, callId);
        await room.connectTransport(peer, transportId, dtlsParameters as never).catch(asAppError);
        return null;
      },
    });
    onEvent(socket, logger, {
      event: 'call:transport:restart-ice',
      access: 'signed-in',
      payload: z.object({ ...callRef, transportId: mediasoupId }).strict(),
      handle: async (s, { callId, transportId }) => {
        const { room, peer } = peerOf(s, callId);
        const iceParameters = await room.restartIce(peer, transportId).catch(asAppError);
        return { iceParameters: iceParameters as never };
      },
    });
    onEvent(socket, logger, {
      event: 'call:produce',
      access: 'signed-in',
      payload: z
        .object({
          ...callRef,
          transportId: mediasoupId,
          kind: z.enum(['audio', 'video']),
          rtpParameters: jsonObject,
          source: z.enum(['mic', 'camera', 'screen']),
        })
        .strict()
        .refine((p) => (p.kind === 'audio') === (p.source === 'mic'), {
          message: 'audio comes from the mic; video from the camera or a screen',
          path: ['source'],
        }),
      handle: async (s, { callId, transportId, kind, rtpParameters, source }) => {
        const { room, peer } = peerOf(s, callId);
        const info = await room
          .produce(peer, transportId, kind, rtpParameters as never, source)
          .catch(asAppError);
        return { producerId: info.producerId };
      },
    });
    onEvent(socket, logger, {
      event: 'call:producer:set-paused',
      access: 'signed-in',
      payload: z.object({ ...callRef, producerId: mediasoupId, paused: z.boolean() }).strict(),
      handle: async (s, { callId, producerId, paused }) => {
        const { room, peer } = peerOf(s, callId);
        await room.setProducerPaused(peer, producerId, paused).catch(asAppError);
        return null;
      },
    });
    onEvent(socket, logger, {
      event: 'call:producer:close',
      access: 'signed-in',
      payload: z.object({ ...callRef, producerId: mediasoupId }).strict(),
      handle: async (s, { callId, producerId }) => {
        const { room, peer } = peerOf(s, callId);
        try {
          room.closeProducer(peer, producerId);
        } catch (err) {
          asAppError(err);
        }
        return null;
      },
    });
    onEvent(socket, logger, {
      event: 'call:consume',
      access: 'signed-in',
      payload: z.object({ ...callRef, transportId: mediasoupId, producerId: mediasoupId }).strict(),
      handle: async (s, { callId, transportId, producerId }) => {
        const { room, peer } = peerOf(s, callId);
        return (await room.consume(peer, transportId, producerId).catch(asAppError)) as never;
      },
    });
    onEvent(socket, logger, {
      event: 'call:consumer:resume',
      access: 'signed-in',
      payload: z.object({ ...callRef, consumerId: mediasoupId }).strict(),
      handle: async (s, { callId, consumerId }) => {
        const { room, peer } = peerOf(s, callId);
        await room.resumeConsumer(peer, consumerId).catch(asAppError);
        return null;
      },
    });
    const nonNegative = z.number().min(0).max(1e9).optional();
    onEvent(socket, logger, {
      event: 'call:stats',
      access: 'signed-in',
      payload: z
        .object({
          ...callRef,
          stats: z
            .object({
              rttMs: nonNegative,
              packetLoss: z.number().min(0).max(1).optional(),
              inboundKbps: nonNegative,
              outboundKbps: nonNegative,
              frameWidth: nonNegative,
              frameHeight: nonNegative,
              framesDecoded: nonNegative,
              bytesReceived: z.number().min(0).max(1e15).optional(),
            })
            .strict(),
        })
        .strict(),
      handle: async (s, { callId, stats }) => {
        await calls.reportStats(s.data.user, callId, stats);
        return null;
      },
    });
    onEvent(socket, logger, {
      event: 'call:leave',
      access: 'signed-in',
      payload: z.object(callRef).strict(),
      handle: async (s, { callId }) => {
        leave(s, callId);
        return null;
      },
    });
    onEvent(socket, logger, {
      event: 'call:hangup',
      access: 'signed-in',
      payload: z.object(callRef).strict(),
      handle: (s, { callId }) => calls.hangup(s.data.user, callId),
    });

    function leave(s: LivedeskSocket, callId: string) {
      joined.delete(callId);
      void s.leave(callRoom(callId));
      const key = `${callId}:${s.data.user.id}`;
      // Only the connection that carries the peer may take it down (not a replaced old tab).
      if (bindings.get(key) !== s.id) return;
      media.getRoom(callId)?.leave(s.data.user.id);
    }

    socket.on('disconnect', () => {
      for (const callId of [...joined]) leave(socket, callId);
    });
  }

  return { register };
}
