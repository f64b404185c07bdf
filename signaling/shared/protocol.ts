// The one typed contract between the browser and the server for socket.io traffic, and the closed
// list of error codes that both REST responses and socket acks use. Imported by the server
// (`new Server<ClientToServerEvents, ServerToClientEvents>()`) and by the client
// (`io<ServerToClientEvents, ClientToServerEvents>()`), so a renamed event or a changed payload is
// a compile error on both sides. Event names are `domain:verb`. See docs/protocol.md.

import type { BotHandoffReason, BotMessage } from './bot';
import type {
  Availability,
  CallEndReason,
  CallRole,
  CallStatus,
  Channel,
  MessageKind,
  NotificationEvent,
  Presence,
  Priority,
  RecordingStatus,
  Role,
  SlaClockName,
  TicketStatus,
  Tier,
} from './domain';
import type { Urgency } from './macros';

// The domain vocabulary is part of the contract; it is defined once, in ./domain.ts.
export * from './domain';

import type { CallRequestView } from './callRequests';

// The error codes and error bodies every answer uses, in ./errors.ts.
export * from './errors';

import type { ErrorBody } from './errors';

/** Acks are results: a handler either succeeds with data or fails with a coded error. */
export type AckResult<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type Ack<T> = (result: AckResult<T>) => void;

/** What the server tells a client about a signed-in user. Never carries secrets. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  tier: Tier | null;
  skills: string[];
  locale: string;
  /** The person chose `locale` with the language switcher (it follows them to every device). */
  localeChosen: boolean;
  availability: Availability;
  createdAt: string;
}

/** A person as shown next to a ticket or message: enough to render, nothing more. */
export interface UserRef {
  id: string;
  name: string;
  role: Role;
  tier: Tier | null;
}

export interface SlaClockView {
  clock: SlaClockName;
  status: 'running' | 'paused' | 'met' | 'breached' | 'not_started';
  targetSeconds: number;
  elapsedSeconds: number;
  /** Negative when overdue. */
  remainingSeconds: number;
  /** When the target is reached if the clock keeps running; null when it is not running. */
  dueAt: string | null;
}

export interface TicketSlaView {
  clocks: SlaClockView[];
  /** Seconds left on the most urgent running clock; null when no clock runs. Queues sort by it. */
  urgencySeconds: number | null;
}

export interface AttachmentView {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  /** Download URL (needs the bearer token). */
  url: string;
}

export interface TicketView {
  id: string;
  number: number;
  subject: string;
  description: string;
  category: string;
  requester: UserRef;
  assignee: UserRef | null;
  tier: Tier;
  priority: Priority;
  status: TicketStatus;
  channel: Channel;
  tags: string[];
  snapshot: Record<string, unknown> | null;
  /** How urgent the customer said it was when opening it (null: not chosen, or staff opened it). */
  customerUrgency: Urgency | null;
  mergedIntoId: string | null;
  linkedTicketIds: string[];
  /**
   * Staff who follow the ticket without working it: the agent who escalated it keeps it in their
   * "Following" queue and may add internal notes (server/tickets/access.ts, canNote).
   */
  followerIds: string[];
  attachments: AttachmentView[];
  firstResponseAt: string | null;
  /** Seconds from creation to the first response; null until there is one. */
  firstResponseSeconds: number | null;
  solvedAt: string | null;
  createdAt: string;
  updatedAt: string;
  sla: TicketSlaView;
  /** Connected video-call time on this ticket, in seconds, and how many calls connected. */
  callSeconds: number;
  callCount: number;
  /** callSeconds as a share (0..1) of the time from creation to solved (or now). */
  callShareOfResolution: number | null;
}

/**
 * What a system message says, stored as data so each reader's client words it in their own
 * language (client/src/tickets/systemMessages.ts). `body` keeps an English rendering for clients
 * and rows that predate it.
 */
export type SystemEvent =
  /** A call was started; the conversation shows its link with the call's live state. */
  | { type: 'call.started'; callId: string; startedBy: string }
  /** The call's whiteboard was saved; the image and scene are the message's attachments. */
  | { type: 'board.saved'; callId: string | null; boardId: string | null; elements: number }
  /** This ticket was merged into #number. */
  | { type: 'ticket.merged_into'; ticketId: string | null; number: number }
  /** #number was merged into this ticket. */
  | { type: 'ticket.merged_from'; ticketId: string | null; number: number }
  /** The ticket moved up to `tier`: a specialist is taking over (the customer is told so). */
  | { type: 'ticket.escalated'; tier: Tier };

