// This side's tracks in a call: the microphone and camera (mute, camera off, switching devices,
// a device that stops by itself) and the shared screen. The tracks outlive connection attempts:
// a rejoin sends the same ones again (`sendAll`); only the end of the call stops them.

import type { MediaSourceName } from '../../../../signaling/shared/protocol';
import type { Store } from '../store';
import type { CallConnection } from './CallConnection';
import {
  isMediaAccessError,
  type LocalMedia as OpenedDevices,
  type openScreen,
  type openTrack,
  stopTrack,
} from './devices';
import { mediaIssue, StaleError, signalingIssue } from './issues';
import type { CallIssue, CallSignaling, CallSnapshot } from './types';

export interface LocalMediaHost {
  readonly callId: string;
  readonly signaling: CallSignaling;
  readonly log: Pick<Console, 'warn' | 'error'>;
  readonly store: Store<CallSnapshot>;
  readonly openTrack: typeof openTrack;
  readonly openScreen: typeof openScreen;
  /** The current connection attempt, if any. */
  connection(): CallConnection | null;
  /** Joined and sending: a new track is produced at once (otherwise the (re)join sends it). */
  inCall(): boolean;
  /** The call is over here (ended, left, replaced, destroyed): new tracks are stopped at once. */
  over(): boolean;
}

export class LocalMedia {
  constructor(private readonly host: LocalMediaHost) {}

  private get snapshot(): CallSnapshot {
    return this.host.store.getSnapshot();
  }

  private update(patch: Partial<CallSnapshot>): void {
    this.host.store.update(patch);
  }

  /** Takes over the device check's tracks at the join. */
  adopt(mic: MediaStreamTrack | null, camera: MediaStreamTrack | null): void {
    this.watch(mic, 'mic');
    this.watch(camera, 'camera');
  }

  /**
   * The devices of a join that did not wait for them: taken over once open, with the camera-off
   * choice applied. One that could not be opened is returned as the call's issue (the banner says
   * which and why); it stays off (camera off, muted), and turning it on from the controls opens
   * it again. One opened meanwhile from the controls is kept.
   */
  async takeOpened(devices: Promise<OpenedDevices>, cameraOff: boolean): Promise<CallIssue | null> {
    const opened = await devices.catch((err): OpenedDevices => {
      this.host.log.warn('could not open the camera and microphone', err);
      return { microphone: null, camera: null, errors: {} };
    });
    if (cameraOff) stopTrack(opened.camera);
    const arriving = { mic: opened.microphone, camera: cameraOff ? null : opened.camera };
    if (this.host.over()) {
      stopTrack(arriving.mic);
      stopTrack(arriving.camera);
      return null;
    }
    const { local, micMuted } = this.snapshot;
    const mic = local.mic ?? arriving.mic;
    const camera = local.camera ?? arriving.camera;
    if (mic !== arriving.mic) stopTrack(arriving.mic);
    if (camera !== arriving.camera) stopTrack(arriving.camera);
    this.adopt(mic === local.mic ? null : mic, camera === local.camera ? null : camera);
    this.update({
      local: { ...local, mic, camera },
      cameraOff: cameraOff || !camera,
      micMuted: micMuted || !mic,
    });
    // Shown once the join is through (the join's own outcome replaces the issue before that).
    const failed = (cameraOff ? undefined : opened.errors.camera) ?? opened.errors.microphone;
    return failed ? mediaIssue(failed) : null;
  }

