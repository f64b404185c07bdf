import { useSyncExternalStore } from 'react';
import { Listeners } from './store';

export interface Toast {
  id: number;
  title: string;
  message?: string;
  color: 'red' | 'orange' | 'teal' | 'blue';
  /** Where a click on the toast leads, if anywhere. */
  href?: string;
}

const AUTO_CLOSE_MS = 8_000;
const MAX_TOASTS = 4;

/** A tiny toast queue (no extra dependency): newest last, each closes itself after a while. */
class ToastStore {
  private toasts: Toast[] = [];
  private nextId = 1;
  private readonly listeners = new Listeners();

  show(toast: Omit<Toast, 'id'>): number {
    const id = this.nextId++;
    this.toasts = [...this.toasts, { ...toast, id }].slice(-MAX_TOASTS);
    this.emit();
    setTimeout(() => this.dismiss(id), AUTO_CLOSE_MS);
    return id;
  }

  dismiss(id: number): void {
    if (!this.toasts.some((t) => t.id === id)) return;
    this.toasts = this.toasts.filter((t) => t.id !== id);
    this.emit();
  }

  getSnapshot = (): Toast[] => this.toasts;

  readonly subscribe = this.listeners.subscribe;

  private emit() {
    this.listeners.notify();
  }
}

export const toasts = new ToastStore();

export function useToasts(): Toast[] {
  return useSyncExternalStore(toasts.subscribe, toasts.getSnapshot);
}
