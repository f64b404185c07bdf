import { z } from 'zod';
import type { MediaSession } from '../../server/calls/mediaSession';
import type { CallConnection } from '../../server/calls/ports';
import type { CallsService } from '../../server/calls/service';
import type { Logger } from '../../server/logger';
import { defineHandler, type SocketHandler } from '../handler';
import { callRoom } from '../rooms';
import type { DtlsParameters, RtpCapabilities, RtpParameters } from '../shared/protocol';
import type { LivedeskSocket } from '../types';

const id = (what: string) => z.uuid({ message: `must be a ${what} id` });
const mediasoupId = z.string().min(1).max(100);
const callRef = { callId: id('call') };
/**
 * mediasoup's parameter objects: checked here only for being objects, then typed as what they
 * claim to be; mediasoup validates them fully and a bad one comes back as a result error.
 */
const jsonObject = z.record(z.string(), z.unknown());
const mediasoupObject = <T>() =>
  z.custom<T>((value) => jsonObject.safeParse(value).success, { message: 'must be an object' });

const startSchema = z.object({ ticketId: id('ticket') }).strict();
const answerSchema = z.object({ ...callRef, accept: z.boolean() }).strict();
const callRefSchema = z.object(callRef).strict();
const emptySchema = z.object({}).strict();
const joinSchema = z
  .object({
    ...callRef,
    rtpCapabilities: mediasoupObject<RtpCapabilities>(),
    // Also create the send and receive transports: saves the browser a round trip.
    transports: z.boolean().optional(),
    // This connection prepared (call:prepare): admit that peer instead of starting afresh.
    prepared: z.boolean().optional(),
  })
  .strict();
const prepareSchema = z.object({ ...callRef, rtpCapabilities: mediasoupObject<RtpCapabilities>() }).strict();
const transportCreateSchema = z.object({ ...callRef, direction: z.enum(['send', 'recv']) }).strict();
const transportConnectSchema = z
  .object({ ...callRef, transportId: mediasoupId, dtlsParameters: mediasoupObject<DtlsParameters>() })
  .strict();
const restartIceSchema = z.object({ ...callRef, transportId: mediasoupId }).strict();
const produceSchema = z
  .object({
    ...callRef,
    transportId: mediasoupId,
    kind: z.enum(['audio', 'video']),
    rtpParameters: mediasoupObject<RtpParameters>(),
    source: z.enum(['mic', 'camera', 'screen']),
  })
  .strict()
  .refine((p) => (p.kind === 'audio') === (p.source === 'mic'), {
    message: 'audio comes from the mic; video from the camera or a screen',
    path: ['source'],
  });
const setPausedSchema = z.object({ ...callRef, producerId: mediasoupId, paused: z.boolean() }).strict();
const producerRefSchema = z.object({ ...callRef, producerId: mediasoupId }).strict();
const consumeSchema = z.object({ ...callRef, transportId: mediasoupId, producerId: mediasoupId }).strict();
const consumerRefSchema = z.object({ ...callRef, consumerId: mediasoupId }).strict();
const nonNegative = z.number().min(0).max(1e9).optional();
const statsSchema = z
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
  .strict();

/** The socket as the media session sees a connection. */
function connectionOf(socket: LivedeskSocket): CallConnection {
  return {
    id: socket.id,
    user: socket.data.user,
    enterCall: (callId) => Promise.resolve(socket.join(callRoom(callId))),
    exitCall: (callId) => void socket.leave(callRoom(callId)),
    showRecording: (notice) => void socket.emit('recording:state', notice),
  };
}

/**
 * Call signaling: ringing and answering (CallsService) and the mediasoup exchange on this socket's
 * user's peer (MediaSession). Each handler parses, calls and acks.
 */
