// The latest recording notice of each call this page has heard, kept from the moment the page
// starts. The server sends a call's recording state with `call:prepare` and `call:join` (and
// whenever it changes); the call view that shows it may mount a moment after such a notice
// arrived, and a customer cannot look the state up afterwards (the recordings API is for staff).
// Remembering it here means the indicator is right however the two race.
import type { RecordingNotice } from '../../../signaling/shared/protocol';
import { type RealtimeConnection, realtime } from './socket';

export class RecordingNoticeMemory {
  private readonly latest = new Map<string, RecordingNotice>();

  constructor(private readonly connection: Pick<RealtimeConnection, 'on'>) {}

  /** Starts remembering; returns `stop`. */
  start(): () => void {
    return this.connection.on('recording:state', (notice) => {
      this.latest.set(notice.callId, notice);
    });
  }

  /** The last notice heard for `callId`, or null. */
  get(callId: string): RecordingNotice | null {
    return this.latest.get(callId) ?? null;
  }

  /** Forgets everything (a different person signs in on this page). */
  clear(): void {
    this.latest.clear();
  }
}

export const recordingNotices = new RecordingNoticeMemory(realtime);
