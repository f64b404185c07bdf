// REST calls for tickets, messages, agents and attachments. Framework-free: React code reaches
// them through react-query (client/src/tickets/queries.ts).
import type { Urgency } from '../../../signaling/shared/macros';
import type {
  AttachmentView,
  Availability,
  CallView,
  ErrorBody,
  MessageView,
  Presence,
  Priority,
  TicketStatus,
  TicketView,
  Tier,
  TimelineEntry,
} from '../../../signaling/shared/protocol';
import { type ApiClient, ApiError, api } from './api';
import { session } from './session';
import type { ProblemSnapshot } from './snapshot';

/** The categories the server accepts (server/tickets/schemas.ts). */
export const CATEGORIES = ['account', 'payment', 'course', 'technical', 'video_call', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const QUEUE_VIEWS = ['mine', 'tier', 'unassigned', 'breaching', 'all', 'following'] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];

export interface AgentSummary {
  id: string;
  name: string;
  email: string;
  tier: Tier;
  skills: string[];
  availability: Availability;
  /** Where the agent is now (tabs, idle time, calls, their manual choice). */
  presence: Presence;
  openTickets: number;
  /** Connected time of the calls this agent took part in. */
  callSeconds: number;
  callCount: number;
  /** Over the tickets they resolved: call time as a share (0..1) of creation-to-solved; null before any. */
  callShareOfResolution: number | null;
}

export interface NewTicket {
  subject: string;
  description: string;
  category: Category;
  channel?: 'portal' | 'chat';
  snapshot?: ProblemSnapshot;
  attachmentIds?: string[];
  urgency?: Urgency;
}

export interface TicketPatch {
  priority?: Priority;
  status?: TicketStatus;
  category?: Category;
  tags?: string[];
}

export interface MessagePage {
  items: MessageView[];
  nextBefore: number | null;
}

const path = (id: string, rest = '') => `/api/tickets/${encodeURIComponent(id)}${rest}`;

export class TicketsApi {
  constructor(private readonly client: ApiClient) {}

  create(input: NewTicket): Promise<TicketView> {
    return this.client.request('/api/tickets', { method: 'POST', body: input });
  }

  async list(
    query: { view?: QueueView; status?: string; limit?: number },
    signal?: AbortSignal,
  ): Promise<TicketView[]> {
    const params = new URLSearchParams();
    if (query.view) params.set('view', query.view);
    if (query.status) params.set('status', query.status);
    if (query.limit) params.set('limit', String(query.limit));
    const qs = params.toString();
    const result = await this.client.request<{ items: TicketView[] }>(`/api/tickets${qs ? `?${qs}` : ''}`, {
      ...(signal ? { signal } : {}),
    });
    return result.items;
  }

  get(id: string, signal?: AbortSignal): Promise<TicketView> {
    return this.client.request(path(id), signal ? { signal } : {});
  }

  update(id: string, patch: TicketPatch): Promise<TicketView> {
    return this.client.request(path(id), { method: 'PATCH', body: patch });
  }

  messages(id: string, before?: number, signal?: AbortSignal): Promise<MessagePage> {
    const qs = before ? `?before=${before}&limit=50` : '?limit=50';
    return this.client.request(path(id, `/messages${qs}`), signal ? { signal } : {});
  }

  sendMessage(
    id: string,
    input: { body: string; internal?: boolean; clientMessageId: string; attachmentIds?: string[] },
  ): Promise<MessageView> {
    return this.client.request(path(id, '/messages'), { method: 'POST', body: input });
  }

  async timeline(id: string, signal?: AbortSignal): Promise<TimelineEntry[]> {
    const result = await this.client.request<{ items: TimelineEntry[] }>(
      path(id, '/timeline'),
      signal ? { signal } : {},
    );
    return result.items;
  }

  /** The ticket's calls, newest first, with their state (for the conversation's call entries). */
  async calls(id: string, signal?: AbortSignal): Promise<CallView[]> {
    const result = await this.client.request<{ items: CallView[] }>(
      path(id, '/calls'),
      signal ? { signal } : {},
    );
    return result.items;
  }

  claim(id: string): Promise<TicketView> {
    return this.client.request(path(id, '/claim'), { method: 'POST', body: {} });
  }

  assign(id: string, assigneeId: string | null, note?: string): Promise<TicketView> {
    return this.client.request(path(id, '/assign'), {
      method: 'POST',
      body: note ? { assigneeId, note } : { assigneeId },
    });
  }