export function createCallHandlers(deps: {
  calls: CallsService;
  session: MediaSession;
  logger: Logger;
}): SocketHandler[] {
  const { calls, session, logger } = deps;
  const staff = ['agent', 'supervisor', 'admin'] as const;
  return [
    defineHandler(logger, {
      event: 'call:start',
      access: staff,
      payload: startSchema,
      handle: (s, { ticketId }) => calls.start(s.data.user, ticketId),
    }),
    defineHandler(logger, {
      event: 'call:answer',
      access: ['customer'],
      payload: answerSchema,
      handle: (s, { callId, accept }) => calls.answer(s.data.user, callId, accept),
    }),
    defineHandler(logger, {
      event: 'call:cancel',
      access: staff,
      payload: callRefSchema,
      handle: (s, { callId }) => calls.cancel(s.data.user, callId),
    }),
    defineHandler(logger, {
      event: 'call:capabilities',
      access: 'signed-in',
      payload: emptySchema,
      handle: async () => ({ routerRtpCapabilities: await session.routerRtpCapabilities() }),
    }),
    defineHandler(logger, {
      event: 'call:join',
      access: 'signed-in',
      payload: joinSchema,
      handle: (s, { callId, rtpCapabilities, transports, prepared }) =>
        session.join(connectionOf(s), callId, rtpCapabilities, { transports, prepared }),
    }),
    defineHandler(logger, {
      event: 'call:prepare',
      access: 'signed-in',
      payload: prepareSchema,
      handle: (s, { callId, rtpCapabilities }) => session.prepare(connectionOf(s), callId, rtpCapabilities),
    }),
    defineHandler(logger, {
      event: 'call:transport:create',
      access: 'signed-in',
      payload: transportCreateSchema,
      handle: (s, { callId, direction }) => session.createTransport(s.data.user.id, callId, direction),
    }),
    defineHandler(logger, {
      event: 'call:transport:connect',
      access: 'signed-in',
      payload: transportConnectSchema,
      handle: async (s, { callId, transportId, dtlsParameters }) => {
        await session.connectTransport(s.data.user.id, callId, transportId, dtlsParameters);
        return null;
      },
    }),
    defineHandler(logger, {
      event: 'call:transport:restart-ice',
      access: 'signed-in',
      payload: restartIceSchema,
      handle: async (s, { callId, transportId }) => ({
        iceParameters: await session.restartIce(s.data.user.id, callId, transportId),
      }),
    }),
    defineHandler(logger, {
      event: 'call:produce',
      access: 'signed-in',
      payload: produceSchema,
      handle: (s, { callId, ...track }) => session.produce(s.data.user.id, callId, track),
    }),
    defineHandler(logger, {
      event: 'call:producer:set-paused',
      access: 'signed-in',
      payload: setPausedSchema,
      handle: async (s, { callId, producerId, paused }) => {
        await session.setProducerPaused(s.data.user.id, callId, producerId, paused);
        return null;
      },
    }),
    defineHandler(logger, {
      event: 'call:producer:close',
      access: 'signed-in',
      payload: producerRefSchema,
      handle: async (s, { callId, producerId }) => {
        session.closeProducer(s.data.user.id, callId, producerId);
        return null;
      },
    }),
    defineHandler(logger, {
      event: 'call:consume',
      access: 'signed-in',
      payload: consumeSchema,
      handle: (s, { callId, transportId, producerId }) =>
        session.consume(s.data.user.id, callId, transportId, producerId),
    }),
    defineHandler(logger, {
      event: 'call:consumer:resume',
      access: 'signed-in',
      payload: consumerRefSchema,
      handle: async (s, { callId, consumerId }) => {
        await session.resumeConsumer(s.data.user.id, callId, consumerId);
        return null;
      },
    }),
    defineHandler(logger, {
      event: 'call:stats',
      access: 'signed-in',
      payload: statsSchema,
      handle: async (s, { callId, stats }) => {
        await calls.reportStats(s.data.user, callId, stats);
        return null;
      },
    }),
    defineHandler(logger, {
      event: 'call:leave',
      access: 'signed-in',
      payload: callRefSchema,
      handle: async (s, { callId }) => {
        session.leave(connectionOf(s), callId);
        return null;
      },
    }),
    defineHandler(logger, {
      event: 'call:hangup',
      access: 'signed-in',
      payload: callRefSchema,
      handle: (s, { callId }) => calls.hangup(s.data.user, callId),
    }),
    // A connection that goes away leaves the calls it carries a peer for (the grace period starts).
    (socket) => socket.on('disconnect', () => session.disconnected(socket.id)),
  ];
}
