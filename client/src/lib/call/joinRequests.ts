// The requests that put this browser into a call's media room (`call:join`, `call:prepare`'s
// capabilities), with the router capabilities they need: cached between calls (mediaDevice.ts),
// asked for once, and loaded into the page's Device.

import type { Device } from 'mediasoup-client/types';
import type { CallJoinResult, Json } from '../../../../signaling/shared/protocol';
import type { CallConnection } from './CallConnection';
import { sameJson } from './issues';
import {
  cachedRouterCaps,
  cacheRouterCaps,
  getRouterCaps,
  loadDevice,
  loadedDevice,
  preloadCallDevice,
} from './mediaDevice';
import type { CallSignaling } from './types';

/** The page's Device for the router's capabilities; the unit tests pass a fake (Node has no WebRTC). */
export interface DeviceLoader {
  loaded(caps: Json): Device | null;
  load(caps: Json): Promise<Device>;
  /** Loads it while idle, so joining does not wait for it. */
  preload(storage: Storage | undefined, fetchCaps: () => Promise<{ routerRtpCapabilities: Json }>): void;
}

export const pageDevice: DeviceLoader = {
  loaded: loadedDevice,
  load: loadDevice,
  preload: preloadCallDevice,
};

export interface JoinRequestsDeps {
  callId: string;
  signaling: CallSignaling;
  storage: Storage | undefined;
  device: DeviceLoader;
  log: Pick<Console, 'warn'>;
}

export class JoinRequests {
  constructor(private readonly deps: JoinRequestsDeps) {}

  get device(): DeviceLoader {
    return this.deps.device;
  }

  cachedCaps(): Json | null {
    return cachedRouterCaps(this.deps.storage);
  }

  /** A new server build's capabilities, for the next join. */
  cacheCaps(caps: Json): void {
    cacheRouterCaps(this.deps.storage, caps);
  }

  preload(): void {
    this.deps.device.preload(this.deps.storage, () => this.deps.signaling.request('call:capabilities', {}));
  }

  /** The router's capabilities: cached, or asked for (and cached). */
  routerCaps(): Promise<Json> {
    return getRouterCaps(this.deps.storage, () => this.deps.signaling.request('call:capabilities', {}));
  }

  /**
   * `call:join` wants this browser's RTP capabilities, which the Device computes from the router's
   * capabilities. Those are the same for every call of a server build: cached (localStorage), or
   * asked for with `call:capabilities` the first time. The join also creates both transports. If
   * the server's capabilities changed since they were cached, the device is loaded again and the
   * join repeated.
   */
  async join(connection: CallConnection): Promise<CallJoinResult> {
    // With cached capabilities and the page's Device loaded (preloaded while idle, or `prepare`),
    // nothing is awaited before the request is sent.
    const cached = this.cachedCaps();
    const ready = cached ? this.deps.device.loaded(cached) : null;
    const caps = cached ?? (await this.routerCaps());
    connection.check();
    const result = ready ? await this.request(connection, ready) : await this.joinWith(connection, caps);
    if (result.call.status === 'ended' || sameJson(result.routerRtpCapabilities, caps)) return result;
    this.deps.log.warn('the router capabilities changed; joining again with the new ones');
    this.cacheCaps(result.routerRtpCapabilities);
    return this.joinWith(connection, result.routerRtpCapabilities);
  }

  private async joinWith(connection: CallConnection, routerCaps: Json): Promise<CallJoinResult> {
    const device = await this.deps.device.load(routerCaps);
    connection.check();
    return this.request(connection, device);
  }

  /** `call:join` with `device`'s capabilities; `prepared` asks to be admitted with what was prepared. */
  async request(connection: CallConnection, device: Device, prepared = false): Promise<CallJoinResult> {
    connection.device = device;
    const result = await this.deps.signaling.request('call:join', {
      callId: this.deps.callId,
      rtpCapabilities: device.recvRtpCapabilities as unknown as Json,
      transports: true,
      ...(prepared ? { prepared: true } : {}),
    });
    connection.check();
    return result;
  }
}
