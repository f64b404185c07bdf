import type { z } from 'zod';
import { AppError } from '../server/errors';
import type { Logger } from '../server/logger';
import { issuesToFields } from '../server/validation';
import type { AckResult, ClientToServerEvents, Role } from './shared/protocol';
import type { LivedeskSocket } from './types';

type EventName = keyof ClientToServerEvents;
type AckData<E extends EventName> = Parameters<ClientToServerEvents[E]>[1] extends (
  result: AckResult<infer T>,
) => void
  ? T
  : never;

export interface HandlerSpec<E extends EventName, S extends z.ZodType> {
  event: E;
  /** Roles allowed to send this event; stated on every handler, enforced here. */
  access: 'signed-in' | readonly Role[];
  payload: S;
  handle: (socket: LivedeskSocket, payload: z.output<S>) => Promise<AckData<E>>;
}

/**
 * One schema per event for the whole process. Handler modules build their specs per socket; keeping
 * the first schema seen for an event lets every later socket's copy be garbage-collected instead of
 * being retained by its listener (zod schemas are large: ~100 objects per socket otherwise).
 */
const schemaByEvent = new Map<string, z.ZodType>();

/**
 * Registers one socket event with the checks every event gets: role, payload validation (zod),
 * and an ack that is always a result. Domain errors keep their code; anything unexpected is
 * logged with a correlation id and reaches the client only as `internal`.
 */
export function onEvent<E extends EventName, S extends z.ZodType>(
  socket: LivedeskSocket,
  logger: Logger,
  spec: HandlerSpec<E, S>,
) {
  let schema = schemaByEvent.get(spec.event) as S | undefined;
  if (!schema) {
    schema = spec.payload;
    schemaByEvent.set(spec.event, schema);
  }
  const payloadSchema = schema;
  // Destructured so the listener does not close over `spec` (and this socket's copy of the schema).
  const { event, access, handle } = spec;
  const listener = async (payload: unknown, ack: unknown) => {
    const reply = (result: AckResult<AckData<E>>) => {
      if (typeof ack === 'function') ack(result);
    };
    try {
      const user = socket.data.user;
      if (access !== 'signed-in' && !access.includes(user.role)) {
        throw new AppError('forbidden', 'You do not have access to this.');
      }
      const parsed = payloadSchema.safeParse(payload);
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
      logger.error({ err, requestId, event: event, userId: socket.data.user?.id }, 'socket handler failed');
      reply({
        ok: false,
        error: { code: 'internal', message: 'Something went wrong on our side.', requestId },
      });
    }
  };
  // socket.io's typed `on` cannot express "validate first"; the payload really is unknown here.
  socket.on(event, listener as never);
  // The spec (and the schema it built) is not kept: only the listener and the shared schema are.
}
