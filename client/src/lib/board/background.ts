// "Annotate the screen": a frame of the shared screen, frozen as a picture both sides draw over.
//
// The picture travels once, with `board:background` (the server keeps it with the board), and is
// shown as an Excalidraw image element that is locked and sits at the very back of the scene. The
// element itself is an ordinary shared element (it carries only a file id, never the picture), so
// it pans, zooms and lines up with the drawing identically on both sides, and the saved scene
// holds it too. Every side derives the file id from the picture itself, so whichever of the two
// (picture, element) arrives first, the other finds it.

import { BACKGROUND_ELEMENT_ID } from '../../../../signaling/shared/boardMerge';
import { BOARD_CLIENT_BUDGETS } from '../../../../signaling/shared/limits';
import type { BoardElement } from './reconcile';

/** The one background element of a board (a new frame replaces it with a higher version). */
export { BACKGROUND_ELEMENT_ID };

/** Frames wider than this are scaled down before they are sent. */
export const FRAME_MAX_WIDTH = 1280;
/** See `BOARD_CLIENT_BUDGETS` (signaling/shared/limits.ts) for why a frame stays near 1 MB. */
export const FRAME_MAX_DATA_URL_CHARS = BOARD_CLIENT_BUDGETS.frameDataUrlChars;

/** FNV-1a over the data URL: a stable, short file id that both sides compute the same way. */
export function backgroundFileId(dataUrl: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < dataUrl.length; i++) {
    const c = dataUrl.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return `livedesk-bg-${hex(h1)}${hex(h2)}-${dataUrl.length.toString(36)}`;
}

export function backgroundMimeType(dataUrl: string): 'image/png' | 'image/jpeg' | 'image/webp' {
  const match = /^data:(image\/(?:png|jpeg|webp));/.exec(dataUrl);
  return (match?.[1] as 'image/png' | 'image/jpeg' | 'image/webp' | undefined) ?? 'image/png';
}

const randomInt = () => Math.floor(Math.random() * 2 ** 31);

/**
 * The element that shows a frozen frame: locked, at the back (index null, so the editor gives it
 * an index before every other element), one version above the element it replaces.
 */
export function backgroundElement(options: {
  dataUrl: string;
  width: number;
  height: number;
  x?: number;
  y?: number;
  previous?: BoardElement | undefined;
}): BoardElement {
  const { previous } = options;
  return {
    id: BACKGROUND_ELEMENT_ID,
    type: 'image',
    x: options.x ?? 0,
    y: options.y ?? 0,
    width: options.width,
    height: options.height,
    angle: 0,
    strokeColor: 'transparent',
    backgroundColor: 'transparent',
    fillStyle: 'solid',
    strokeWidth: 1,
    strokeStyle: 'solid',
    roughness: 0,
    opacity: 100,
    groupIds: [],
    frameId: null,
    roundness: null,
    seed: randomInt(),
    version: (previous?.version ?? 0) + 1,
    versionNonce: randomInt(),
    isDeleted: false,
    boundElements: null,
    updated: Date.now(),
    link: null,
    locked: true,
    index: null,
    status: 'saved',
    fileId: backgroundFileId(options.dataUrl),
    scale: [1, 1],
    crop: null,
  };
}

/** The background element, deleted (the frame was taken away). */
export function deletedBackgroundElement(previous: BoardElement): BoardElement {
  return {
    ...previous,
    isDeleted: true,
    version: previous.version + 1,
    versionNonce: randomInt(),
    updated: Date.now(),
  };
}

export interface CapturedFrame {
  dataUrl: string;
  width: number;
  height: number;
}

export class FrameCaptureError extends Error {
  constructor(
    readonly reason: 'no_frame' | 'too_large',
    message: string,
  ) {
    super(message);
    this.name = 'FrameCaptureError';
  }
}

/** A video element showing `track`, playing and with a decoded frame. */
async function videoFor(track: MediaStreamTrack): Promise<{ video: HTMLVideoElement; dispose: () => void }> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  const dispose = () => {
    video.pause();
    video.srcObject = null;
  };
  try {
    await video.play();
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new FrameCaptureError('no_frame', 'no frame in 3 s')), 3_000);
        video.addEventListener(
          'loadeddata',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
    }
  } catch (err) {
    dispose();
    throw err instanceof FrameCaptureError ? err : new FrameCaptureError('no_frame', String(err));
  }
  return { video, dispose };
}

/**
 * Freezes the current frame of a shared screen: from a `<video>` that shows it, or from the track
 * itself. At most 1280 px wide; PNG when it fits, otherwise JPEG at falling quality, otherwise
 * smaller, so the picture always fits in one socket message.
 */
export async function captureFrame(source: HTMLVideoElement | MediaStreamTrack): Promise<CapturedFrame> {
  let video: HTMLVideoElement;
  let dispose = () => {};
  if (source instanceof HTMLVideoElement && source.videoWidth > 0) {
    video = source;
  } else {
    const track =
      source instanceof HTMLVideoElement
        ? ((source.srcObject as MediaStream | null)?.getVideoTracks()[0] ?? null)
        : source;
    if (!track || track.readyState === 'ended')
      throw new FrameCaptureError('no_frame', 'no live video track');
    ({ video, dispose } = await videoFor(track));
  }
  try {
    const sourceWidth = video.videoWidth;
    const sourceHeight = video.videoHeight;
    if (!sourceWidth || !sourceHeight) throw new FrameCaptureError('no_frame', 'the video has no frame yet');
    let width = Math.min(sourceWidth, FRAME_MAX_WIDTH);
    for (let attempt = 0; attempt < 4; attempt++) {
      const height = Math.max(1, Math.round((sourceHeight * width) / sourceWidth));
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d');
      if (!context) throw new FrameCaptureError('no_frame', 'no 2D canvas');
      context.drawImage(video, 0, 0, width, height);
      const candidates = [
        () => canvas.toDataURL('image/png'),
        () => canvas.toDataURL('image/jpeg', 0.85),
        () => canvas.toDataURL('image/jpeg', 0.7),
        () => canvas.toDataURL('image/jpeg', 0.5),
      ];
      for (const encode of candidates) {
        const dataUrl = encode();
        if (dataUrl.length <= FRAME_MAX_DATA_URL_CHARS) return { dataUrl, width, height };
      }
      width = Math.round(width * 0.7);
    }
    throw new FrameCaptureError('too_large', 'the frame does not compress small enough');
  } finally {
    dispose();
  }
}