export interface MessageView {
  id: string;
  seq: number;
  ticketId: string;
  /** Null for system messages. */
  author: UserRef | null;
  kind: MessageKind;
  body: string;
  /** For system messages written since structured events (and converted old rows); else null. */
  system: SystemEvent | null;
  /** For the Livedesk assistant's messages (`kind: 'bot'`, author null): what it said, as data. */
  bot: BotMessage | null;
  clientMessageId: string | null;
  attachments: AttachmentView[];
  createdAt: string;
}

export interface TimelineEntry {
  id: string;
  seq: number;
  ticketId: string;
  /** `entity.verb`, e.g. `ticket.escalated`. */
  type: string;
  actor: UserRef | null;
  data: Record<string, unknown>;
  createdAt: string;
}

/**
 * Something new for one staff member (server: signaling/notify.ts decides who): a new ticket in
 * their queue, their customer's message, a ticket assigned to them, an SLA alert on their ticket.
 */
export interface NotificationView {
  kind: NotificationEvent;
  ticketId: string;
  ticketNumber: number;
  subject: string;
  /** `customer_message`: the message. */
  message?: MessageView;
  /** `sla_warning`: the alert (a warning or a breach). */
  alert?: SlaAlertView;
  /** `handoff`: why the Livedesk assistant handed the conversation over. */
  handoffReason?: BotHandoffReason;
}

export interface SlaAlertView {
  ticketId: string;
  ticketNumber: number;
  subject: string;
  clock: SlaClockName;
  kind: 'warning' | 'breach';
  at: string;
}

// ---------------------------------------------------------------------------------------------
// Calls. mediasoup's parameter objects are typed by their structure in ./mediaParameters.ts.
import type {
  DtlsParameters,
  IceCandidate,
  IceParameters,
  Json,
  RtpCapabilities,
  RtpParameters,
} from './mediaParameters';

export * from './mediaParameters';

export type MediaSourceName = 'mic' | 'camera' | 'screen';

export interface CallParticipantView {
  user: UserRef;
  role: CallRole;
  joinedAt: string | null;
  leftAt: string | null;
  /** Live: whether this person is in the media room now. */
  present: boolean;
}

// A type, not an interface: it is also a plain JSON record (the REST list of a ticket's calls).
export type CallView = {
  id: string;
  ticketId: string;
  ticketNumber: number;
  startedBy: UserRef;
  status: CallStatus;
  startedAt: string;
  answeredAt: string | null;
  /**
   * When the SFU first saw media flow between the customer and support, in either direction
   * (from mediasoup's own transport states and counters, never from a client's report).
   */
  connectedAt: string | null;
  endedAt: string | null;
  endReason: CallEndReason | null;
  /** Seconds between connected and ended (or now, while connected). */
  connectedSeconds: number;
  participants: CallParticipantView[];
  statsSummary: Json | null;
};

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface CallJoinResult {
  call: CallView;
  routerRtpCapabilities: RtpCapabilities;
  iceServers: IceServer[];
  /** Tracks the other peers already send; consume each with `call:consume`. */
  producers: CallProducerInfo[];
  /** How long a dropped side may take to come back before the call ends (ms). */
  rejoinGraceMs: number;
  /** The peer's send and receive transports, when the join asked for them (`transports: true`). */
  transports?: { send: CallTransportParams; recv: CallTransportParams };
  /**
   * With `transports: true`: consumers (paused) of the `producers` already on the receive
   * transport, so the browser needs no `call:consume` for them; resume each as usual.
   */
  consumers?: CallConsumerParams[];
  /**
   * With `prepared: true` in the request: the peer this connection prepared (`call:prepare`) is
   * now in the call, with its transports, tracks and consumers as they were; `transports` and
   * `consumers` are then absent. False: it was not there any more (the media room was rebuilt, or
   * another connection prepared since) and this was a fresh join; close what was prepared.
   */
  prepared?: boolean;
}

