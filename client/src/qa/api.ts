// REST calls of the QA area (server/recordings/routes.ts). Framework-free: React code reaches them
// through react-query (./queries.ts).
import type { Priority, RecordingStatus, Tier } from '../../../signaling/protocol';
import { type ApiClient, ApiError, api } from '../lib/api';
import { session } from '../lib/session';

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
  status: 'recording' | 'ready' | 'partial' | 'failed';
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

  score(
    id: string,
    scores: Record<string, number>,
  ): Promise<{ scores: Record<string, number>; total: number; max: number }> {
    return this.client.request(path(id, '/review'), { method: 'PUT', body: { scores } });
  }

  comment(id: string, atMs: number, body: string): Promise<RecordingComment> {
    return this.client.request(path(id, '/comments'), { method: 'POST', body: { atMs, body } });
  }
}

export const recordingsApi = new RecordingsApi(api);

/**
 * Downloads one track file into memory and returns an object URL for a media element. A `<video
 * src>` cannot send the bearer token, so the file is fetched with it instead; the browser then
 * seeks within the blob. `onProgress` gets a fraction (0–1) when the size is known.
 */
export async function downloadTrack(
  url: string,
  options: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): Promise<string> {
  const token = session.current?.token;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      credentials: 'same-origin',
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw new ApiError('network', 'The recording could not be downloaded.', { cause: err });
  }
  if (!res.ok) {
    if (res.status === 401 && token && session.current?.token === token) session.signOut('unauthenticated');
    const code =
      res.status === 403
        ? 'forbidden'
        : res.status === 404
          ? 'not_found'
          : res.status === 401
            ? 'unauthenticated'
            : 'internal';
    throw new ApiError(code, `The recording could not be downloaded (${res.status}).`, {
      status: res.status,
    });
  }
  const total = Number(res.headers.get('content-length')) || 0;
  if (!res.body || !options.onProgress || total === 0) {
    const blob = await res.blob();
    options.onProgress?.(1);
    return URL.createObjectURL(new Blob([blob], { type: 'video/webm' }));
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value as Uint8Array<ArrayBuffer>);
    received += value.byteLength;
    options.onProgress(Math.min(1, received / total));
  }
  return URL.createObjectURL(new Blob(chunks, { type: 'video/webm' }));
}
