// Plays the separate track files of one recording (each microphone, camera and shared screen) as
// one call. Framework-free: a master clock owns the position; every media element is a follower
// that is started at its track's offset, stopped past its end, and nudged back whenever it drifts.

import { Listeners } from '../lib/store';

/** How often the followers are checked against the master clock. */
const CORRECTION_INTERVAL_MS = 200;
/** Below this a follower is left alone (seeking for a few ms would only cause stutter). */
const DRIFT_TOLERANCE_S = 0.03;
/** Above this a follower is seeked; in between, its playback rate is nudged (no audible jump). */
const DRIFT_SEEK_S = 0.25;
/** Rate nudge per second of drift, and its bound (±8 % is inaudible with pitch preserved). */
const NUDGE_GAIN = 1.5;
const NUDGE_MAX = 0.08;
/** A follower that cannot play for this long is skipped instead of holding everything up. */
const STALL_GIVE_UP_MS = 4_000;

export interface FollowerOptions {
  /** Where the track starts on the recording's timeline (seconds). */
  offset: number;
  /** Its length, if known before the element has loaded (seconds). */
  duration: number | null;
}

interface Follower extends FollowerOptions {
  element: HTMLMediaElement;
  /** Since when (ms, performance clock) it has been unable to play while it should. */
  stalledSince: number | null;
  skipped: boolean;
  /** `play()` was called and has not settled: the clock waits for it (start-up takes ~100 ms). */
  starting: boolean;
}

export interface SyncPlayerSnapshot {
  /** Seconds from the recording's start. */
  position: number;
  duration: number;
  playing: boolean;
  /** Playing, but held because a track that should be playing is still loading. */
  waiting: boolean;
  rate: number;
  /** The browser refused to start playback (autoplay policy): ask for a click. */
  blocked: boolean;
  /** The largest distance between a playing follower and the master clock at the last check (s). */
  maxDrift: number;
}