  /** Sends the local tracks on a new connection; one that fails is reported and the call goes on without it. */
  async sendAll(connection: CallConnection, onPictureSent?: () => void): Promise<void> {
    const { local, micMuted, cameraOff } = this.snapshot;
    const attempt = async (source: MediaSourceName, track: MediaStreamTrack | null) => {
      // Already sent (prepared on the device check) or nothing to send.
      if (track?.readyState !== 'live' || connection.producers.has(source)) return;
      try {
        const producer = await connection.produce(source, track);
        if (source === 'mic' && micMuted) await connection.pauseProducer(producer, true);
      } catch (err) {
        if (err instanceof StaleError || connection.closed) throw new StaleError();
        this.host.log.warn(`could not send ${source}`, err);
        this.update({
          issue: source === 'screen' ? { reason: 'screen_failed', device: 'screen' } : signalingIssue(err),
        });
      }
    };
    // The camera goes first: a picture is what both people wait for. All are asked for at once:
    // mediasoup-client runs the offers/answers one after the other in that order anyway, and the
    // next starts as soon as the one before it is done instead of after a turn of this page's
    // main thread, which during a join is busy with the call view (bench:join).
    // `onPictureSent` once the camera is sent (or there is none to send): the call view may show
    // then, while the microphone's offer and answer go on (see CallEngine.connect).
    const camera = (cameraOff ? Promise.resolve() : attempt('camera', local.camera)).then(onPictureSent);
    await Promise.all([camera, attempt('mic', local.mic), attempt('screen', local.screen)]);
  }

  /** Mute: nothing from the microphone reaches anyone. Unmuting without a working mic opens one. */
  async setMicMuted(muted: boolean): Promise<void> {
    if (this.host.over()) return;
    this.update({ micMuted: muted });
    const mic = this.snapshot.local.mic;
    if (!muted && mic?.readyState !== 'live') {
      // Joined without a microphone, or it stopped (unplugged): open one now.
      try {
        const track = await this.host.openTrack('microphone', this.snapshot.microphoneId);
        await this.applyTrack('mic', track);
      } catch (err) {
        this.update({ micMuted: true });
        this.reportFailure(err);
        return;
      }
    }
    const connection = this.host.connection();
    const producer = connection?.producers.get('mic');
    if (connection && producer && !producer.closed) await connection.pauseProducer(producer, muted);
  }

  /** Camera off stops the camera (its light goes out); on opens it again. */
  async setCameraOff(off: boolean): Promise<void> {
    if (this.host.over()) return;
    const connection = this.host.connection();
    if (off) {
      const producer = connection?.producers.get('camera');
      const track = this.snapshot.local.camera;
      this.update({ cameraOff: true, local: { ...this.snapshot.local, camera: null } });
      if (connection && producer) {
        await connection.pauseProducer(producer, true);
        await producer.replaceTrack({ track: null }).catch(() => {});
      }
      stopTrack(track);
      return;
    }
    let track: MediaStreamTrack;
    try {
      track = await this.host.openTrack('camera', this.snapshot.cameraId);
    } catch (err) {
      this.reportFailure(err);
      return;
    }
    if (this.host.over()) {
      stopTrack(track);
      return;
    }
    this.watch(track, 'camera');
    this.update({ cameraOff: false, local: { ...this.snapshot.local, camera: track }, issue: null });
    const now = this.host.connection();
    const current = now?.producers.get('camera');
    if (now && current && !current.closed) {
      await current.replaceTrack({ track });
      await now.pauseProducer(current, false);
    } else if (now && this.host.inCall()) {
      await now.produce('camera', track).catch((err) => this.reportFailure(err));
    }
  }

  /** Switches to another camera during the call, without renegotiating. */
  async switchCamera(deviceId: string): Promise<void> {
    this.update({ cameraId: deviceId });
    if (this.snapshot.cameraOff || this.host.over()) return;
    await this.switchTrack('camera', deviceId);
  }

  async switchMicrophone(deviceId: string): Promise<void> {
    this.update({ microphoneId: deviceId });
    if (this.host.over()) return;
    await this.switchTrack('microphone', deviceId);
  }

  private async switchTrack(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    const slot = kind === 'camera' ? 'camera' : 'mic';
    const old = this.snapshot.local[slot];
    let track: MediaStreamTrack;
    try {
      track = await this.host.openTrack(kind, deviceId);
    } catch (err) {
      // Some devices (phones) cannot open a second camera while the first is open.
      if (isMediaAccessError(err) && err.reason === 'busy' && old) {
        stopTrack(old);
        try {
          track = await this.host.openTrack(kind, deviceId);
        } catch (again) {
          this.reportFailure(again);
          const restored = await this.host.openTrack(kind, deviceIdOf(old)).catch(() => null);
          if (restored) await this.applyTrack(slot, restored);
          return;
        }
      } else {
        this.reportFailure(err);
        return;
      }
    }
    await this.applyTrack(slot, track);
    if (old !== track) stopTrack(old);
  }

