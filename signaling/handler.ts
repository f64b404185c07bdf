import type { z } from 'zod';
import { AppError } from '../server/errors';
import type { Logger } from '../server/logger';
import { issuesToFields } from '../server/validation';
import type { AckData, AckResult, ClientToServerEvents, Role } from './shared/protocol';
import type { LivedeskSocket } from './types';

type EventName = keyof ClientToServerEvents;

/** One socket event: who may send it, its payload schema (built once, at module scope), what it does. */
export interface HandlerSpec<E extends EventName, S extends z.ZodType> {
  event: E;
  /** Roles allowed to send this event; stated on every handler, enforced here. */
  access: 'signed-in' | readonly Role[];
  payload: S;
  handle: (socket: LivedeskSocket, payload: z.output<S>) => Promise<AckData<E>>;
}

/** Attaches one event's listener to a newly connected socket. Built once per process. */
export type SocketHandler = (socket: LivedeskSocket) => void;

/**
 * Builds, once, the handler of one socket event with the checks every event gets: role, payload
 * validation (zod), and an ack that is always a result. Domain errors keep their code; anything
 * unexpected is logged with a correlation id and reaches the client only as `internal`. Each
 * socket then gets only a small listener that calls it, so the spec and its schema exist once.
 */
export function defineHandler<E extends EventName, S extends z.ZodType>(
  logger: Logger,
  spec: HandlerSpec<E, S>,
): SocketHandler {
  const { event, access, payload: schema, handle } = spec;
  const run = async (socket: LivedeskSocket, payload: unknown, ack: unknown) => {
    const reply = (result: AckResult<AckData<E>>) => {
      if (typeof ack === 'function') ack(result);
    };
    try {
      const user = socket.data.user;
      if (access !== 'signed-in' && !access.includes(user.role)) {
        throw new AppError('forbidden', 'You do not have access to this.');
      }
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        throw new AppError('bad_request', `The ${event} payload is not valid.`, {
          details: issuesToFields(parsed.error),
        });
      }
      reply({ ok: true, data: await handle(socket, parsed.data) });
    } catch (err) {
      if (err instanceof AppError) {
        const error: AckResult<never> & { ok: false } = {
          ok: false,
          error: { code: err.code, message: err.message },
        };
        if (err.details) error.error.details = err.details;
        if (err.retryAfterSeconds !== undefined) error.error.retryAfterSeconds = err.retryAfterSeconds;
        reply(error);
        return;
      }
      const requestId = crypto.randomUUID();
      logger.error({ err, requestId, event, userId: socket.data.user?.id }, 'socket handler failed');
      reply({
        ok: false,
        error: { code: 'internal', message: 'Something went wrong on our side.', requestId },
      });
    }
  };
  // One listener function for every socket: socket.io calls a listener with `this` bound to the
  // socket (it is an EventEmitter), so no closure per socket and event is needed. With ~65 events,
  // per-socket closures were the largest part of a connected socket's memory (bench:chat).
  function listener(this: LivedeskSocket, payload: unknown, ack: unknown) {
    void run(this, payload, ack);
  }
  // socket.io's typed `on` cannot express "validate first": the payload really is unknown here.
  return (socket) => socket.on(event, listener as Parameters<typeof socket.on<E>>[1]);
}
