// Camera and microphone opened at the moment a person accepts a call (or starts one), handed to
// that call's device check. Opening devices takes a noticeable moment (the browser starts the capture); it
// then runs while the answer travels to the server and the call page renders, instead of after.
import { type LocalMedia, loadDevicePreferences, openLocalMedia, stopTrack } from './devices';

/** Tracks not taken by then (the page never got to the device check) are released. */
const UNCLAIMED_MS = 10_000;

/** `callId` null: a call being started, whose id `assignEarlyMedia` gives once the server answers. */
let pending: {
  callId: string | null;
  media: Promise<LocalMedia>;
  timer: ReturnType<typeof setTimeout>;
} | null = null;

function release(media: Promise<LocalMedia>): void {
  void media.then((m) => {
    stopTrack(m.microphone);
    stopTrack(m.camera);
  });
}

/**
 * Starts opening both devices (the saved choices) for `callId` (null: the call is being started,
 * see `assignEarlyMedia`); any earlier unclaimed ones are released.
 */
export function openMediaEarly(callId: string | null): void {
  discardEarlyMedia();
  const media = openLocalMedia({ microphone: true, camera: true, ...loadDevicePreferences() });
  const timer = setTimeout(() => {
    if (pending?.media === media) discardEarlyMedia();
  }, UNCLAIMED_MS);
  pending = { callId, media, timer };
}

/** The call being started (`openMediaEarly(null)`) has its id: its device check takes the devices. */
export function assignEarlyMedia(callId: string): void {
  if (pending && pending.callId === null) pending.callId = callId;
}

/** The devices opened early for `callId`, once: the caller owns (and stops) the tracks. */
export function takeEarlyMedia(callId: string): Promise<LocalMedia> | null {
  if (!pending || pending.callId !== callId) return null;
  const { media, timer } = pending;
  clearTimeout(timer);
  pending = null;
  return media;
}

/** The answer failed or the call was declined: nothing waits for the devices any more. */
export function discardEarlyMedia(): void {
  if (!pending) return;
  clearTimeout(pending.timer);
  release(pending.media);
  pending = null;
}
