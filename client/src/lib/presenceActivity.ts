// Tells the server that the person is using this tab (key, pointer, wheel, touch, focus), so they
// stay `online` and come back from idle `away` at once. The server decides idleness on its own
// clock (PRESENCE_IDLE_SECONDS); the tab only reports activity, at most once per interval.
import type { RealtimeConnection } from './socket';

const MIN_INTERVAL_MS = 2_000;
const EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focus'] as const;

/** Starts reporting this tab's activity over `connection`; returns `stop`. */
export function reportActivity(
  connection: Pick<RealtimeConnection, 'emitVolatile'>,
  target: Window = window,
  now: () => number = Date.now,
): () => void {
  let last = Number.NEGATIVE_INFINITY;
  const seen = () => {
    if (target.document.visibilityState !== 'visible') return;
    const at = now();
    // Leading edge: the first sign of life after a quiet spell is sent at once.
    if (at - last < MIN_INTERVAL_MS) return;
    last = at;
    connection.emitVolatile('presence:activity', {});
  };
  for (const type of EVENTS) target.addEventListener(type, seen, { passive: true });
  target.document.addEventListener('visibilitychange', seen);
  return () => {
    for (const type of EVENTS) target.removeEventListener(type, seen);
    target.document.removeEventListener('visibilitychange', seen);
  };
}
