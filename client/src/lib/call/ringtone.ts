// A ring for incoming calls, synthesised with WebAudio (no audio file to ship or to fail loading).
// Browsers may keep an AudioContext suspended until the user has interacted with the page; then
// the ring stays silent and the prompt on screen is the signal.

/** Two soft tones, twice, then a pause: repeated until `stop()`. */
const PATTERN = [
  { at: 0, freq: 880, length: 0.18 },
  { at: 0.22, freq: 660, length: 0.28 },
  { at: 0.75, freq: 880, length: 0.18 },
  { at: 0.97, freq: 660, length: 0.28 },
];
const PERIOD_S = 3;

export class Ringtone {
  private context: AudioContext | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;

  private waitForGesture: (() => void) | undefined;

  start(): void {
    if (this.context || typeof window === 'undefined' || typeof AudioContext === 'undefined') return;
    // Without a click or key press on this page yet, the browser keeps audio muted (and warns):
    // start at the first one instead.
    if (navigator.userActivation && !navigator.userActivation.hasBeenActive) {
      if (this.waitForGesture) return;
      const onGesture = () => {
        this.removeGestureListeners();
        this.start();
      };
      this.waitForGesture = onGesture;
      window.addEventListener('pointerdown', onGesture, { once: true });
      window.addEventListener('keydown', onGesture, { once: true });
      return;
    }
    try {
      this.context = new AudioContext();
    } catch {
      return;
    }
    void this.context.resume().catch(() => {});
    this.ringOnce();
    this.timer = setInterval(() => this.ringOnce(), PERIOD_S * 1000);
  }

  private ringOnce(): void {
    const ctx = this.context;
    if (!ctx || ctx.state === 'closed') return;
    const start = ctx.currentTime + 0.05;
    for (const tone of PATTERN) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = tone.freq;
      const t0 = start + tone.at;
      // Short fades so the tones do not click.
      gain.gain.setValueAtTime(0, t0);
      gain.gain.linearRampToValueAtTime(0.18, t0 + 0.02);
      gain.gain.setValueAtTime(0.18, t0 + tone.length - 0.04);
      gain.gain.linearRampToValueAtTime(0, t0 + tone.length);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0);
      osc.stop(t0 + tone.length + 0.01);
    }
  }

  private removeGestureListeners(): void {
    if (!this.waitForGesture) return;
    window.removeEventListener('pointerdown', this.waitForGesture);
    window.removeEventListener('keydown', this.waitForGesture);
    this.waitForGesture = undefined;
  }

  stop(): void {
    this.removeGestureListeners();
    clearInterval(this.timer);
    this.timer = undefined;
    const ctx = this.context;
    this.context = null;
    if (ctx && ctx.state !== 'closed') void ctx.close().catch(() => {});
  }
}
