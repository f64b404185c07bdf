// The live conversation of one ticket: history pages over REST, new messages over the socket,
// optimistic sending with retry, and who is typing. Framework-free; React reads it through
// `useSyncExternalStore` (client/src/tickets/useConversation.ts).
import type { AttachmentView, MessageView, TicketView, UserRef } from '../../../signaling/shared/protocol';
import type { ConnectionStatus, RealtimeConnection } from './socket';
import { Listeners } from './store';
import { newClientMessageId, type TicketsApi } from './tickets';

/**
 * `queued`: it could not reach the server (offline); it is sent again by itself when the live
 * connection returns. `failed`: the server refused it (or it failed while connected): the user
 * retries or discards it.
 */
export type DeliveryState = 'sent' | 'sending' | 'queued' | 'failed';

export interface ConversationItem {
  /** Stable React key: the clientMessageId for our own messages, else the server id. */
  key: string;
  message: MessageView;
  delivery: DeliveryState;
  /** Why sending failed (an error to describe), when `delivery` is `failed` or `queued`. */
  error?: unknown;
}

export interface TypingPerson {
  user: UserRef;
  internal: boolean;
}

export interface ConversationState {
  status: 'loading' | 'ready' | 'error';
  error: unknown;
  items: ConversationItem[];
  /** Cursor for older messages; null when the first message is loaded. */
  nextBefore: number | null;
  loadingEarlier: boolean;
  earlierError: unknown;
  typing: TypingPerson[];
}

export interface OutgoingMessage {
  body: string;
  internal?: boolean;
  attachments?: AttachmentView[];
}

const SEND_TIMEOUT_MS = 15_000;

/** The request never got an answer (REST `ApiError` and socket `SocketRequestError` alike). */
const isNetworkError = (err: unknown) =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'network';
/** Send "typing" at most this often while the user keeps typing. */
const TYPING_THROTTLE_MS = 2_000;
/** Stop saying "typing" after this long without a keystroke. */
const TYPING_IDLE_MS = 3_000;
/** Forget someone's "typing" if their "stopped" never arrives (it is sent volatile). */
const TYPING_EXPIRY_MS = 6_000;
/** Several pushes often arrive for one change; re-read the conversation once for all of them. */
const REFRESH_DEBOUNCE_MS = 300;

interface Pending {
  clientMessageId: string;
  message: MessageView;
  delivery: 'sending' | 'queued' | 'failed';
  error?: unknown;
  /** A send that failed for the network just as the connection came back is repeated once. */
  resentOnce?: boolean;
  attachmentIds: string[];
}

