// The recording state of one call, from `recording:state` (docs/protocol.md, Recording), and the
// controls: an agent starts/stops, the customer answers the consent request.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PublicUser, RecordingNotice, RecordingStatus } from '../../../signaling/shared/protocol';
import { recordingNotices } from '../lib/recordingNotices';
import { realtime, SocketRequestError } from '../lib/socket';
import { recordingsApi } from '../qa/api';

export type RecordingAction = 'start' | 'stop' | 'allow' | 'decline';

export interface CallRecording {
  /** The latest notice for this call, or null when nothing was ever recorded in it (as far as we know). */
  notice: RecordingNotice | null;
  /** A request in flight. */
  pending: RecordingAction | null;
  /** Why the last request failed (the server's code), for the user to read. */
  failure: { action: RecordingAction; code: SocketRequestError['code'] } | null;
  /** Staff on the call control it; the customer consents. */
  canControl: boolean;
  start(): void;
  stop(): void;
  consent(accept: boolean): void;
  dismissFailure(): void;
}

/** States in which a recording is still live for this call (a new one cannot be started). */
export const LIVE_STATUSES: readonly RecordingStatus[] = ['awaiting_consent', 'recording', 'processing'];

/**
 * `lookUp`: whether to ask the server for a recording already running (staff, after a reload);
 * the call view sets it once the media is up, so the request does not compete with the join.
 */
export function useCallRecording(callId: string, me: Pick<PublicUser, 'role'>, lookUp = true): CallRecording {
  const [notice, setNotice] = useState<RecordingNotice | null>(null);
  const [pending, setPending] = useState<RecordingAction | null>(null);
  const [failure, setFailure] = useState<CallRecording['failure']>(null);
  const heard = useRef(false);
  const canControl = me.role !== 'customer';

  useEffect(() => {
    // A notice that arrived before this view listened (with the join's answer) is remembered.
    const earlier = recordingNotices.get(callId);
    heard.current = earlier !== null;
    setNotice(earlier);
    return realtime.on('recording:state', (next) => {
      if (next.callId !== callId) return;
      heard.current = true;
      setNotice(next);
    });
  }, [callId]);

  // The server sends the current state with `call:prepare` and `call:join` (docs/protocol.md,
  // Recording); the staff side also looks it up once the media is up, so the Stop button comes
  // back even if that notice arrived before this view listened.
  useEffect(() => {
    if (!canControl || !lookUp) return;
    const controller = new AbortController();
    recordingsApi
      .list({}, controller.signal)
      .then((items) => {
        const current = items.find((r) => r.callId === callId && LIVE_STATUSES.includes(r.status));
        if (!current || heard.current) return;
        setNotice({
          callId,
          recordingId: current.id,
          status: current.status,
          consentText: '',
          error: current.error,
        });
      })
      .catch(() => {
        // Only a convenience after a reload: the next recording:state brings the truth.
      });
    return () => controller.abort();
  }, [callId, canControl, lookUp]);

  const run = useCallback((action: RecordingAction, request: () => Promise<RecordingNotice | null>) => {
    setPending(action);
    setFailure(null);
    request()
      .then((result) => {
        if (result) {
          heard.current = true;
          setNotice((current) =>
            // A later broadcast (e.g. "ready" after "processing") may already have arrived.
            current && current.recordingId === result.recordingId && rank(current) > rank(result)
              ? current
              : result,
          );
        }
      })
      .catch((err: unknown) =>
        setFailure({ action, code: err instanceof SocketRequestError ? err.code : 'internal' }),
      )
      .finally(() => setPending(null));
  }, []);

  // The same object while nothing changed: the call view's controls are memoized on it.
  return useMemo(
    () => ({
      notice,
      pending,
      failure,
      canControl,
      start: () => run('start', () => realtime.request('recording:start', { callId })),
      stop: () => run('stop', () => realtime.request('recording:stop', { callId }, 30_000)),
      consent: (accept: boolean) =>
        run(accept ? 'allow' : 'decline', () => realtime.request('recording:consent', { callId, accept })),
      dismissFailure: () => setFailure(null),
    }),
    [notice, pending, failure, canControl, run, callId],
  );
}

const ORDER: Record<RecordingStatus, number> = {
  awaiting_consent: 0,
  recording: 1,
  processing: 2,
  ready: 3,
  partial: 3,
  failed: 3,
  declined: 3,
};
const rank = (n: RecordingNotice) => ORDER[n.status];
