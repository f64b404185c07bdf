import type { PublicUser, RecordingNotice, ServerToClientEvents } from '../../signaling/shared/protocol';

/** Whether a person has a live connection now (any tab, any node): a call to nobody ends at once. */
export interface Presence {
  isOnline(userId: string): Promise<boolean>;
}

/** What the call record needs to know of a call's media room; MediaSession answers it. */
export interface CallRooms {
  /** The person's peer is in the call's media room now (not merely on the device check). */
  isPresent(callId: string, userId: string): boolean;
  /** This node hosts a media room for the call. */
  has(callId: string): boolean;
  /** Closes the call's media room, if any (the call ended). */
  close(callId: string): void;
}

/**
 * Runs just before a call's media room closes. Recording uses it: FFmpeg can finish its files only
 * while media still flows.
 */
export type BeforeCallEnd = (callId: string) => Promise<unknown>;

type CallEvent = Extract<
  keyof ServerToClientEvents,
  | 'call:producer:new'
  | 'call:producer:closed'
  | 'call:producer:paused'
  | 'call:consumer:closed'
  | 'call:media-lost'
>;
type Payload<E extends CallEvent> = Parameters<ServerToClientEvents[E]>[0];

/** How MediaSession reaches the browsers (the signaling layer implements it over socket.io). */
export interface CallChannel {
  /** One connection, on whichever node it is. */
  toConnection<E extends CallEvent>(connectionId: string, event: E, payload: Payload<E>): void;
  /** Every connection in the call's room, but for these people's and these connections. */
  toCall<E extends CallEvent>(
    callId: string,
    event: E,
    payload: Payload<E>,
    except?: { users?: string[]; connections?: string[] },
  ): void;
  /** Takes a connection out of the call's room: the same person joined on another one. */
  removeFromCall(connectionId: string, callId: string): void;
}

/** The connection (a socket) a person joins or prepares from, as MediaSession needs it. */
export interface CallConnection {
  readonly id: string;
  readonly user: PublicUser;
  /** Puts the connection in the call's room, so it hears the call's announcements. */
  enterCall(callId: string): Promise<void>;
  /** Takes it out of the call's room again. */
  exitCall(callId: string): void;
  /** Tells this connection the call's recording state. */
  showRecording(notice: RecordingNotice): void;
}