export class Conversation {
  private messages = new Map<string, MessageView>();
  private pending = new Map<string, Pending>();
  private typingPeople = new Map<string, TypingPerson & { timer: ReturnType<typeof setTimeout> }>();
  private state: ConversationState = {
    status: 'loading',
    error: null,
    items: [],
    nextBefore: null,
    loadingEarlier: false,
    earlierError: null,
    typing: [],
  };
  private readonly listeners = new Listeners();
  private readonly cleanups: Array<() => void> = [];
  private stopped = false;
  private subscribedOnce = false;
  private lastStatus: ConnectionStatus;
  // Outgoing typing indicator.
  private typingSentAt = 0;
  private typingInternal = false;
  private typingIdleTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly ticketId: string,
    private readonly deps: {
      api: TicketsApi;
      realtime: RealtimeConnection;
      me: UserRef;
      /** The subscribe ack carries the ticket's current state: hand it to the cache. */
      onTicket?: (ticket: TicketView) => void;
    },
  ) {
    this.lastStatus = deps.realtime.getStatus();
  }

  getSnapshot = (): ConversationState => this.state;

  readonly subscribe = this.listeners.subscribe;

  /** Loads the latest page and starts live updates; returns `stop`. */
  start(): () => void {
    const { realtime } = this.deps;
    this.cleanups.push(
      realtime.on('message:created', (message) => {
        if (message.ticketId === this.ticketId) this.receive([message]);
      }),
      realtime.on('typing:changed', (event) => {
        if (event.ticketId === this.ticketId && event.user.id !== this.deps.me.id) {
          this.setTyping(event.user, event.typing, event.internal);
        }
      }),
      // Escalation, hand-over and merge notes are written by the server as part of a ticket change
      // and may come without a `message:created`: a change to this ticket re-reads the latest page.
      realtime.on('ticket:changed', (ticket) => {
        if (ticket.id !== this.ticketId || this.state.status !== 'ready') return;
        clearTimeout(this.refreshTimer);
        this.refreshTimer = setTimeout(() => void this.loadLatest(), REFRESH_DEBOUNCE_MS);
      }),
      realtime.subscribe(() => {
        const status = realtime.getStatus();
        const was = this.lastStatus;
        this.lastStatus = status;
        if (status === 'connected' && was !== 'connected') {
          void this.subscribeTicket();
          this.resendQueued();
        }
      }),
    );
    void this.loadLatest();
    if (realtime.getStatus() === 'connected') void this.subscribeTicket();
    return () => this.stop();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.refreshTimer);
    this.stopTyping();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    for (const person of this.typingPeople.values()) clearTimeout(person.timer);
    this.typingPeople.clear();
    // Best effort: the server also drops the room when the socket goes away.
    this.deps.realtime.request('ticket:unsubscribe', { ticketId: this.ticketId }).catch(() => {});
  }

  async loadEarlier(): Promise<void> {
    const before = this.state.nextBefore;
    if (before === null || this.state.loadingEarlier) return;
    this.set({ loadingEarlier: true, earlierError: null });
    try {
      const page = await this.deps.api.messages(this.ticketId, before);
      if (this.stopped) return;
      this.receive(page.items);
      this.set({ nextBefore: page.nextBefore, loadingEarlier: false });
    } catch (err) {
      if (!this.stopped) this.set({ loadingEarlier: false, earlierError: err });
    }
  }

  retryLoad(): void {
    this.set({ status: 'loading', error: null });
    void this.loadLatest();
  }

  /** Shows the message at once as "sending", then replaces it with the stored one. */
  send(outgoing: OutgoingMessage): void {
    const clientMessageId = newClientMessageId();
    const attachments = outgoing.attachments ?? [];
    this.pending.set(clientMessageId, {
      clientMessageId,
      delivery: 'sending',
      attachmentIds: attachments.map((a) => a.id),
      message: {
        id: `pending:${clientMessageId}`,
        seq: Number.MAX_SAFE_INTEGER,
        ticketId: this.ticketId,
        author: this.deps.me,
        kind: outgoing.internal ? 'internal' : 'public',
        body: outgoing.body,
        system: null,
        bot: null,
        clientMessageId,
        attachments,
        createdAt: new Date().toISOString(),
      },
    });
    this.stopTyping();
    this.rebuild();
    void this.deliver(clientMessageId);
  }

  /** Sends a failed message again with the same clientMessageId, so the server never stores it twice. */
  retry(clientMessageId: string): void {
    const pending = this.pending.get(clientMessageId);
    if (pending?.delivery !== 'failed' && pending?.delivery !== 'queued') return;
    pending.delivery = 'sending';
    pending.error = undefined;
    this.rebuild();
    void this.deliver(clientMessageId);
  }

  /** Drops a failed (or waiting) message the user no longer wants to send. */
  discard(clientMessageId: string): void {
    const pending = this.pending.get(clientMessageId);
    if (pending?.delivery !== 'failed' && pending?.delivery !== 'queued') return;
    this.pending.delete(clientMessageId);
    this.rebuild();
  }

  /** Call on every keystroke in the composer; throttled, and stops by itself after 3 s idle. */
  typing(internal: boolean): void {
    const now = Date.now();
    if (internal !== this.typingInternal && this.typingSentAt > 0) this.stopTyping();
    if (now - this.typingSentAt > TYPING_THROTTLE_MS) {
      this.typingSentAt = now;
      this.typingInternal = internal;
      this.deps.realtime.emitVolatile('typing:set', { ticketId: this.ticketId, typing: true, internal });
    }
    clearTimeout(this.typingIdleTimer);
    this.typingIdleTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  stopTyping(): void {
    clearTimeout(this.typingIdleTimer);
    this.typingIdleTimer = undefined;
    if (this.typingSentAt === 0) return;
    this.typingSentAt = 0;
    this.deps.realtime.emitVolatile('typing:set', {
      ticketId: this.ticketId,
      typing: false,
      internal: this.typingInternal,
    });
  }

  private async deliver(clientMessageId: string): Promise<void> {
    const pending = this.pending.get(clientMessageId);
    if (!pending) return;
    const payload = {
      body: pending.message.body,
      internal: pending.message.kind === 'internal',
      clientMessageId,
      attachmentIds: pending.attachmentIds,
    };
    try {
      // The socket is the fast path; REST is the fallback while it is down. Both are idempotent on
      // clientMessageId, so a send whose ack was lost can safely be repeated either way.
      const stored =
        this.deps.realtime.getStatus() === 'connected'
          ? await this.deps.realtime.request(
              'message:send',
              { ticketId: this.ticketId, ...payload },
              SEND_TIMEOUT_MS,
            )
          : await this.deps.api.sendMessage(this.ticketId, payload);
      if (this.stopped) return;
      this.receive([stored]);
    } catch (err) {
      if (this.stopped) return;
      const still = this.pending.get(clientMessageId);
      if (!still) return; // The broadcast arrived before the ack failed: it was stored after all.
      still.error = err;
      // Not reaching the server while the live connection is down waits for it to come back
      // (resendQueued); if it is already back, send again now. A refusal is the user's to decide.
      if (isNetworkError(err) && this.deps.realtime.getStatus() !== 'connected') {
        still.delivery = 'queued';
      } else if (isNetworkError(err) && still.delivery === 'sending' && !still.resentOnce) {
        still.resentOnce = true;
        void this.deliver(clientMessageId);
        return;
      } else {
        still.delivery = 'failed';
      }
      this.rebuild();
    }
  }

  /**
   * The live connection is back: send what waited for it. The same clientMessageId makes each
   * send idempotent, so a message whose first attempt did reach the server is not stored twice.
   */
  private resendQueued(): void {
    let any = false;
    for (const pending of this.pending.values()) {
      if (pending.delivery !== 'queued') continue;
      pending.delivery = 'sending';
      pending.error = undefined;
      any = true;
      void this.deliver(pending.clientMessageId);
    }
    if (any) this.rebuild();
  }

  private async loadLatest(): Promise<void> {
    try {
      const page = await this.deps.api.messages(this.ticketId);
      if (this.stopped) return;
      const first = this.state.status !== 'ready';
      this.receive(page.items);
      // After a reconnect the latest page fills any gap; older pages already loaded stay.
      this.set({ status: 'ready', error: null, ...(first ? { nextBefore: page.nextBefore } : {}) });
    } catch (err) {
      if (this.stopped) return;
      if (this.state.status !== 'ready') this.set({ status: 'error', error: err });
    }
  }

  private async subscribeTicket(): Promise<void> {
    try {
      const { ticket } = await this.deps.realtime.request('ticket:subscribe', { ticketId: this.ticketId });
      if (this.stopped) return;
      this.deps.onTicket?.(ticket);
      // Messages sent while we were away are not replayed by the room: fetch what we missed.
      if (this.subscribedOnce) void this.loadLatest();
      this.subscribedOnce = true;
    } catch {
      // Not subscribed (offline again, or no access): the REST history still shows; the next
      // reconnect tries again.
    }
  }

  /** Adds messages from any source, deduplicated by id and by our own clientMessageId. */
  private receive(messages: MessageView[]): void {
    for (const message of messages) {
      this.messages.set(message.id, message);
      if (message.clientMessageId) this.pending.delete(message.clientMessageId);
      // A message posted means its author stopped typing.
      if (message.author) this.clearTyping(message.author.id);
    }
    this.rebuild();
  }

  private rebuild(): void {
    const stored = [...this.messages.values()].sort((a, b) => a.seq - b.seq);
    const ownKeys = new Map<string, string>();
    for (const m of stored)
      if (m.clientMessageId && m.author?.id === this.deps.me.id) ownKeys.set(m.id, m.clientMessageId);
    const items: ConversationItem[] = stored.map((message) => ({
      key: ownKeys.get(message.id) ?? message.id,
      message,
      delivery: 'sent',
    }));
    for (const p of this.pending.values()) {
      items.push({ key: p.clientMessageId, message: p.message, delivery: p.delivery, error: p.error });
    }
    this.set({ items });
  }

  private setTyping(user: UserRef, typing: boolean, internal: boolean): void {
    this.clearTyping(user.id, false);
    if (typing) {
      const timer = setTimeout(() => this.clearTyping(user.id), TYPING_EXPIRY_MS);
      this.typingPeople.set(user.id, { user, internal, timer });
    }
    this.set({
      typing: [...this.typingPeople.values()].map(({ user: u, internal: i }) => ({ user: u, internal: i })),
    });
  }

  private clearTyping(userId: string, emit = true): void {
    const person = this.typingPeople.get(userId);
    if (!person) return;
    clearTimeout(person.timer);
    this.typingPeople.delete(userId);
    if (emit) {
      this.set({
        typing: [...this.typingPeople.values()].map(({ user, internal }) => ({ user, internal })),
      });
    }
  }

  private set(patch: Partial<ConversationState>): void {
    this.state = { ...this.state, ...patch };
    this.listeners.notify();
  }
}
