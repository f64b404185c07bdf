// Cameras, microphones and the screen: listing them, opening them with the user's choice, and
// turning the browser's DOMException names into reasons the UI can explain (DESIGN §3.11).
// Framework-free: the device check and the call engine both use it.

export type MediaKindName = 'camera' | 'microphone' | 'screen';

/**
 * Why a device could not be opened. `denied`: the user or a browser/OS setting refused access;
 * `busy`: another app (or tab) holds the device; `no_device`: none is plugged in, or the chosen one
 * went away; `insecure`: the page is not served over https, so browsers hide the devices;
 * `cancelled`: the user closed the screen picker; `unknown`: anything else.
 */
export type MediaErrorReason = 'denied' | 'busy' | 'no_device' | 'insecure' | 'cancelled' | 'unknown';

export class MediaAccessError extends Error {
  constructor(
    readonly reason: MediaErrorReason,
    readonly kind: MediaKindName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MediaAccessError';
  }
}

export function isMediaAccessError(err: unknown): err is MediaAccessError {
  return err instanceof MediaAccessError;
}

/** Maps a getUserMedia/getDisplayMedia failure to a reason. Never throws. */
export function toMediaAccessError(err: unknown, kind: MediaKindName): MediaAccessError {
  if (err instanceof MediaAccessError) return err;
  const name = (err as { name?: string } | null)?.name ?? '';
  const message = (err as { message?: string } | null)?.message ?? String(err);
  let reason: MediaErrorReason;
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError': // old Chrome
    case 'SecurityError':
      // A closed screen picker is reported as NotAllowedError too; for the screen it is a choice.
      reason = kind === 'screen' ? 'cancelled' : 'denied';
      break;
    case 'NotReadableError':
    case 'TrackStartError': // old Chrome
    case 'AbortError': // Firefox: the device could not be started
      reason = 'busy';
      break;
    case 'NotFoundError':
    case 'DevicesNotFoundError': // old Chrome
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      reason = 'no_device';
      break;
    default:
      reason = 'unknown';
  }
  return new MediaAccessError(reason, kind, message, { cause: err });
}

export interface DeviceOption {
  deviceId: string;
  label: string;
}

export interface DeviceList {
  cameras: DeviceOption[];
  microphones: DeviceOption[];
  speakers: DeviceOption[];
}

/** Whether this page may use cameras at all (https or localhost, and a browser that has the API). */
export function mediaDevicesAvailable(): boolean {
  return typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.getUserMedia);
}

/**
 * The devices the browser reports. Labels are empty until the user granted access once; then a
 * numbered fallback stands in, so a select never shows blank options.
 */
