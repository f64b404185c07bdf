// RTP packets captured once and replayed many times (bench:capacity's load generator), and the
// receivers' loss accounting. Pure functions on Buffers, no sockets: tests/unit/capacityMath.test.ts.

/** One captured RTP packet and when it is due, relative to the start of the clip. */
export interface ClipPacket {
  packet: Buffer;
  offsetMs: number;
  /** Its RTP timestamp's distance from the clip's first, in the stream's clock. */
  ticks: number;
}

/** A stream of the clip: its packets in sequence order, and how much RTP time one loop covers. */
export interface ClipStream {
  packets: ClipPacket[];
  clockRate: number;
  /** The clip's length in the stream's RTP clock: the timestamp step from one loop to the next. */
  loopTicks: number;
  loopMs: number;
}

/**
 * RTCP or RTP on a muxed port (RFC 5761 §4): RTCP packet types 192–223 read as RTP payload types
 * 64–95 once the marker bit is masked off; no dynamic RTP payload type is given those.
 */
export function isRtcp(packet: Buffer): boolean {
  if (packet.length < 2) return false;
  const pt = packet[1]! & 0x7f;
  return pt >= 64 && pt <= 95;
}

/** The fields of an RTP header the generator and receivers use; null when it is not RTP v2. */
export function rtpHeader(packet: Buffer): { seq: number; timestamp: number; ssrc: number } | null {
  if (packet.length < 12 || packet[0]! >> 6 !== 2) return null;
  return { seq: packet.readUInt16BE(2), timestamp: packet.readUInt32BE(4), ssrc: packet.readUInt32BE(8) };
}

/**
 * A copy of `packet` with another SSRC, payload type, sequence number and timestamp (the marker
 * bit, the header extensions and the payload kept): one captured stream becomes many distinct
 * streams, each numbered continuously across loops.
 */
export function rewriteRtp(
  packet: Buffer,
  fields: { ssrc: number; payloadType: number; seq: number; timestamp: number },
): Buffer {
  const out = Buffer.from(packet);
  out[1] = (out[1]! & 0x80) | (fields.payloadType & 0x7f);
  out.writeUInt16BE(fields.seq & 0xffff, 2);
  out.writeUInt32BE(fields.timestamp >>> 0, 4);
  out.writeUInt32BE(fields.ssrc >>> 0, 8);
  return out;
}

/**
 * A stream from its packets as captured (any arrival order): sorted by sequence number (extended
 * over wrap-around), each due at its RTP timestamp's distance from the first packet's. Throws when
 * the capture has gaps: a replayed gap would read as loss at every receiver.
 */
export function clipStream(captured: readonly Buffer[], clockRate: number, clipSeconds: number): ClipStream {
  if (captured.length === 0) throw new Error('no packet captured for this stream');
  const first = rtpHeader(captured[0]!);
  if (!first) throw new Error('the capture holds a packet that is not RTP');
  const rows = captured.map((packet) => {
    const h = rtpHeader(packet);
    if (!h) throw new Error('the capture holds a packet that is not RTP');
    // Both relative to the first packet, as signed 16/32-bit distances (wrap-around safe for a clip
    // far shorter than 2^15 packets or 2^31 ticks).
    const seq = ((h.seq - first.seq + 0x8000) & 0xffff) - 0x8000;
    const ticks = (h.timestamp - first.timestamp) | 0;
    return { packet, seq, ticks };
  });
  rows.sort((a, b) => a.seq - b.seq);
  const seqBase = rows[0]!.seq;
  const missing = rows.at(-1)!.seq - seqBase + 1 - rows.length;
  if (missing !== 0)
    throw new Error(`the capture lost ${missing} of ${rows.at(-1)!.seq - seqBase + 1} packets`);
  const tickBase = Math.min(...rows.map((r) => r.ticks));
  return {
    packets: rows.map((r) => ({
      packet: r.packet,
      offsetMs: ((r.ticks - tickBase) / clockRate) * 1000,
      ticks: r.ticks - tickBase,
    })),
    clockRate,
    loopTicks: Math.round(clipSeconds * clockRate),
    loopMs: clipSeconds * 1000,
  };
}

/**
 * Sequence-number bookkeeping of one received RTP stream, as an RTCP receiver report keeps it
 * (RFC 3550 A.1/A.3): the highest sequence number extended over wrap-arounds, so `expected` is the
 * number of packets the sender numbered from the first one seen to the highest, and `expected -
 * received` the ones that never arrived. A late (reordered) packet counts as received.
 */
export class RtpLossCounter {
  received = 0;
  private base = -1;
  private cycles = 0;
  private max = 0;

  add(seq: number): void {
    this.received++;
    if (this.base < 0) {
      this.base = seq;
      this.max = seq;
      return;
    }
    const forward = (seq - this.max) & 0xffff;
    if (forward === 0 || forward >= 0x8000) return; // a duplicate or a late packet
    if (seq < this.max) this.cycles += 0x10000;
    this.max = seq;
  }

  get expected(): number {
    return this.base < 0 ? 0 : this.cycles + this.max - this.base + 1;
  }
}
