import { z } from 'zod';
import type { Logger } from '../../server/logger';
import type { RecordingsService } from '../../server/recordings/service';
import { defineHandler, type SocketHandler } from '../handler';

const callRef = z.object({ callId: z.uuid({ message: 'must be a call id' }) }).strict();

const consentSchema = z.object({ callId: z.uuid(), accept: z.boolean() }).strict();

/** Recording controls inside a call. */
export function createRecordingHandlers(deps: {
  recordings: RecordingsService;
  logger: Logger;
}): SocketHandler[] {
  const { logger } = deps;
  return [
    defineHandler(logger, {
      event: 'recording:start',
      access: ['agent', 'supervisor', 'admin'],
      payload: callRef,
      handle: (s, { callId }) => deps.recordings.request(s.data.user, callId, 'manual'),
    }),
    defineHandler(logger, {
      event: 'recording:stop',
      access: ['agent', 'supervisor', 'admin'],
      payload: callRef,
      handle: async (s, { callId }) => (await deps.recordings.stop(s.data.user, callId)) ?? null,
    }),
    defineHandler(logger, {
      event: 'recording:consent',
      access: ['customer'],
      payload: consentSchema,
      handle: (s, { callId, accept }) => deps.recordings.consent(s.data.user, callId, accept),
    }),
  ];
}
