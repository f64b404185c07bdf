// Desktop notifications and a short beep for staff when something arrives. Browsers only grant
// notification permission, and only let audio start, after a user gesture, so `enable()` must be
// called from a click.
import { useSyncExternalStore } from 'react';
import { Listeners } from './store';

export type AlertPermission = NotificationPermission | 'unsupported';

class DesktopAlerts {
  private audio: AudioContext | null = null;
  private readonly listeners = new Listeners();

  permission = (): AlertPermission =>
    typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;

  /** Asks for permission (from a click) and unlocks audio. Resolves with the resulting permission. */
  async enable(): Promise<AlertPermission> {
    this.unlockAudio();
    if (typeof Notification === 'undefined') return 'unsupported';
    if (Notification.permission === 'default') {
      try {
        await Notification.requestPermission();
      } catch {
        // Old Safari takes a callback instead; treat as "not decided".
      }
    }
    this.listeners.notify();
    return Notification.permission;
  }

  /**
   * Shows a desktop notification, but only when the tab is hidden (a visible tab shows a toast
   * instead) and the browser allows it. `tag` collapses repeated alerts about the same thing.
   * Whether to call it at all is the person's setting (client/src/notifications).
   */
  notify(options: { title: string; body?: string; tag?: string; onClick?: () => void }): boolean {
    if (typeof document !== 'undefined' && document.visibilityState !== 'hidden') return false;
    if (this.permission() !== 'granted') return false;
    try {
      const notification = new Notification(options.title, {
        ...(options.body ? { body: options.body } : {}),
        ...(options.tag ? { tag: options.tag } : {}),
      });
      notification.onclick = () => {
        window.focus();
        options.onClick?.();
        notification.close();
      };
      return true;
    } catch {
      // Some platforms (Android Chrome) only allow notifications from a service worker.
      return false;
    }
  }

  /** Two short sine tones, made with WebAudio: no audio file to load. */
  beep(): void {
    const context = this.unlockAudio();
    if (!context) return;
    const start = context.currentTime + 0.01;
    for (const [offset, frequency] of [
      [0, 880],
      [0.18, 1320],
    ] as const) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.2, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.15);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.16);
    }
  }

  /**
   * Browsers let audio start only after a user gesture: the first key or click on the page
   * unlocks it, so the first beep is not lost. Returns `stop`.
   */
  unlockOnFirstGesture(): () => void {
    if (typeof window === 'undefined') return () => {};
    const unlock = () => {
      this.unlockAudio();
      stop();
    };
    const stop = () => {
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
    };
    window.addEventListener('pointerdown', unlock);
    window.addEventListener('keydown', unlock);
    return stop;
  }

  getSnapshot = (): string => this.permission();

  readonly subscribe = this.listeners.subscribe;

  private unlockAudio(): AudioContext | null {
    const Ctor =
      typeof window === 'undefined'
        ? undefined
        : (window.AudioContext ??
          (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext);
    if (!Ctor) return null;
    try {
      this.audio ??= new Ctor();
      if (this.audio.state === 'suspended') void this.audio.resume().catch(() => {});
      return this.audio;
    } catch {
      return null;
    }
  }
}

export const desktopAlerts = new DesktopAlerts();

export function useDesktopPermission(): AlertPermission {
  useSyncExternalStore(desktopAlerts.subscribe, desktopAlerts.getSnapshot);
  return desktopAlerts.permission();
}
