import { z } from 'zod';
import type { Logger } from '../../server/logger';
import type { RecordingsService } from '../../server/recordings/service';
import { onEvent } from '../handler';
import type { LivedeskSocket } from '../types';

const callRef = z.object({ callId: z.uuid({ message: 'must be a call id' }) }).strict();

/** Recording controls inside a call. */
export function registerRecordingHandlers(
  socket: LivedeskSocket,
  logger: Logger,
  deps: { recordings: RecordingsService },
) {
  onEvent(socket, logger, {
    event: 'recording:start',
    access: ['agent', 'supervisor', 'admin'],
    payload: callRef,
    handle: (s, { callId }) => deps.recordings.request(s.data.user, callId, 'manual'),
  });
  onEvent(socket, logger, {
    event: 'recording:stop',
    access: ['agent', 'supervisor', 'admin'],
    payload: callRef,
    handle: async (s, { callId }) => (await deps.recordings.stop(s.data.user, callId)) ?? null,
  });
  onEvent(socket, logger, {
    event: 'recording:consent',
    access: ['customer'],
    payload: z.object({ callId: z.uuid(), accept: z.boolean() }).strict(),
    handle: (s, { callId, accept }) => deps.recordings.consent(s.data.user, callId, accept),
  });
}
