// The listener half of an external store, as React's `useSyncExternalStore` reads it, written once
// for the client's framework-free classes (session, socket, call, board, conversation, toasts, …).

/** The listeners of one store: `subscribe` hands out an unsubscribe, `notify` calls each once. */
export class Listeners {
  private readonly set = new Set<() => void>();

  /** Bound, so it can be passed as it is (`useSyncExternalStore(x.subscribe, …)`). */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.set.add(listener);
    return () => {
      this.set.delete(listener);
    };
  };

  notify(): void {
    // A copy: a listener may unsubscribe (or subscribe another) while being called.
    for (const listener of [...this.set]) listener();
  }

  clear(): void {
    this.set.clear();
  }
}

/**
 * An immutable snapshot and its listeners. Every change makes a new snapshot object, so the one
 * React holds stays stable between changes, as `useSyncExternalStore` requires.
 */
export class Store<T extends object> {
  private readonly listeners = new Listeners();
  readonly subscribe = this.listeners.subscribe;

  constructor(private state: T) {}

  readonly getSnapshot = (): T => this.state;

  set(next: T): void {
    this.state = next;
    this.listeners.notify();
  }

  update(patch: Partial<T>): void {
    this.set({ ...this.state, ...patch });
  }

  clear(): void {
    this.listeners.clear();
  }
}
