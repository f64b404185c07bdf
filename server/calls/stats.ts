import type { CallStatsReport } from '../../signaling/shared/protocol';

interface Accumulator {
  reports: number;
  rttSum: number;
  rttCount: number;
  rttMax: number;
  lossSum: number;
  lossCount: number;
  inKbpsSum: number;
  inKbpsCount: number;
  outKbpsSum: number;
  outKbpsCount: number;
  lastWidth: number | null;
  lastHeight: number | null;
  maxFramesDecoded: number;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Folds each side's periodic getStats reports into a summary per participant (mean and worst
 * RTT, mean loss, mean bitrates, last resolution), kept in memory while the call runs.
 */
export class StatsAggregator {
  private readonly calls = new Map<string, Map<string, Accumulator>>();

  add(callId: string, userId: string, r: CallStatsReport): void {
    let perUser = this.calls.get(callId);
    if (!perUser) {
      perUser = new Map();
      this.calls.set(callId, perUser);
    }
    const a = perUser.get(userId) ?? {
      reports: 0,
      rttSum: 0,
      rttCount: 0,
      rttMax: 0,
      lossSum: 0,
      lossCount: 0,
      inKbpsSum: 0,
      inKbpsCount: 0,
      outKbpsSum: 0,
      outKbpsCount: 0,
      lastWidth: null,
      lastHeight: null,
      maxFramesDecoded: 0,
    };
    perUser.set(userId, a);
    a.reports++;
    if (r.rttMs !== undefined) {
      a.rttSum += r.rttMs;
      a.rttCount++;
      a.rttMax = Math.max(a.rttMax, r.rttMs);
    }
    if (r.packetLoss !== undefined) {
      a.lossSum += r.packetLoss;
      a.lossCount++;
    }
    if (r.inboundKbps !== undefined) {
      a.inKbpsSum += r.inboundKbps;
      a.inKbpsCount++;
    }
    if (r.outboundKbps !== undefined) {
      a.outKbpsSum += r.outboundKbps;
      a.outKbpsCount++;
    }
    if (r.frameWidth && r.frameHeight) {
      a.lastWidth = r.frameWidth;
      a.lastHeight = r.frameHeight;
    }
    if (r.framesDecoded) a.maxFramesDecoded = Math.max(a.maxFramesDecoded, r.framesDecoded);
  }

  /** Null when nobody reported anything. */
  summary(callId: string): Record<string, unknown> | null {
    const perUser = this.calls.get(callId);
    if (!perUser || perUser.size === 0) return null;
    const participants: Record<string, unknown> = {};
    for (const [userId, a] of perUser) {
      participants[userId] = {
        reports: a.reports,
        rttMsMean: a.rttCount ? round(a.rttSum / a.rttCount) : null,
        rttMsMax: a.rttCount ? round(a.rttMax) : null,
        packetLossMean: a.lossCount ? round(a.lossSum / a.lossCount, 4) : null,
        inboundKbpsMean: a.inKbpsCount ? round(a.inKbpsSum / a.inKbpsCount) : null,
        outboundKbpsMean: a.outKbpsCount ? round(a.outKbpsSum / a.outKbpsCount) : null,
        resolution: a.lastWidth && a.lastHeight ? `${a.lastWidth}x${a.lastHeight}` : null,
        framesDecoded: a.maxFramesDecoded,
      };
    }
    return { participants };
  }

  forget(callId: string): void {
    this.calls.delete(callId);
  }
}
