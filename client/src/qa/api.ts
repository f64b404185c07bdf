// REST calls of the QA area (server/recordings/routes.ts). Framework-free: React code reaches them
// through react-query (./queries.ts).
import type { BoardReplay } from '../../../signaling/shared/boardMerge';
import type { Priority, RecordingStatus, Tier } from '../../../signaling/shared/protocol';
import { type ApiClient, api } from '../lib/api';

export interface RecordingSummary {
  id: string;
  callId: string;
  ticketId: string;
  status: RecordingStatus;
  trigger: 'manual' | 'rule';
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number | null;
  sizeBytes: number | null;
  error: string | null;
}

export interface RecordingListItem extends RecordingSummary {
  ticketNumber: number;
  subject: string;
  tier: Tier;
  priority: Priority;
  /** Who started the call. */
  agent: { id: string; name: string };
  /** Average review total (sum of the rubric's 1–5 scores), or null before the first review. */
  score: number | null;
}

export interface RecordingTrack {
  id: string;
  userId: string;
  userName: string;
  kind: 'audio' | 'video';
  source: 'mic' | 'camera' | 'screen';
  /** `recording` while running; `ready`/`partial` have a file; `failed` has none. */
  /** `empty`: stopped before its first frame (nothing to play, nothing failed). */
  status: 'recording' | 'ready' | 'partial' | 'empty' | 'failed';
  /** When this track starts, counted from the recording's start. */
  offsetMs: number;
  durationSeconds: number | null;
  sizeBytes: number | null;
  codec: string | null;
  url: string;
}

/** A moment of the call on the player's timeline (server-built; types are open-ended). */
export interface RecordingMarker {
  atMs: number;
  type: string;
  label: string;
}

export interface RecordingReview {
  reviewer: string;
  reviewerId: string;
  scores: Record<string, number>;
  total: number;
}

export interface RecordingComment {
  id: string;
  atMs: number;
  body: string;
  author: string;
  createdAt: string;
}

export interface RecordingDetail extends RecordingSummary {
  tracks: RecordingTrack[];
  markers: RecordingMarker[];
  rubric: Array<{ id: string; label: string }>;
  reviews: RecordingReview[];
  comments: RecordingComment[];
}

export interface RecordingFilters {
  agentId?: string;
  tier?: Tier;
  priority?: Priority;
  /** Inclusive bounds on the recording's start (ISO timestamps). */
  from?: string;
  to?: string;
  minScore?: number;
}

export type { BoardReplay };

const path = (id: string, rest = '') => `/api/recordings/${encodeURIComponent(id)}${rest}`;

export class RecordingsApi {
  constructor(private readonly client: ApiClient) {}

  async list(filters: RecordingFilters, signal?: AbortSignal): Promise<RecordingListItem[]> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    params.set('limit', '200');
    const result = await this.client.request<{ items: RecordingListItem[] }>(
      `/api/recordings?${params.toString()}`,
      signal ? { signal } : {},
    );
    return result.items;
  }

  get(id: string, signal?: AbortSignal): Promise<RecordingDetail> {
    return this.client.request(path(id), signal ? { signal } : {});
  }

  /** The call's whiteboard for replay in step with the recording. */
  board(id: string, signal?: AbortSignal): Promise<BoardReplay> {
    return this.client.request(path(id, '/board'), signal ? { signal } : {});
  }

  score(
    id: string,
    scores: Record<string, number>,
  ): Promise<{ scores: Record<string, number>; total: number; max: number }> {
    return this.client.request(path(id, '/review'), { method: 'PUT', body: { scores } });
  }

  comment(id: string, atMs: number, body: string): Promise<RecordingComment> {
    return this.client.request(path(id, '/comments'), { method: 'POST', body: { atMs, body } });
  }

  /**
   * A link that plays one track in a media element. A `<video src>` cannot send the bearer token;
   * the link carries a token that opens only this track, so the browser streams it with range
   * requests (playing and seeking at once) instead of downloading the whole file first.
   */
  streamUrl(id: string, trackId: string, signal?: AbortSignal): Promise<{ url: string; expiresAt: string }> {
    return this.client.request(
      path(id, `/tracks/${encodeURIComponent(trackId)}/stream-url`),
      signal ? { signal } : {},
    );
  }
}

export const recordingsApi = new RecordingsApi(api);
