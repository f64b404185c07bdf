import dgram from 'node:dgram';
import fs from 'node:fs';

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

/** True once something has bound the port. */
export async function isBound(port: number, host = '127.0.0.1'): Promise<boolean> {
  return !(await canBind(port, host));
}

/** Socket inodes of the IPv4 UDP sockets bound to `port`, from the kernel's table (Linux). */
function udpSocketInodes(port: number): Set<string> | null {
  let table: string;
  try {
    table = fs.readFileSync('/proc/net/udp', 'utf8');
  } catch {
    return null;
  }
  const inodes = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const local = cols[1];
    if (!local || Number.parseInt(local.split(':')[1] ?? '', 16) !== port) continue;
    if (cols[9]) inodes.add(cols[9]);
  }
  return inodes;
}

/**
 * True once the process `pid` itself holds UDP `port`. "Something holds it" is not enough: another
 * process may take a port between our check that it is free and FFmpeg's bind, and media sent
 * then would go to that process. Where /proc is not available, falls back to `isBound`.
 */
export async function processHoldsUdpPort(pid: number, port: number): Promise<boolean> {
  const inodes = udpSocketInodes(port);
  if (inodes === null) return isBound(port);
  if (inodes.size === 0) return false;
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false; // the process is gone
  }
  for (const fd of fds) {
    try {
      const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return true;
    } catch {
      // the descriptor closed while we looked
    }
  }
  return false;
}