/** `call:prepare`: the device check's head start (see CallRoom.prepare). */
export interface CallPrepareResult {
  routerRtpCapabilities: RtpCapabilities;
  iceServers: IceServer[];
  transports: { send: CallTransportParams; recv: CallTransportParams };
  /** Paused consumers of what the others send; resuming them takes effect on `call:join`. */
  consumers: CallConsumerParams[];
}

export interface CallProducerInfo {
  peerId: string;
  producerId: string;
  kind: 'audio' | 'video';
  source: MediaSourceName;
  paused: boolean;
  /** Its sender is still on the device check: nothing flows, and the UI does not show it yet. */
  waiting?: boolean;
}

/** A new track in the call, told to each other peer; usually with its consumer already made. */
export interface CallProducerNotice extends CallProducerInfo {
  /** A paused consumer of it on the receiving peer's transport `consumerTransportId`; resume it. */
  consumer?: CallConsumerParams;
  consumerTransportId?: string;
}

export interface CallTransportParams {
  id: string;
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
}

export interface CallConsumerParams {
  id: string;
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  rtpParameters: RtpParameters;
  source: MediaSourceName;
  paused: true;
  producerPaused: boolean;
  /** The sender is still on the device check (see `CallProducerInfo.waiting`). */
  waiting?: boolean;
}

/** A periodic connection-quality report from a browser (from RTCPeerConnection.getStats). */
export interface CallStatsReport {
  rttMs?: number;
  /** Fraction 0..1 of inbound packets lost since the last report. */
  packetLoss?: number;
  inboundKbps?: number;
  outboundKbps?: number;
  frameWidth?: number;
  frameHeight?: number;
  framesDecoded?: number;
  /** Bytes of media received so far (for the summary; the server decides "connected" itself). */
  bytesReceived?: number;
}

export interface BoardState {
  boardId: string;
  /** Excalidraw elements in z-order (deleted ones left out). */
  elements: Json[];
  /** The frozen screen frame drawn over, as a data: URL, or null. */
  background: string | null;
}

/** Sent to everyone in the call whenever its recording changes; shown as the recording indicator. */
export interface RecordingNotice {
  callId: string;
  recordingId: string;
  status: RecordingStatus;
  /** What the customer is told (configurable); shown before recording starts. */
  consentText: string;
  /** A visible problem (e.g. a recorder stopped unexpectedly), or null. */
  error: string | null;
}

export interface ClientToServerEvents {
  /**
   * Staff: this tab shows ticket lists (home tabs, /queue, the agents' load) and wants every
   * ticket's `ticket:changed` and `sla:alert` (`watch: true`), or no longer (`false`). A ticket the
   * tab has open (`ticket:subscribe`) is always followed.
   */
  'tickets:watch': (payload: { watch: boolean }, ack: Ack<null>) => void;
  /** Agent on the call: start recording (announced to both sides first). */
  'recording:start': (payload: { callId: string }, ack: Ack<RecordingNotice>) => void;
  'recording:stop': (payload: { callId: string }, ack: Ack<RecordingNotice | null>) => void;
  /** Customer: answer the consent request (only when the organisation requires consent). */
  'recording:consent': (payload: { callId: string; accept: boolean }, ack: Ack<RecordingNotice>) => void;

  /**
   * Open (or create) the call's shared whiteboard and get its current scene; a late joiner or a
   * reconnect gets everything drawn so far. `reopenBoardId` (staff) starts from a saved board.
   */
  'board:open': (payload: { callId: string; reopenBoardId?: string }, ack: Ack<BoardState>) => void;
  /** Changed elements; merged by version on the server, relayed to the others. */
  'board:update': (payload: { callId: string; elements: Json[] }, ack: Ack<{ accepted: number }>) => void;
  /** Pointer position, relayed volatile (a late pointer is worthless). */
  'board:pointer': (payload: { callId: string; x: number; y: number; tool?: string }, ack: Ack<null>) => void;
  /** Freeze a shared-screen frame as the board's background (null clears it). */
  'board:background': (payload: { callId: string; dataUrl: string | null }, ack: Ack<null>) => void;

