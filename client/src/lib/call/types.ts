// The call engine's public vocabulary: what React renders (`CallSnapshot`), the phases, the issues
// the UI explains, and what the engine needs from the socket. See docs/calls-client.md.

import type { CallView, MediaSourceName } from '../../../../signaling/shared/protocol';
import type { RealtimeRequests } from '../requests';
import type { LocalMedia as OpenedDevices } from './devices';
import type { CallQuality } from './stats';

/** What the engine needs from the socket (RealtimeConnection satisfies it). */
export type CallSignaling = RealtimeRequests;

/**
 * `idle`: not joined yet (device check). `joining`: signaling and transports are being set up.
 * `in_call`: joined (media may still be connecting; see `call.status`). `reconnecting`: the live
 * connection or the media room was lost and the engine is joining again. `ended`: the call is
 * over for everyone. `left`: this tab left (the call may go on). `replaced`: the call continued in
 * another tab or device. `failed`: joining failed; `issue` says why and `retry()` tries again.
 */
export type CallPhase =
  | 'idle'
  | 'joining'
  | 'in_call'
  | 'reconnecting'
  | 'ended'
  | 'left'
  | 'replaced'
  | 'failed';

/** Why something went wrong, as a reason the UI can explain and the user can act on (DESIGN §3.11). */
export type CallIssueReason =
  | 'permission_denied' // camera/microphone access refused
  | 'device_busy' // another app holds the device
  | 'no_device' // nothing plugged in, or the chosen device went away
  | 'insecure' // the page is not https
  | 'device_lost' // a device stopped during the call (unplugged)
  | 'screen_failed' // screen sharing could not start
  | 'network' // the live connection to the server is down
  | 'media_failed' // audio/video could not connect (ICE/DTLS)
  | 'not_allowed' // this user may not join this call
  | 'unavailable' // the call cannot be joined now: ended, not answered yet, or the server is busy
  | 'media_limit' // the call has as many people or connections as it can take
  | 'unknown';

export interface CallIssue {
  reason: CallIssueReason;
  /** Which device, for device reasons. */
  device?: 'camera' | 'microphone' | 'screen';
  /** Technical detail for logs and bug reports; never shown as the main message. */
  detail?: string;
}

export interface RemoteTrack {
  producerId: string;
  consumerId: string;
  kind: 'audio' | 'video';
  source: MediaSourceName;
  track: MediaStreamTrack;
  /** The sender paused it (muted, camera off). */
  paused: boolean;
}

export interface RemotePeer {
  peerId: string;
  mic?: RemoteTrack;
  camera?: RemoteTrack;
  screen?: RemoteTrack;
}

export interface LocalTracks {
  mic: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  screen: MediaStreamTrack | null;
}

export interface CallSnapshot {
  callId: string;
  phase: CallPhase;
  /** The server's view of the call (status, participants, times, end reason); null until known. */
  call: CallView | null;
  local: LocalTracks;
  micMuted: boolean;
  cameraOff: boolean;
  sharing: boolean;
  /** The devices in use (or to use when turned on). */
  microphoneId: string | undefined;
  cameraId: string | undefined;
  remote: RemotePeer[];
  /** Others still on their device check, whose tracks are ready but not let through yet. */
  preparing: string[];
  quality: CallQuality;
  /** The latest problem to show; cleared when it no longer applies. */
  issue: CallIssue | null;
  /** This user ended the call (so the ended screen says "You hung up"). */
  endedByMe: boolean;
  /** How long a dropped side may take to come back (ms), from the join result. */
  rejoinGraceMs: number | null;
  /**
   * True from "Join call" until this side's camera has been offered to the server and the
   * others' tracks are being received (or the join failed, or `SETTING_UP_MAX_MS` passed). The page
   * keeps its light pre-join screen meanwhile and renders the call view after, so the join's WebRTC
   * steps, which each need a turn of the page's main thread, do not wait behind that render. The
   * microphone's offer goes on during the render: waiting for it as well kept the other person's
   * picture off this screen for one more offer/answer round (bench:join).
   */
  settingUp: boolean;
}

export interface JoinOptions {
  /** Tracks opened by the device check; the engine takes them over (and stops them at the end). */
  microphone?: MediaStreamTrack | null;
  camera?: MediaStreamTrack | null;
  microphoneId?: string | undefined;
  cameraId?: string | undefined;
  /** Join with the camera off (no camera is opened or sent until turned on). */
  cameraOff?: boolean;
  micMuted?: boolean;
  /**
   * Camera and microphone still opening (instead of `microphone`/`camera`): the join goes ahead
   * and they are sent once open; one that cannot be opened is reported as the call's issue and
   * the call goes on without it (the caller, and a reload, join without a device check).
   */
  devices?: Promise<OpenedDevices>;
}

/** The device check's current tracks, sent held while the call is prepared. */
export type StagedTracks = { mic: MediaStreamTrack | null; camera: MediaStreamTrack | null };

export const NO_QUALITY: CallQuality = { level: 'unknown' };

/**
 * The longest the page waits for the join's set-up (`settingUp`) before it shows the call view
 * anyway: a server that is slow to answer must not keep the person on the device check.
 */
export const SETTING_UP_MAX_MS = 2000;

/** A call's snapshot before anything happened (the device check). */
export function initialSnapshot(callId: string): CallSnapshot {
  return {
    callId,
    phase: 'idle',
    call: null,
    local: { mic: null, camera: null, screen: null },
    micMuted: false,
    cameraOff: false,
    sharing: false,
    microphoneId: undefined,
    cameraId: undefined,
    remote: [],
    preparing: [],
    quality: NO_QUALITY,
    issue: null,
    endedByMe: false,
    rejoinGraceMs: null,
    settingUp: false,
  };
}
