import dgram from 'node:dgram';

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, host, () => socket.close(() => resolve(true)));
  });
}

/**
 * A free pair of UDP ports (even RTP port, RTCP on the next one) on `host` for an FFmpeg receiver.
 * The ports are free when checked; FFmpeg binds them moments later, so a collision is possible in
 * theory and shows as a failed track, never as a silent loss.
 */
export async function allocateRtpPortPair(
  host = '127.0.0.1',
  range: { min: number; max: number } = { min: 50000, max: 59998 },
): Promise<{ rtp: number; rtcp: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const span = Math.floor((range.max - range.min) / 2);
    const rtp = range.min + 2 * Math.floor(Math.random() * span);
    if ((await canBind(rtp, host)) && (await canBind(rtp + 1, host))) return { rtp, rtcp: rtp + 1 };
  }
  throw new Error('no free UDP port pair for recording');
}

/** True once something (FFmpeg) has bound the port. */
export async function isBound(port: number, host = '127.0.0.1'): Promise<boolean> {
  return !(await canBind(port, host));
}