export class SyncPlayer {
  private readonly followers = new Map<string, Follower>();
  private readonly listeners = new Listeners();
  private snapshot: SyncPlayerSnapshot;
  /** Master clock: `basePosition` at wall time `baseWall`, advancing at `rate` while playing. */
  private basePosition = 0;
  private baseWall = 0;
  private playing = false;
  private waiting = false;
  private blocked = false;
  private rate = 1;
  private maxDrift = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private duration: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.snapshot = this.makeSnapshot();
  }

  // ----- React (useSyncExternalStore) ---------------------------------------------------------

  getSnapshot = (): SyncPlayerSnapshot => this.snapshot;

  readonly subscribe = this.listeners.subscribe;

  // ----- followers ----------------------------------------------------------------------------

  /** Adds a media element for one track; returns a function that removes it. */
  attach(id: string, element: HTMLMediaElement, options: FollowerOptions): () => void {
    const follower: Follower = { ...options, element, stalledSince: null, skipped: false, starting: false };
    this.followers.set(id, follower);
    const onMetadata = () => {
      // The file's own length is more exact than the probe's rounded value.
      if (Number.isFinite(element.duration) && element.duration > 0) follower.duration = element.duration;
      this.correct();
    };
    element.addEventListener('loadedmetadata', onMetadata);
    if (element.readyState >= HTMLMediaElement.HAVE_METADATA) onMetadata();
    return () => {
      element.removeEventListener('loadedmetadata', onMetadata);
      element.pause();
      if (this.followers.get(id) === follower) this.followers.delete(id);
    };
  }

  /** Whether a track has media at `position` (so its picture should be shown). */
  isActive(options: FollowerOptions, position = this.position): boolean {
    const local = position - options.offset;
    return local >= 0 && (options.duration === null || local < options.duration);
  }

  setDuration(duration: number): void {
    if (duration === this.duration) return;
    this.duration = duration;
    this.publish();
  }

  // ----- transport ----------------------------------------------------------------------------

  get position(): number {
    if (!this.playing || this.waiting) return this.basePosition;
    const elapsed = ((this.now() - this.baseWall) / 1000) * this.rate;
    return Math.min(this.duration, this.basePosition + elapsed);
  }

  play(): void {
    if (this.playing) return;
    if (this.position >= this.duration) this.basePosition = 0;
    this.playing = true;
    this.blocked = false;
    this.baseWall = this.now();
    this.timer = setInterval(() => this.correct(), CORRECTION_INTERVAL_MS);
    // Called from the click itself, so the browser lets every element start with sound.
    this.correct();
  }

  pause(): void {
    if (!this.playing) return;
    this.basePosition = this.position;
    this.playing = false;
    this.waiting = false;
    clearInterval(this.timer);
    this.timer = undefined;
    this.correct();
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  seek(seconds: number): void {
    this.basePosition = Math.max(0, Math.min(this.duration, seconds));
    this.baseWall = this.now();
    for (const f of this.followers.values()) {
      f.stalledSince = null;
      f.skipped = false;
    }
    this.correct();
  }

  setRate(rate: number): void {
    this.basePosition = this.position;
    this.baseWall = this.now();
    this.rate = rate;
    this.correct();
  }

  /** Stops the clock and every element (each follower detaches itself when its element goes). */
  destroy(): void {
    this.basePosition = this.position;
    this.playing = false;
    this.waiting = false;
    clearInterval(this.timer);
    this.timer = undefined;
    for (const f of this.followers.values()) f.element.pause();
  }

  // ----- the correction loop ------------------------------------------------------------------

  /** Brings every follower in line with the master clock; runs on a timer while playing. */
  private correct(): void {
    const now = this.now();
    let position = this.position;
    if (this.playing && position >= this.duration) {
      this.basePosition = this.duration;
      this.playing = false;
      this.waiting = false;
      clearInterval(this.timer);
      this.timer = undefined;
      position = this.duration;
    }

    // The clock holds while a track that should be playing has no data yet (after a seek, say)
    // or is still starting up, so the picture and the sound never run ahead of each other.
    let buffering = false;
    let starting = false;
    if (this.playing) {
      for (const f of this.followers.values()) {
        if (f.skipped || !this.isActive(f, position)) continue;
        const el = f.element;
        if (f.starting) starting = true;
        const hasData = (el.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA && !el.seeking) || el.ended;
        if (hasData) {
          f.stalledSince = null;
          continue;
        }
        f.stalledSince ??= now;
        if (now - f.stalledSince > STALL_GIVE_UP_MS || el.error) f.skipped = true;
        else buffering = true;
      }
    }
    const holding = buffering || starting;
    if (holding !== this.waiting) {
      this.basePosition = holding ? position : this.releasePosition(position);
      this.baseWall = now;
      this.waiting = holding;
      position = this.basePosition;
    }

    let maxDrift = 0;
    for (const f of this.followers.values()) {
      const el = f.element;
      if (el.readyState < HTMLMediaElement.HAVE_METADATA) continue;
      const local = position - f.offset;
      if (!this.isActive(f, position) || !this.playing || f.skipped || (buffering && !f.starting)) {
        if (!el.paused) el.pause();
        const target = Math.max(0, Math.min(local, f.duration ?? local));
        if (Math.abs(el.currentTime - target) > DRIFT_TOLERANCE_S) el.currentTime = target;
        el.playbackRate = this.rate;
        continue;
      }
      if (f.starting) continue;
      if (el.paused) {
        this.start(f, local);
        continue;
      }
      // While another follower is starting, the clock stands still and this one runs on; the
      // clock resumes where the followers are (releasePosition), so no correction is due yet.
      if (this.waiting) continue;
      const drift = el.currentTime - local;
      if (Math.abs(drift) > DRIFT_SEEK_S) {
        el.currentTime = local;
        el.playbackRate = this.rate;
      } else if (Math.abs(drift) > DRIFT_TOLERANCE_S) {
        const nudge = Math.max(-NUDGE_MAX, Math.min(NUDGE_MAX, -drift * NUDGE_GAIN));
        el.playbackRate = this.rate * (1 + nudge);
      } else {
        el.playbackRate = this.rate;
      }
      if (!el.seeking) maxDrift = Math.max(maxDrift, Math.abs(drift));
    }
    if (this.playing && !this.waiting && [...this.followers.values()].some((f) => f.starting)) {
      // Just started some: hold the clock here until they run (see the release in start()).
      this.basePosition = position;
      this.baseWall = now;
      this.waiting = true;
    }
    this.maxDrift = maxDrift;
    this.publish();
  }

  /** Starts a paused follower at `local`; the clock waits until it is actually running. */
  private start(f: Follower, local: number): void {
    const el = f.element;
    if (Math.abs(el.currentTime - local) > DRIFT_TOLERANCE_S) el.currentTime = local;
    el.playbackRate = this.rate;
    f.starting = true;
    el.play()
      .catch((err: unknown) => {
        if ((err as { name?: string }).name === 'NotAllowedError') {
          this.blocked = true;
          this.pause();
        }
        // AbortError: a pause or seek interrupted the start; the next check starts it again.
      })
      .finally(() => {
        f.starting = false;
        // Release the clock as soon as the last one is running, not at the next tick.
        if (this.waiting) this.correct();
      });
  }

  /**
   * Where the clock resumes after holding: where the running followers actually are (the earliest
   * of them, so nobody has to jump back), or where it stopped if none runs.
   */
  private releasePosition(held: number): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const f of this.followers.values()) {
      const el = f.element;
      if (f.skipped || f.starting || el.paused || !this.isActive(f, held)) continue;
      earliest = Math.min(earliest, el.currentTime + f.offset);
    }
    // A follower far off (it was just seeked) must not drag the clock along.
    return Number.isFinite(earliest) && Math.abs(earliest - held) < DRIFT_SEEK_S ? earliest : held;
  }

  private makeSnapshot(): SyncPlayerSnapshot {
    return {
      position: this.position,
      duration: this.duration,
      playing: this.playing,
      waiting: this.waiting,
      rate: this.rate,
      blocked: this.blocked,
      maxDrift: this.maxDrift,
    };
  }

  private publish(): void {
    this.snapshot = this.makeSnapshot();
    this.listeners.notify();
  }
}