  /** Agent (or supervisor): ring the ticket's customer. */
  'call:start': (payload: { ticketId: string }, ack: Ack<CallView>) => void;
  /** Customer: answer or decline a ringing call. */
  'call:answer': (payload: { callId: string; accept: boolean }, ack: Ack<CallView>) => void;
  /** Agent: stop ringing before anyone answered. */
  'call:cancel': (payload: { callId: string }, ack: Ack<CallView>) => void;
  /** Enter the media room (after answering, as the caller, as a supervisor, or to rejoin). */
  /** The router's RTP capabilities (the same for every call), to load a device before joining. */
  'call:capabilities': (
    payload: Record<string, never>,
    ack: Ack<{ routerRtpCapabilities: RtpCapabilities }>,
  ) => void;
  'call:join': (
    payload: { callId: string; rtpCapabilities: Json; transports?: boolean; prepared?: boolean },
    ack: Ack<CallJoinResult>,
  ) => void;
  /**
   * On the device check, before joining: sets up this connection's transports and paused
   * consumers, and holds any track it sends, so that `call:join { prepared: true }` only has to
   * let the media through. Nobody in the call sees this connection until then.
   */
  'call:prepare': (payload: { callId: string; rtpCapabilities: Json }, ack: Ack<CallPrepareResult>) => void;
  'call:transport:create': (
    payload: { callId: string; direction: 'send' | 'recv' },
    ack: Ack<CallTransportParams>,
  ) => void;
  'call:transport:connect': (
    payload: { callId: string; transportId: string; dtlsParameters: Json },
    ack: Ack<null>,
  ) => void;
  /** After `disconnected`/`failed`: new ICE credentials for the same transport. */
  'call:transport:restart-ice': (
    payload: { callId: string; transportId: string },
    ack: Ack<{ iceParameters: IceParameters }>,
  ) => void;
  'call:produce': (
    payload: {
      callId: string;
      transportId: string;
      kind: 'audio' | 'video';
      rtpParameters: Json;
      source: MediaSourceName;
    },
    ack: Ack<{ producerId: string }>,
  ) => void;
  'call:producer:set-paused': (
    payload: { callId: string; producerId: string; paused: boolean },
    ack: Ack<null>,
  ) => void;
  'call:producer:close': (payload: { callId: string; producerId: string }, ack: Ack<null>) => void;
  'call:consume': (
    payload: { callId: string; transportId: string; producerId: string },
    ack: Ack<CallConsumerParams>,
  ) => void;
  'call:consumer:resume': (payload: { callId: string; consumerId: string }, ack: Ack<null>) => void;
  'call:stats': (payload: { callId: string; stats: CallStatsReport }, ack: Ack<null>) => void;
  /** Leave the media room; the call goes on for the others (and ends after the grace period). */
  'call:leave': (payload: { callId: string }, ack: Ack<null>) => void;
  /** End the call for everyone. */
  'call:hangup': (payload: { callId: string }, ack: Ack<CallView>) => void;

  /** Staff: the person used this tab (sent at most every 2 s): online, back from idle at once. */
  'presence:activity': (payload: Record<string, never>, ack: Ack<null>) => void;
  /** Returns the identity the server attached to this socket (used to confirm a handshake). */
  'session:whoami': (payload: Record<string, never>, ack: Ack<PublicUser>) => void;
  /**
   * Re-authenticates this socket with a renewed access token of the same account, before the one
   * it signed in with expires; the socket, its rooms and any call it carries stay as they are.
   * Answers when the new token expires. A socket whose token expires unrenewed is ended
   * (`session:ended { reason: 'expired' }`).
   */
  'session:renew': (payload: { token: string }, ack: Ack<{ expiresAt: string }>) => void;
  /**
   * Starts live updates for one ticket (messages, typing, changes). Staff also receive internal
   * notes and timeline entries; a customer only for their own tickets.
   */
  'ticket:subscribe': (payload: { ticketId: string }, ack: Ack<{ ticket: TicketView }>) => void;
  'ticket:unsubscribe': (payload: { ticketId: string }, ack: Ack<null>) => void;
  /**
   * Persists a message, then acknowledges it: an acknowledged message is never lost. Sending the
   * same `clientMessageId` again returns the stored message instead of a duplicate.
   */
  'message:send': (
    payload: {
      ticketId: string;
      body: string;
      internal?: boolean;
      clientMessageId: string;
      attachmentIds?: string[];
    },
    ack: Ack<MessageView>,
  ) => void;
  /** Typing indicator; relayed (volatile) to the others on the ticket. */
  'typing:set': (payload: { ticketId: string; typing: boolean; internal?: boolean }, ack: Ack<null>) => void;
}

