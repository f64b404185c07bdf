// Connection quality for one connection attempt: read every 2 s, shown as the quality indicator
// and reported to the server for the call's statistics summary. Stops when the attempt closes.

import type { CallStatsReport, MediaSourceName } from '../../../../signaling/shared/protocol';
import { codeOf } from '../requests';
import type { CallConnection } from './CallConnection';
import { sameJson } from './issues';
import { type CallQuality, qualityOf, type StatsSample, summarizeStats } from './stats';
import type { CallPhase, CallSignaling } from './types';

/** A statistics reading and report every 2 s. */
const STATS_INTERVAL_MS = 2_000;

export interface StatsReporterDeps {
  callId: string;
  signaling: CallSignaling;
  log: Pick<Console, 'warn'>;
  /** The quality shown now; a reading that matches it is not published again. */
  quality(): CallQuality;
  setQuality(quality: CallQuality): void;
}

/**
 * Nothing depends on the first reading arriving early: the server decides that the call is
 * connected from what its media server sees, so the page does not spend `getStats` readings on
 * it while the picture is starting.
 */
export function startStatsReporter(connection: CallConnection, deps: StatsReporterDeps): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSample: StatsSample | null = null;
  connection.onClose(() => clearTimeout(timer));
  const tick = async () => {
    if (connection.closed) return;
    try {
      const { send, recv } = await readStats(connection);
      const { report, sample } = summarizeStats({
        send,
        recv,
        sources: connection.trackSources(),
        previous: lastSample,
        now: performance.now(),
      });
      lastSample = sample;
      // Unchanged figures (nothing flowing yet, mostly) do not re-render the call view.
      const quality = qualityOf(report);
      if (!sameJson(quality, deps.quality())) deps.setQuality(quality);
      try {
        await deps.signaling.request('call:stats', { callId: deps.callId, stats: report });
      } catch (err) {
        // Between a drop and the rejoin the server has no peer for us; the next report goes through.
        if (codeOf(err) !== 'conflict') deps.log.warn('could not send statistics', err);
      }
    } catch (err) {
      deps.log.warn('statistics failed', err);
    }
    if (connection.closed) return;
    timer = setTimeout(tick, STATS_INTERVAL_MS);
  };
  timer = setTimeout(tick, STATS_INTERVAL_MS);
}

async function readStats(
  connection: CallConnection | null,
): Promise<{ send: RTCStatsReport | null; recv: RTCStatsReport | null }> {
  const { send, recv } = connection?.transports() ?? { send: null, recv: null };
  const [sendStats, recvStats] = await Promise.all([
    send ? send.getStats().catch(() => null) : null,
    recv ? recv.getStats().catch(() => null) : null,
  ]);
  return { send: sendStats, recv: recvStats };
}

export interface DebugStats {
  phase: CallPhase;
  inbound: Array<{
    kind: string;
    source: MediaSourceName | null;
    peerId: string | null;
    packetsReceived: number;
    bytesReceived: number;
    framesDecoded: number;
    frameWidth: number;
    frameHeight: number;
  }>;
  report: CallStatsReport;
}

/** Per inbound track counters, for the end-to-end tests and for bug reports. */
export async function debugStats(connection: CallConnection | null, phase: CallPhase): Promise<DebugStats> {
  const { send, recv } = await readStats(connection);
  const sources = connection?.trackSources() ?? new Map();
  const inbound: DebugStats['inbound'] = [];
  recv?.forEach((s: Record<string, unknown>) => {
    if (s.type !== 'inbound-rtp') return;
    const owner = sources.get(String(s.trackIdentifier ?? ''));
    inbound.push({
      kind: String(s.kind ?? s.mediaType ?? ''),
      source: owner?.source ?? null,
      peerId: owner?.peerId ?? null,
      packetsReceived: Number(s.packetsReceived ?? 0),
      bytesReceived: Number(s.bytesReceived ?? 0),
      framesDecoded: Number(s.framesDecoded ?? 0),
      frameWidth: Number(s.frameWidth ?? 0),
      frameHeight: Number(s.frameHeight ?? 0),
    });
  });
  const { report } = summarizeStats({ send, recv, sources, previous: null, now: performance.now() });
  return { phase, inbound, report };
}
