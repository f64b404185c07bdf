// The `<video>` element of each received camera or screen, made and started as soon as the track
// is received, not when the view that shows it renders. A browser's player takes tens of
// milliseconds to present its first frame once it has a track, and longer on a busy machine
// (60-80 ms in bench:join); the call view that shows the track renders only once the join's
// set-up is done. Started early, the player already holds a decoded frame when the view puts the
// element on screen, so the picture appears with that render instead of a player start later.
// It also lets a view that moves a track (main picture ↔ thumbnail, the whiteboard's panel and
// back) show the same playing element again instead of starting a new player.

/** Received tracks' started elements, until the track's consumer closes. */
const started = new Map<MediaStreamTrack, HTMLVideoElement>();

function play(track: MediaStreamTrack): HTMLVideoElement {
  const video = document.createElement('video');
  // Always muted: sound plays through the page's `<audio>` elements, and muted video may autoplay.
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  // Fails only if the element is let go of meanwhile.
  void video.play().catch(() => {});
  return video;
}

function stop(video: HTMLVideoElement): void {
  video.remove();
  video.srcObject = null;
}

/** A received video track: its element starts playing now, off screen. (No-op without a DOM.) */
export function startRemoteVideo(track: MediaStreamTrack): void {
  if (typeof document === 'undefined' || track.kind !== 'video' || started.has(track)) return;
  started.set(track, play(track));
}

/** The track's consumer closed: its element is let go of (at once unless a view shows it). */
export function stopRemoteVideo(track: MediaStreamTrack): void {
  const video = started.get(track);
  if (!video) return;
  started.delete(track);
  if (!video.isConnected) stop(video);
}

/**
 * A playing element for a view to show `track` in: the one started when it was received if no
 * other view shows it now, else a new one (a local preview, two views of one track).
 */
export function takeVideoElement(track: MediaStreamTrack): HTMLVideoElement {
  const early = started.get(track);
  if (early && !early.isConnected) return early;
  return play(track);
}

/** The view no longer shows it: a started element waits off screen for the next view, any other stops. */
export function releaseVideoElement(track: MediaStreamTrack, video: HTMLVideoElement): void {
  if (started.get(track) === video) video.remove();
  else stop(video);
}
