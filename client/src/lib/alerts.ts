// Desktop notifications and a short beep for staff when something arrives while the tab is hidden.
// Browsers only grant notification permission, and only let audio start, after a user gesture, so
// `enable()` must be called from a click.
import { useSyncExternalStore } from 'react';
import { Listeners } from './store';

export type AlertPermission = NotificationPermission | 'unsupported';

const STORAGE_KEY = 'livedesk.alerts';

class DesktopAlerts {
  private audio: AudioContext | null = null;
  private readonly listeners = new Listeners();
  private muted = readMuted();

  permission = (): AlertPermission =>
    typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;

  /** Whether alerts are on: the user allowed notifications and has not muted them here. */
  enabled = (): boolean => this.permission() === 'granted' && !this.muted;

  /** Asks for permission (from a click) and unlocks audio. Resolves with the resulting permission. */
  async enable(): Promise<AlertPermission> {
    this.unlockAudio();
    this.setMuted(false);
    if (typeof Notification === 'undefined') return 'unsupported';
    if (Notification.permission === 'default') {
      try {
        await Notification.requestPermission();
      } catch {
        // Old Safari takes a callback instead; treat as "not decided".
      }
    }
    this.emit();
    return Notification.permission;
  }

  disable(): void {
    this.setMuted(true);
  }

  /**
   * Shows a notification and beeps, but only when the tab is hidden (a visible tab shows a toast
   * instead) and alerts are enabled. `tag` collapses repeated alerts about the same thing.
   */
  notify(options: { title: string; body?: string; tag?: string; onClick?: () => void }): void {
    if (typeof document !== 'undefined' && document.visibilityState !== 'hidden') return;
    if (!this.enabled()) return;
    this.beep();
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
    } catch {
      // Some platforms (Android Chrome) only allow notifications from a service worker.
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

  getSnapshot = (): string => `${this.permission()}:${this.muted}`;

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

  private setMuted(muted: boolean) {
    this.muted = muted;
    try {
      window.localStorage.setItem(STORAGE_KEY, muted ? 'muted' : 'on');
    } catch {
      // Not remembered; still applies to this tab.
    }
    this.emit();
  }

  private emit() {
    this.listeners.notify();
  }
}

function readMuted(): boolean {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'muted';
  } catch {
    return false;
  }
}

export const desktopAlerts = new DesktopAlerts();

export function useDesktopAlerts(): { permission: AlertPermission; enabled: boolean } {
  useSyncExternalStore(desktopAlerts.subscribe, desktopAlerts.getSnapshot);
  return { permission: desktopAlerts.permission(), enabled: desktopAlerts.enabled() };
}
