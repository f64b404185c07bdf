// bench/capacityMath.ts and bench/rtpReplay.ts: bench:capacity's loss accounting, the RTP rewriting
// its load generator replays with, and the capacity it derives from the measured levels.
import { describe, expect, it } from 'vitest';
import { againstGuidance, callsPerWorkerCore, lossBetween } from '../../bench/capacityMath';
import { clipStream, isRtcp, RtpLossCounter, rewriteRtp, rtpHeader } from '../../bench/rtpReplay';

function rtp(seq: number, timestamp: number, ssrc = 1001, payloadType = 96, marker = false): Buffer {
  const b = Buffer.alloc(20, 0xab);
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | payloadType;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(timestamp, 4);
  b.writeUInt32BE(ssrc, 8);
  return b;
}

describe('RTP loss counter (sequence numbers, as an RTCP receiver report counts)', () => {
  it('counts the packets that never arrived, across a sequence wrap-around', () => {
    const c = new RtpLossCounter();
    for (const seq of [65533, 65534, 65535, 0, 2, 3]) c.add(seq); // 1 is lost
    expect(c.expected).toBe(7);
    expect(c.received).toBe(6);
  });

  it('counts a late packet as received and does not move the highest sequence back', () => {
    const c = new RtpLossCounter();
    for (const seq of [10, 12, 11, 13]) c.add(seq);
    expect(c.expected).toBe(4);
    expect(c.received).toBe(4);
  });

  it('expects nothing before the first packet', () => {
    expect(new RtpLossCounter().expected).toBe(0);
  });
});

describe('loss between two readings', () => {
  it('sums the receivers and names the worst one', () => {
    const before = new Map([
      [1, { received: 100, expected: 100 }],
      [2, { received: 50, expected: 50 }],
    ]);
    const after = new Map([
      [1, { received: 200, expected: 200 }],
      [2, { received: 140, expected: 150 }],
      [3, { received: 50, expected: 50 }], // a receiver that started in between counts from zero
    ]);
    const loss = lossBetween(before, after);
    expect(loss.expected).toBe(250);
    expect(loss.lost).toBe(10);
    expect(loss.lossPercent).toBeCloseTo(4);
    expect(loss.worstPercent).toBeCloseTo(10);
  });

  it('is NaN, not 0 %, when no media flowed', () => {
    const same = new Map([[1, { received: 5, expected: 5 }]]);
    expect(lossBetween(same, same).lossPercent).toBeNaN();
  });
});

describe('calls per worker core at < 1 % loss', () => {
  it('takes the largest level under the loss limit, its calls over its worker CPU', () => {
    const result = callsPerWorkerCore([
      { calls: 1, workerCpuPercent: 4, lossPercent: 0 },
      { calls: 10, workerCpuPercent: 25, lossPercent: 0.2 },
      { calls: 20, workerCpuPercent: 60, lossPercent: 3 },
    ]);
    expect(result.basedOn).toBe(10);
    expect(result.calls).toBeCloseTo(40);
    expect(result.lossLimitReachedAt).toBe(20);
  });

  it('is NaN when every level lost too much or nothing was measured', () => {
    const result = callsPerWorkerCore([
      { calls: 1, workerCpuPercent: 4, lossPercent: 5 },
      { calls: 2, workerCpuPercent: 8, lossPercent: Number.NaN },
    ]);
    expect(result.calls).toBeNaN();
    expect(result.basedOn).toBeNull();
  });

  it('sets a call of 5 consumers against mediasoup’s ~500 per worker', () => {
    const g = againstGuidance(5, 40);
    expect(g.callsAtGuidance).toBe(100);
    expect(g.consumersAtMeasured).toBe(200);
    expect(g.measuredShareOfGuidance).toBeCloseTo(0.4);
  });
});

describe('replaying captured RTP', () => {
  it('tells RTCP from RTP on a muxed port', () => {
    expect(isRtcp(rtp(1, 1, 1, 101, true))).toBe(false);
    const sr = Buffer.from([0x80, 200, 0, 6]);
    expect(isRtcp(sr)).toBe(true);
  });

  it('rewrites SSRC, payload type, sequence and timestamp, keeping the marker and payload', () => {
    const original = rtp(7, 1000, 1001, 96, true);
    const out = rewriteRtp(original, { ssrc: 0x10005, payloadType: 101, seq: 70000, timestamp: 2 ** 32 + 5 });
    expect(rtpHeader(out)).toEqual({ seq: 70000 & 0xffff, timestamp: 5, ssrc: 0x10005 });
    expect(out[1]).toBe(0x80 | 101);
    expect(out.subarray(12)).toEqual(original.subarray(12));
    expect(rtpHeader(original)?.ssrc).toBe(1001); // a copy
  });

  it('orders a capture by sequence and times each packet by its RTP timestamp', () => {
    const stream = clipStream([rtp(65535, 2 ** 32 - 3000), rtp(1, 3000), rtp(0, 0)], 90000, 1);
    expect(stream.packets.map((p) => rtpHeader(p.packet)?.seq)).toEqual([65535, 0, 1]);
    expect(stream.packets.map((p) => p.offsetMs)).toEqual([0, (3000 / 90000) * 1000, (6000 / 90000) * 1000]);
    expect(stream.loopTicks).toBe(90000);
  });

  it('refuses a capture with a gap, which would read as loss at every receiver', () => {
    expect(() => clipStream([rtp(0, 0), rtp(2, 6000)], 90000, 1)).toThrow(/lost 1 of 3/);
  });
});
