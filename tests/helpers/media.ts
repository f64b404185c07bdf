import { MediaServer } from '../../media/MediaServer';

/** Nothing from the media layer's own log: tests assert on what it does. */
const silentLogger = { info() {}, error() {} };

/**
 * A real mediasoup `MediaServer` on loopback with `workers` workers and the 100 RTC ports from
 * `firstPort`: each suite takes a range of its own, so suites running at once never share a port.
 */
export function loopbackMediaServer(workers: number, firstPort: number): Promise<MediaServer> {
  return MediaServer.create(
    {
      numWorkers: workers,
      logLevel: 'error',
      listenIps: [{ ip: '127.0.0.1' }],
      rtcMinPort: firstPort,
      rtcMaxPort: firstPort + 99,
    },
    silentLogger,
  );
}
