// Turns the RTCPeerConnection statistics of the two transports into the periodic report the server
// keeps (`CallStatsReport`) and into a quality level for the indicator. Pure functions.

import type { CallStatsReport, MediaSourceName } from '../../../../signaling/shared/protocol';

export type QualityLevel = 'good' | 'fair' | 'poor' | 'unknown';

/** The figures of the last report the UI shows, and how they rate. */
export interface CallQuality
  extends Pick<
    CallStatsReport,
    'rttMs' | 'packetLoss' | 'inboundKbps' | 'outboundKbps' | 'frameWidth' | 'frameHeight'
  > {
  level: QualityLevel;
}

/** Cumulative counters from one reading, to compute rates and loss at the next one. */
export interface StatsSample {
  at: number;
  bytesReceived: number;
  bytesSent: number;
  packetsReceived: number;
  packetsLost: number;
}

type Entry = Record<string, unknown>;

function entries(report: RTCStatsReport | null): Entry[] {
  const list: Entry[] = [];
  report?.forEach((value: Entry) => {
    list.push(value);
  });
  return list;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The round trip of the candidate pair in use, in seconds; undefined before ICE has one. */
function selectedRtt(list: Entry[]): number | undefined {
  const byId = new Map(list.map((e) => [String(e.id), e]));
  for (const e of list) {
    if (e.type !== 'transport' || typeof e.selectedCandidatePairId !== 'string') continue;
    const pair = byId.get(e.selectedCandidatePairId);
    if (pair && typeof pair.currentRoundTripTime === 'number') return pair.currentRoundTripTime;
  }
  for (const e of list) {
    if (
      e.type === 'candidate-pair' &&
      e.state === 'succeeded' &&
      e.nominated === true &&
      typeof e.currentRoundTripTime === 'number'
    ) {
      return e.currentRoundTripTime;
    }
  }
  return undefined;
}

export function summarizeStats(input: {
  send: RTCStatsReport | null;
  recv: RTCStatsReport | null;
  /** Receiver track id → the remote source it carries. */
  sources: Map<string, { source: MediaSourceName; peerId: string }>;
  previous: StatsSample | null;
  /** performance.now() of this reading. */
  now: number;
}): { report: CallStatsReport; sample: StatsSample } {
  const send = entries(input.send);
  const recv = entries(input.recv);

  let bytesReceived = 0;
  let packetsReceived = 0;
  let packetsLost = 0;
  let mainVideo: Entry | undefined;
  let mainRank = -1;
  for (const e of recv) {
    if (e.type !== 'inbound-rtp') continue;
    bytesReceived += num(e.bytesReceived);
    packetsReceived += num(e.packetsReceived);
    packetsLost += Math.max(0, num(e.packetsLost));
    if ((e.kind ?? e.mediaType) !== 'video') continue;
    // The main picture: a shared screen if there is one, else a camera that is decoding.
    const source = input.sources.get(String(e.trackIdentifier ?? ''))?.source;
    const rank = (source === 'screen' ? 2 : 1) + (num(e.framesDecoded) > 0 ? 0.5 : 0);
    if (rank > mainRank) {
      mainRank = rank;
      mainVideo = e;
    }
  }
  let bytesSent = 0;
  for (const e of send) if (e.type === 'outbound-rtp') bytesSent += num(e.bytesSent);

  const rtts = [selectedRtt(send), selectedRtt(recv)].filter((v): v is number => v !== undefined);
  const sample: StatsSample = { at: input.now, bytesReceived, bytesSent, packetsReceived, packetsLost };

  const report: CallStatsReport = { bytesReceived };
  if (rtts.length > 0) report.rttMs = Math.round(Math.min(...rtts) * 1000);
  const prev = input.previous;
  if (prev && input.now > prev.at) {
    const seconds = (input.now - prev.at) / 1000;
    const received = Math.max(0, packetsReceived - prev.packetsReceived);
    const lost = Math.max(0, packetsLost - prev.packetsLost);
    if (received + lost > 0) report.packetLoss = Math.min(1, lost / (received + lost));
    report.inboundKbps = Math.round((Math.max(0, bytesReceived - prev.bytesReceived) * 8) / 1000 / seconds);
    report.outboundKbps = Math.round((Math.max(0, bytesSent - prev.bytesSent) * 8) / 1000 / seconds);
  }
  if (mainVideo) {
    if (num(mainVideo.frameWidth) > 0) report.frameWidth = num(mainVideo.frameWidth);
    if (num(mainVideo.frameHeight) > 0) report.frameHeight = num(mainVideo.frameHeight);
    report.framesDecoded = num(mainVideo.framesDecoded);
  }
  return { report, sample };
}

/** Good / fair / poor from round trip and loss (what people notice first: delay and breaking up). */
export function qualityOf(report: CallStatsReport): CallQuality {
  const { rttMs, packetLoss } = report;
  let level: QualityLevel = 'unknown';
  if (rttMs !== undefined || packetLoss !== undefined) {
    const rtt = rttMs ?? 0;
    const loss = packetLoss ?? 0;
    level = rtt > 400 || loss > 0.08 ? 'poor' : rtt > 200 || loss > 0.02 ? 'fair' : 'good';
  }
  const quality: CallQuality = { level };
  if (rttMs !== undefined) quality.rttMs = rttMs;
  if (packetLoss !== undefined) quality.packetLoss = packetLoss;
  if (report.inboundKbps !== undefined) quality.inboundKbps = report.inboundKbps;
  if (report.outboundKbps !== undefined) quality.outboundKbps = report.outboundKbps;
  if (report.frameWidth !== undefined) quality.frameWidth = report.frameWidth;
  if (report.frameHeight !== undefined) quality.frameHeight = report.frameHeight;
  return quality;
}