  private async applyTrack(slot: 'mic' | 'camera', track: MediaStreamTrack): Promise<void> {
    if (this.host.over()) {
      stopTrack(track);
      return;
    }
    this.watch(track, slot);
    this.update({ local: { ...this.snapshot.local, [slot]: track }, issue: null });
    const connection = this.host.connection();
    const producer = connection?.producers.get(slot);
    if (producer && !producer.closed) {
      await producer.replaceTrack({ track });
    } else if (connection && this.host.inCall()) {
      const created = await connection.produce(slot, track).catch((err) => {
        this.reportFailure(err);
        return null;
      });
      if (created && slot === 'mic' && this.snapshot.micMuted) await connection.pauseProducer(created, true);
    }
  }

  /** A device that stops by itself (unplugged, taken by the OS) is reported, not silently lost. */
  private watch(track: MediaStreamTrack | null, slot: 'mic' | 'camera'): void {
    track?.addEventListener(
      'ended',
      () => {
        if (this.snapshot.local[slot] !== track || this.host.over()) return;
        this.update({
          local: { ...this.snapshot.local, [slot]: null },
          issue: { reason: 'device_lost', device: slot === 'mic' ? 'microphone' : 'camera' },
          ...(slot === 'camera' ? { cameraOff: true } : { micMuted: true }),
        });
      },
      { once: true },
    );
  }

  private reportFailure(err: unknown): void {
    if (err instanceof StaleError) return;
    this.host.log.warn('local media failed', err);
    this.update({
      issue: isMediaAccessError(err) ? mediaIssue(err) : { reason: 'unknown', detail: String(err) },
    });
  }

  /** Shares a screen, window or tab as its own track; the browser's own "Stop sharing" ends it too. */
  async startScreenShare(): Promise<void> {
    if (this.host.over() || this.snapshot.sharing) return;
    this.update({ sharing: true });
    let track: MediaStreamTrack;
    try {
      track = await this.host.openScreen();
    } catch (err) {
      this.update({ sharing: false });
      if (isMediaAccessError(err) && err.reason === 'cancelled') return; // the user changed their mind
      this.reportFailure(err);
      return;
    }
    if (this.host.over() || !this.snapshot.sharing) {
      stopTrack(track);
      return;
    }
    track.addEventListener('ended', () => {
      if (this.snapshot.local.screen === track) void this.stopScreenShare();
    });
    this.update({ local: { ...this.snapshot.local, screen: track } });
    const connection = this.host.connection();
    if (!connection || !this.host.inCall()) return; // produced when the (re)join finishes
    try {
      await connection.produce('screen', track);
    } catch (err) {
      if (err instanceof StaleError) return;
      stopTrack(track);
      this.update({
        sharing: false,
        local: { ...this.snapshot.local, screen: null },
        issue: { reason: 'screen_failed', device: 'screen', detail: String(err) },
      });
    }
  }

  async stopScreenShare(): Promise<void> {
    const track = this.snapshot.local.screen;
    const producer = this.host.connection()?.closeProducer('screen');
    this.update({ sharing: false, local: { ...this.snapshot.local, screen: null } });
    stopTrack(track);
    if (!producer) return;
    try {
      await this.host.signaling.request('call:producer:close', {
        callId: this.host.callId,
        producerId: producer.id,
      });
    } catch (err) {
      // Our side stopped sending; the server closes it with the transport at the latest.
      this.host.log.warn('could not close the screen producer on the server', err);
    }
  }

  /** Stops every local track (the end of the call here). */
  releaseAll(): Partial<CallSnapshot> {
    const { mic, camera, screen } = this.snapshot.local;
    stopTrack(mic);
    stopTrack(camera);
    stopTrack(screen);
    return { local: { mic: null, camera: null, screen: null }, sharing: false };
  }
}

function deviceIdOf(track: MediaStreamTrack): string | undefined {
  return track.getSettings().deviceId || undefined;
}
