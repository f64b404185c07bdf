import { type CSSProperties, useEffect, useRef } from 'react';
import type { MediaSourceName } from '../../../signaling/shared/protocol';

/**
 * A `<video>` showing one track. Always muted: sound plays through `RemoteAudio`, so a self-view
 * never echoes. `data-*` attributes say what it shows (used by styles and the end-to-end tests).
 */
export function VideoView({
  track,
  source,
  remote,
  main = false,
  mirrored = false,
  fit = 'cover',
  label,
  style,
}: {
  track: MediaStreamTrack;
  source: MediaSourceName | 'preview';
  remote: boolean;
  main?: boolean;
  mirrored?: boolean;
  fit?: 'cover' | 'contain';
  label: string;
  style?: CSSProperties;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = new MediaStream([track]);
    // Muted video may always autoplay; play() only fails if the element went away meanwhile.
    void el.play().catch(() => {});
    return () => {
      el.srcObject = null;
    };
  }, [track]);
  return (
    <video
      ref={ref}
      autoPlay
      playsInline
      muted
      aria-label={label}
      data-source={source}
      data-remote={remote ? 'true' : 'false'}
      data-main={main ? 'true' : 'false'}
      style={{
        display: 'block',
        width: '100%',
        height: '100%',
        objectFit: fit,
        background: '#000',
        transform: mirrored ? 'scaleX(-1)' : undefined,
        ...style,
      }}
    />
  );
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