export async function listDevices(): Promise<DeviceList> {
  if (!mediaDevicesAvailable()) return { cameras: [], microphones: [], speakers: [] };
  const all = await navigator.mediaDevices.enumerateDevices();
  const pick = (kind: MediaDeviceKind, fallback: string) =>
    all
      // Chrome also lists "Default - …" (and on Windows "Communications - …") aliases; they stay,
      // because a track opened without a choice reports the alias as its device.
      .filter((d) => d.kind === kind && d.deviceId !== '')
      .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${fallback} ${i + 1}` }));
  return {
    cameras: pick('videoinput', 'Camera'),
    microphones: pick('audioinput', 'Microphone'),
    speakers: pick('audiooutput', 'Speaker'),
  };
}

/** Calls `onChange` when a device is plugged in or out. Returns a function that stops listening. */
export function watchDevices(onChange: () => void): () => void {
  if (!mediaDevicesAvailable()) return () => {};
  navigator.mediaDevices.addEventListener('devicechange', onChange);
  return () => navigator.mediaDevices.removeEventListener('devicechange', onChange);
}

/**
 * The camera's picture: 640×360 unless the person chose HD (1280×720) on the device check. A face
 * needs no more in a support call (the detail travels by screen sharing, at the screen's own
 * size), and the smaller picture is a quarter of the pixels to encode, send and decode: kinder to
 * a customer's older laptop or home upload, and on the 2-core test machine it was the largest
 * single gain in the time to the first picture (bench:join, docs/decisions.md). Zoom makes the
 * same choice.
 */
const CAMERA_SIZE = {
  standard: { width: 640, height: 360 },
  hd: { width: 1280, height: 720 },
} as const;

/** The camera constraints for the size chosen on this browser (read at each opening). */
function cameraConstraints(): MediaTrackConstraints {
  const size = CAMERA_SIZE[loadDevicePreferences().hdVideo ? 'hd' : 'standard'];
  return {
    width: { ideal: size.width },
    height: { ideal: size.height },
    frameRate: { ideal: 30, max: 30 },
  };
}

const AUDIO_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

function withDevice(base: MediaTrackConstraints, deviceId: string | undefined): MediaTrackConstraints {
  return deviceId ? { ...base, deviceId: { exact: deviceId } } : base;
}

async function getUserMedia(constraints: MediaStreamConstraints, kind: MediaKindName): Promise<MediaStream> {
  if (!mediaDevicesAvailable()) {
    throw new MediaAccessError('insecure', kind, 'Camera and microphone need a secure (https) page.');
  }
  return navigator.mediaDevices.getUserMedia(constraints);
}

/**
 * Opens one device. A chosen device that has gone away (OverconstrainedError / NotFoundError on
 * an exact deviceId) falls back to the default one, as the user would expect after unplugging it.
 */
export async function openTrack(kind: 'camera' | 'microphone', deviceId?: string): Promise<MediaStreamTrack> {
  const base = kind === 'camera' ? cameraConstraints() : AUDIO_CONSTRAINTS;
  const constraints = (id: string | undefined): MediaStreamConstraints =>
    kind === 'camera' ? { video: withDevice(base, id) } : { audio: withDevice(base, id) };
  try {
    const stream = await getUserMedia(constraints(deviceId), kind);
    return firstTrack(stream, kind);
  } catch (err) {
    const mapped = toMediaAccessError(err, kind);
    if (deviceId && mapped.reason === 'no_device') {
      try {
        return firstTrack(await getUserMedia(constraints(undefined), kind), kind);
      } catch (again) {
        throw toMediaAccessError(again, kind);
      }
    }
    throw mapped;
  }
}

function firstTrack(stream: MediaStream, kind: 'camera' | 'microphone'): MediaStreamTrack {
  const track = kind === 'camera' ? stream.getVideoTracks()[0] : stream.getAudioTracks()[0];
  if (!track) throw new MediaAccessError('no_device', kind, `No ${kind} track was returned.`);
  return track;
}

export interface LocalMediaRequest {
  microphone: boolean;
  camera: boolean;
  microphoneId?: string | undefined;
  cameraId?: string | undefined;
}

export interface LocalMedia {
  microphone: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  /** Per device, why it could not be opened (the other one may still work). */
  errors: Partial<Record<'camera' | 'microphone', MediaAccessError>>;
}

/**
 * Opens the microphone and the camera. Both are asked for in one getUserMedia call (one
 * permission prompt); if that fails, each is tried alone so a busy camera does not cost the call
 * its sound, and the error names the device that failed.
 */
export async function openLocalMedia(request: LocalMediaRequest): Promise<LocalMedia> {
  const result: LocalMedia = { microphone: null, camera: null, errors: {} };
  if (!request.microphone && !request.camera) return result;
  if (request.microphone && request.camera) {
    try {
      const stream = await getUserMedia(
        {
          audio: withDevice(AUDIO_CONSTRAINTS, request.microphoneId),
          video: withDevice(cameraConstraints(), request.cameraId),
        },
        'camera',
      );
      result.microphone = stream.getAudioTracks()[0] ?? null;
      result.camera = stream.getVideoTracks()[0] ?? null;
      if (result.microphone && result.camera) return result;
      for (const track of stream.getTracks()) track.stop();
      result.microphone = null;
      result.camera = null;
    } catch (err) {
      const mapped = toMediaAccessError(err, 'camera');
      // A refusal or an insecure page applies to both devices: asking again would only fail again.
      if (mapped.reason === 'denied' || mapped.reason === 'insecure') {
        result.errors.camera = mapped;
        result.errors.microphone = new MediaAccessError(mapped.reason, 'microphone', mapped.message, {
          cause: err,
        });
        return result;
      }
    }
  }
  if (request.microphone) {
    try {
      result.microphone = await openTrack('microphone', request.microphoneId);
    } catch (err) {
      result.errors.microphone = toMediaAccessError(err, 'microphone');
    }
  }
  if (request.camera) {
    try {
      result.camera = await openTrack('camera', request.cameraId);
    } catch (err) {
      result.errors.camera = toMediaAccessError(err, 'camera');
    }
  }
  return result;
}

/** Asks the user for a screen, window or tab to share. A closed picker rejects as `cancelled`. */
export async function openScreen(): Promise<MediaStreamTrack> {
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getDisplayMedia) {
    throw new MediaAccessError('insecure', 'screen', 'This browser cannot share a screen.');
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getDisplayMedia({
      video: { frameRate: { ideal: 15, max: 30 } },
      audio: false,
    });
  } catch (err) {
    throw toMediaAccessError(err, 'screen');
  }
  const track = stream.getVideoTracks()[0];
  if (!track) throw new MediaAccessError('no_device', 'screen', 'No screen track was returned.');
  // Text and UI: keep it sharp rather than smooth when bandwidth is short.
  if ('contentHint' in track) track.contentHint = 'detail';
  return track;
}

/** The id of the device a track comes from, if the browser says. */
export function deviceIdOf(track: MediaStreamTrack | null | undefined): string | undefined {
  return track?.getSettings().deviceId || undefined;
}

export function stopTrack(track: MediaStreamTrack | null | undefined): void {
  try {
    track?.stop();
  } catch {
    // Stopping an already-ended track cannot fail in a way that matters.
  }
}

const PREFERENCES_KEY = 'livedesk.call.devices';

export interface DevicePreferences {
  microphoneId?: string;
  cameraId?: string;
  /** Send the camera in HD (1280×720) instead of 640×360 (see `cameraConstraints`). */
  hdVideo?: boolean;
}

/** The devices chosen last time, so the next call starts with them. */
export function loadDevicePreferences(): DevicePreferences {
  try {
    const raw = window.localStorage.getItem(PREFERENCES_KEY);
    const value = raw ? (JSON.parse(raw) as unknown) : null;
    if (!value || typeof value !== 'object') return {};
    const v = value as Record<string, unknown>;
    return {
      ...(typeof v.microphoneId === 'string' ? { microphoneId: v.microphoneId } : {}),
      ...(typeof v.cameraId === 'string' ? { cameraId: v.cameraId } : {}),
      ...(typeof v.hdVideo === 'boolean' ? { hdVideo: v.hdVideo } : {}),
    };
  } catch {
    return {};
  }
}

/** Remembers `prefs`; what it does not mention keeps its saved value. */
export function saveDevicePreferences(prefs: DevicePreferences): void {
  try {
    window.localStorage.setItem(PREFERENCES_KEY, JSON.stringify({ ...loadDevicePreferences(), ...prefs }));
  } catch {
    // Not remembered; the next call starts with the default devices.
  }
}
