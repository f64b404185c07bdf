import { describe, expect, it } from 'vitest';
import { ListWatch } from '../../../client/src/lib/listWatch';
import type { ConnectionStatus } from '../../../client/src/lib/requests';

/** A live connection whose status the test sets; it records the requests sent while connected. */
function fakeRealtime(initial: ConnectionStatus = 'connected') {
  let status = initial;
  const listeners = new Set<() => void>();
  const sent: Array<[string, unknown]> = [];
  let fail = false;
  return {
    sent,
    set(next: ConnectionStatus) {
      status = next;
      for (const l of [...listeners]) l();
    },
    failNext() {
      fail = true;
    },
    listeners: () => listeners.size,
    realtime: {
      getStatus: () => status,
      subscribe(listener: () => void) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
      request(event: string, payload: unknown) {
        sent.push([event, payload]);
        if (fail) {
          fail = false;
          return Promise.reject(new Error('network'));
        }
        return Promise.resolve(null);
      },
    } as unknown as ConstructorParameters<typeof ListWatch>[0],
  };
}

const on = ['tickets:watch', { watch: true }];
const off = ['tickets:watch', { watch: false }];

describe('ListWatch', () => {
  it('watches once for several lists, and stops when the last one goes', () => {
    const fake = fakeRealtime();
    const watch = new ListWatch(fake.realtime);
    const first = watch.hold();
    const second = watch.hold();
    expect(fake.sent).toEqual([on]);
    first();
    first();
    expect(fake.sent).toEqual([on]);
    second();
    expect(fake.sent).toEqual([on, off]);
    expect(fake.listeners()).toBe(0);
  });

  it('waits for the connection, and watches again on every new one', () => {
    const fake = fakeRealtime('connecting');
    const watch = new ListWatch(fake.realtime);
    const release = watch.hold();
    expect(fake.sent).toEqual([]);
    fake.set('connected');
    expect(fake.sent).toEqual([on]);
    // A new socket is in no room: the watch is told again after the reconnect.
    fake.set('offline');
    fake.set('connected');
    expect(fake.sent).toEqual([on, on]);
    // Released while offline: nothing to tell the server (its socket is gone with its rooms).
    fake.set('offline');
    release();
    fake.set('connected');
    expect(fake.sent).toEqual([on, on]);
  });

  it('asks again after a refused request', async () => {
    const fake = fakeRealtime();
    fake.failNext();
    const watch = new ListWatch(fake.realtime);
    watch.hold();
    await Promise.resolve();
    await Promise.resolve();
    // Still connected: the next word from the connection sends it again.
    fake.set('connected');
    expect(fake.sent).toEqual([on, on]);
    fake.set('connected');
    expect(fake.sent).toEqual([on, on]);
  });
});