  escalate(id: string, tier: Tier, note: string): Promise<TicketView> {
    return this.client.request(path(id, '/escalate'), { method: 'POST', body: { tier, note } });
  }

  merge(id: string, intoTicketId: string): Promise<TicketView> {
    return this.client.request(path(id, '/merge'), { method: 'POST', body: { intoTicketId } });
  }

  link(id: string, ticketId: string): Promise<TicketView> {
    return this.client.request(path(id, '/links'), { method: 'POST', body: { ticketId } });
  }

  async setAvailability(availability: Availability): Promise<Availability> {
    const result = await this.client.request<{ availability: Availability }>('/api/me/availability', {
      method: 'PUT',
      body: { availability },
    });
    return result.availability;
  }

  async agents(signal?: AbortSignal): Promise<AgentSummary[]> {
    const result = await this.client.request<{ items: AgentSummary[] }>(
      '/api/agents',
      signal ? { signal } : {},
    );
    return result.items;
  }
}

export const ticketsApi = new TicketsApi(api);

// ---------------------------------------------------------------------------------------------
// Attachments

/** What the server accepts (server/attachments/storage.ts). */
export const ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'application/zip',
  'video/webm',
  'video/mp4',
  'text/plain',
  'text/csv',
  'application/json',
] as const;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

// Browsers leave `File.type` empty for some extensions, or report zip as x-zip-compressed.
const TYPE_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  zip: 'application/zip',
  webm: 'video/webm',
  mp4: 'video/mp4',
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
};

/** The content type to upload a file as, or undefined when the server would refuse it. */
export function attachmentType(file: Pick<File, 'name' | 'type'>): string | undefined {
  const declared = file.type.split(';')[0]!.trim().toLowerCase();
  if ((ATTACHMENT_TYPES as readonly string[]).includes(declared)) return declared;
  if (declared === 'application/x-zip-compressed') return 'application/zip';
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  return TYPE_BY_EXTENSION[ext];
}

export type AttachmentProblem = 'type' | 'size' | 'empty';

export function checkAttachment(file: Pick<File, 'name' | 'type' | 'size'>): AttachmentProblem | undefined {
  if (!attachmentType(file)) return 'type';
  if (file.size === 0) return 'empty';
  if (file.size > MAX_ATTACHMENT_BYTES) return 'size';
  return undefined;
}

/**
 * Uploads one file with `XMLHttpRequest`, the only browser API that reports upload progress.
 * `onProgress` receives a fraction 0…1. Rejects with an `ApiError` like every other API call.
 */
export function uploadAttachment(
  file: File,
  options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<AttachmentView> {
  return new Promise((resolve, reject) => {
    const token = session.current?.token;
    const contentType = attachmentType(file) ?? file.type;
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/attachments');
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    xhr.setRequestHeader('Accept', 'application/json');
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status === 201 || xhr.status === 200) {
        options.onProgress?.(1);
        resolve(body as AttachmentView);
        return;
      }
      const error = (body as { error?: Partial<ErrorBody> } | undefined)?.error;
      if (xhr.status === 401 && token && session.current?.token === token) session.signOut('unauthenticated');
      reject(
        new ApiError(
          error?.code ?? (xhr.status === 413 ? 'bad_request' : 'internal'),
          error?.message ?? `Upload failed (${xhr.status}).`,
          { status: xhr.status, ...(error?.details ? { details: error.details } : {}) },
        ),
      );
    };
    xhr.onerror = () => reject(new ApiError('network', 'The upload did not reach the server.'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/**
 * Downloads an attachment with the bearer token (a plain link cannot send it) and saves it under
 * its own name through a temporary object URL.
 */
export async function downloadAttachment(attachment: AttachmentView): Promise<void> {
  const token = session.current?.token;
  let res: Response;
  try {
    res = await fetch(attachment.url || `/api/attachments/${attachment.id}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  } catch (err) {
    throw new ApiError('network', 'The download did not reach the server.', { cause: err });
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as { error?: Partial<ErrorBody> } | undefined;
    throw new ApiError(body?.error?.code ?? 'internal', body?.error?.message ?? 'Download failed.', {
      status: res.status,
    });
  }
  const url = URL.createObjectURL(await res.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = attachment.fileName;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // Revoking at once can cancel the download in some browsers; give it a moment.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

/** A random id for `clientMessageId` (letters, digits, - and _ as the server requires). */
export function newClientMessageId(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
