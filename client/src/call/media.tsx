import { useEffect, useLayoutEffect, useRef } from 'react';
import type { MediaSourceName } from '../../../signaling/shared/protocol';
import { releaseVideoElement, takeVideoElement } from '../lib/call/remoteVideo';

/**
 * A `<video>` showing one track. Always muted: sound plays through `RemoteAudio`, so a self-view
 * never echoes. `data-*` attributes say what it shows (used by styles and the end-to-end tests).
 * The element is not React's: a received track's was started when it arrived (remoteVideo.ts), so
 * it holds a frame by the time this view puts it on screen; it is placed in this view's box.
 */
export function VideoView({
  track,
  source,
  remote,
  main = false,
  mirrored = false,
  fit = 'cover',
  backdrop = '#000',
  still = false,
  label,
}: {
  track: MediaStreamTrack;
  source: MediaSourceName | 'preview';
  remote: boolean;
  main?: boolean;
  mirrored?: boolean;
  fit?: 'cover' | 'contain';
  /** Behind the picture, and all there is until its first frame ('transparent': what is below shows). */
  backdrop?: string;
  /** Keeps the frame on screen and draws no new ones (the player paused; the track goes on). */
  still?: boolean;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const video = useRef<HTMLVideoElement | null>(null);
  // Layout effects: the element is in place (and described, below) before the browser paints.
  useLayoutEffect(() => {
    const element = takeVideoElement(track);
    video.current = element;
    box.current?.append(element);
    return () => {
      video.current = null;
      releaseVideoElement(track, element);
    };
  }, [track]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new track is a new element to describe
  useLayoutEffect(() => {
    const element = video.current;
    if (!element) return;
    element.setAttribute('aria-label', label);
    element.dataset.source = source;
    element.dataset.remote = remote ? 'true' : 'false';
    element.dataset.main = main ? 'true' : 'false';
    Object.assign(element.style, {
      display: 'block',
      width: '100%',
      height: '100%',
      objectFit: fit,
      background: backdrop,
      transform: mirrored ? 'scaleX(-1)' : '',
    });
  }, [track, label, source, remote, main, fit, mirrored, backdrop]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new track is a new element, playing
  useLayoutEffect(() => {
    const element = video.current;
    if (!element) return;
    if (still) element.pause();
    // Fails only if the element is let go of meanwhile.
    else if (element.paused) void element.play().catch(() => {});
  }, [track, still]);
  return <div ref={box} style={{ width: '100%', height: '100%' }} />;
}

/**
 * Plays one remote microphone. If the browser blocks autoplay (e.g. after a reload, before any
 * click), `onBlocked` lets the page offer a "turn on sound" button that calls `play()` again.
 */
export function RemoteAudio({
  track,
  onBlocked,
  unlockKey,
}: {
  track: MediaStreamTrack;
  onBlocked: () => void;
  /** Changes when the user clicked "turn on sound": try again. */
  unlockKey: number;
}) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = new MediaStream([track]);
    return () => {
      el.srcObject = null;
    };
  }, [track]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: unlockKey is the retry trigger
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.play().catch((err: unknown) => {
      if ((err as { name?: string }).name === 'NotAllowedError') onBlocked();
    });
  }, [track, unlockKey, onBlocked]);
  // biome-ignore lint/a11y/useMediaCaption: live call audio has no captions to offer
  return <audio ref={ref} autoPlay data-remote-audio="true" />;
}
