import type { types } from 'mediasoup';

/** A span of UDP/TCP ports, both ends included. */
export interface PortRange {
  min: number;
  max: number;
}

/** One address WebRTC media listens on, and the one browsers are told when it differs. */
export interface ListenAddress {
  ip: string;
  announcedIp?: string;
}

/**
 * mediasoup 3.2x takes ports per transport (`listenInfos[].portRange`) instead of per worker.
 * Livedesk keeps one range per worker (MediaServer splits RTC_MIN_PORT..RTC_MAX_PORT between its
 * workers, so two workers never race for a port) and records it on each router it creates, under
 * this key, so every transport of that router, WebRTC or plain, listens in its worker's range.
 */
const PORT_RANGE_KEY = 'livedeskPortRange';

export function routerAppData(appData: Record<string, unknown>, range: PortRange): types.AppData {
  return { ...appData, [PORT_RANGE_KEY]: { min: range.min, max: range.max } };
}

/** The port range of a router made by MediaServer. */
export function portRangeOf(router: types.Router): PortRange {
  const range = router.appData[PORT_RANGE_KEY] as PortRange | undefined;
  if (!range) throw new Error('this router was not created by MediaServer (it has no port range)');
  return range;
}

/**
 * Browsers' transports: every address as a UDP and a TCP candidate (UDP preferred by the options
 * that use these; TCP for networks that block UDP), each in the worker's port range.
 */
export function webRtcListenInfos(addresses: ListenAddress[], range: PortRange): types.TransportListenInfo[] {
  return addresses.flatMap(({ ip, announcedIp }) =>
    (['udp', 'tcp'] as const).map((protocol) => ({
      protocol,
      ip,
      ...(announcedIp ? { announcedAddress: announcedIp } : {}),
      portRange: { ...range },
    })),
  );
}

/** A PlainTransport that only talks to this machine (recording's FFmpeg, tests' RTP sources). */
export function loopbackListenInfo(router: types.Router): types.TransportListenInfo {
  return { protocol: 'udp', ip: '127.0.0.1', portRange: { ...portRangeOf(router) } };
}
