// The mediasoup-client Device of this page, shared by every call made from it.
//
// A Device is loaded with the router's RTP capabilities, which are the same for every call of a
// server build: they are cached in localStorage after the first call (or asked for with
// `call:capabilities`). Loading probes the browser with two throw-away peer connections (one per
// direction), which takes a few hundred milliseconds on a busy machine — on the path of "Accept"
// and "Join call" if it were done there (bench:join). So the page loads it once, while the
// person is idle on the portal (`preloadCallDevice`), and every call engine of the page uses it.
// A Device holds no per-call state: each call creates its own transports from it.

import { Device } from 'mediasoup-client';
import type { RtpCapabilities } from 'mediasoup-client/types';
import type { Json } from '../../../../signaling/shared/protocol';

const ROUTER_CAPS_KEY = 'livedesk.call.routerRtpCapabilities';

interface Entry {
  /** The router capabilities it was loaded with, as JSON. */
  key: string;
  device: Promise<Device>;
  /** Set once loaded. */
  ready: Device | null;
}

let current: Entry | null = null;

/** A Device loaded with `routerCaps`: the page's one if it has those, else a new one (kept). */
export function loadDevice(routerCaps: Json): Promise<Device> {
  const key = JSON.stringify(routerCaps);
  if (current?.key === key) return current.device;
  const device = (async () => {
    const created = await Device.factory();
    await created.load({ routerRtpCapabilities: routerCaps as unknown as RtpCapabilities });
    return created;
  })();
  const entry: Entry = { key, device, ready: null };
  current = entry;
  device.then(
    (loaded) => {
      entry.ready = loaded;
    },
    // A failed load is not kept: the next attempt tries again.
    () => {
      if (current === entry) current = null;
    },
  );
  return device;
}

/** The page's Device for `routerCaps` if it has finished loading, else null (never waits). */
export function loadedDevice(routerCaps: Json): Device | null {
  return current && current.key === JSON.stringify(routerCaps) ? current.ready : null;
}

/** The router capabilities cached by an earlier call in this browser, or null. */
export function cachedRouterCaps(storage: Storage | undefined): Json | null {
  try {
    const raw = storage?.getItem(ROUTER_CAPS_KEY);
    const value = raw ? (JSON.parse(raw) as unknown) : null;
    return value && typeof value === 'object' && Array.isArray((value as { codecs?: unknown }).codecs)
      ? (value as Json)
      : null;
  } catch {
    return null;
  }
}

export function cacheRouterCaps(storage: Storage | undefined, caps: Json): void {
  try {
    storage?.setItem(ROUTER_CAPS_KEY, JSON.stringify(caps));
  } catch {
    // Not cached: the next call learns them again.
  }
}

/**
 * The router's capabilities: cached, or asked for with `call:capabilities` (and cached).
 * `ask` is the signaling request (the call engine's, or the page's live connection).
 */
export async function getRouterCaps(
  storage: Storage | undefined,
  ask: () => Promise<{ routerRtpCapabilities: Json }>,
): Promise<Json> {
  const cached = cachedRouterCaps(storage);
  if (cached) return cached;
  const { routerRtpCapabilities } = await ask();
  cacheRouterCaps(storage, routerRtpCapabilities);
  return routerRtpCapabilities;
}

/**
 * Loads the page's Device ahead of any call. Best effort and quiet: a call that finds no loaded
 * Device loads one itself. Not in browsers without WebRTC (nothing to load there).
 */
export function preloadCallDevice(
  storage: Storage | undefined,
  ask: () => Promise<{ routerRtpCapabilities: Json }>,
): void {
  if (typeof RTCPeerConnection === 'undefined') return;
  void getRouterCaps(storage, ask)
    .then((caps) => loadDevice(caps))
    .catch(() => {});
}