/** What the server keeps on each authenticated socket (`socket.data`). */
export interface SocketData {
  user: PublicUser;
  /**
   * The session the socket's access token belongs to (null for server-minted tokens) and when that
   * token expires (epoch ms): no handler runs for the socket after it, unless it was renewed.
   */
  session: { id: string | null; expiresAtMs: number };
  /** Staff: no activity in this tab for the idle time (server/presence; read across nodes). */
  idle?: boolean;
}

export interface ServerToClientEvents {
  'recording:state': (payload: RecordingNotice) => void;
  'board:updated': (payload: { callId: string; elements: Json[]; by: string }) => void;
  'board:pointer': (payload: { callId: string; user: UserRef; x: number; y: number; tool?: string }) => void;
  'board:background': (payload: { callId: string; dataUrl: string | null }) => void;
  /** A call is ringing for this customer (sent to every open tab). */
  'call:incoming': (payload: CallView) => void;
  /** The call changed: answered, connected, someone joined or left, ended. */
  'call:updated': (payload: CallView) => void;
  /** A customer's call request rings, or was accepted, declined, cancelled or expired (the customer and the rung agents). */
  'callRequest:updated': (payload: CallRequestView) => void;
  /** Another peer started sending a track: consume it. */
  'call:producer:new': (payload: CallProducerNotice) => void;
  'call:producer:closed': (payload: { callId: string; producerId: string; peerId: string }) => void;
  /** A track was paused or resumed by its sender, or let through because its sender joined (`waiting` false). */
  'call:producer:paused': (payload: CallProducerInfo & { callId: string }) => void;
  /** This connection's consumer stopped (its producer went away). */
  'call:consumer:closed': (payload: { callId: string; consumerId: string }) => void;
  /**
   * The media room was lost (its media worker died) or this connection was replaced; `rejoin`
   * true means: join again now, the call goes on.
   */
  'call:media-lost': (payload: {
    callId: string;
    rejoin: boolean;
    reason: 'worker_died' | 'replaced' | 'timeout';
  }) => void;
  /** A message was stored on a ticket this socket subscribed to (internal notes: staff only). */
  'message:created': (payload: MessageView) => void;
  /** Someone started or stopped typing on a subscribed ticket. */
  'typing:changed': (payload: {
    ticketId: string;
    user: UserRef;
    typing: boolean;
    internal: boolean;
  }) => void;
  /**
   * A ticket changed (status, assignee, tier …). Sent to subscribers of the ticket, to its
   * requester's sockets, and to staff sockets watching lists (`tickets:watch`).
   */
  'ticket:changed': (payload: TicketView) => void;
  /** A timeline entry was appended (staff subscribers only). */
  'timeline:appended': (payload: TimelineEntry) => void;
  /** An SLA warning or breach, pushed to staff sockets watching lists (`tickets:watch`). */
  'sla:alert': (payload: SlaAlertView) => void;
  /** An agent's availability changed (staff sockets). */
  'presence:changed': (payload: { userId: string; availability: Availability; presence: Presence }) => void;
  /** Something new for me (staff): the toast, sound, badge and desktop notification come from it. */
  notify: (payload: NotificationView) => void;
  /** I read a ticket (in any of my tabs): its unread badge clears everywhere (my sockets only). */
  'unread:read': (payload: { ticketId: string; lastReadSeq: number }) => void;
  /**
   * Emitted just before the server disconnects a socket on purpose: its session was signed out,
   * or its account disabled or given another role or tier (`revoked`), or the access token it
   * last authenticated with expired without a `session:renew` (`expired`).
   */
  'session:ended': (payload: { reason: 'revoked' | 'expired' }) => void;
}

// biome-ignore lint/complexity/noBannedTypes: socket.io expects an (empty) inter-server event map
export type InterServerEvents = {};

/** The payload (first argument) of a client → server event, and the data its ack carries. */
export type EmitPayload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
export type AckData<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1] extends (
  result: AckResult<infer T>,
) => void
  ? T
  : never;
