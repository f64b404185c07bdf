// bench:capacity's synthetic one-to-one calls: a real call between an agent and a customer (their
// sockets, the call service, the media room), whose tracks come from the load process as RTP into
// PlainTransport producers and leave through PlainTransport consumers to its receivers, each side
// receiving the other's tracks as the browsers would.
import type { Peer } from '../media/Peer';
import type { RecordingNotice } from '../signaling/shared/protocol';
import { ok } from '../tests/helpers/callClient';
import { plainConsumer, plainProducer } from '../tests/helpers/rtpSource';
import type { TestApp } from '../tests/helpers/testApp';
import { joinCall, type Pair } from './callSetup';
import type { Load, SourceSpec, StreamName } from './capacityIpc';

/** The tracks of a call: both sides' camera and microphone, and the customer's screen. */
export const CALL_TRACKS: ReadonlyArray<{ side: 'agent' | 'customer'; stream: StreamName }> = [
  { side: 'agent', stream: 'camera' },
  { side: 'agent', stream: 'mic' },
  { side: 'customer', stream: 'camera' },
  { side: 'customer', stream: 'mic' },
  { side: 'customer', stream: 'screen' },
];

export interface SyntheticCall {
  pair: Pair;
  callId: string;
  /** The load process's ports of this call's sources (producers) and receivers (consumers). */
  ports: number[];
  receivers: number;
  recordingId?: string;
  recorderPids: number[];
}

export async function startSyntheticCall(t: TestApp, load: Load, pair: Pair): Promise<SyntheticCall> {
  const { callId, room, agentPeer, customerPeer } = await joinCall(t, pair);
  const peers: Record<'agent' | 'customer', Peer> = { agent: agentPeer, customer: customerPeer };
  const sources: SourceSpec[] = [];
  const produced: Array<{ receiver: Peer; producerId: string }> = [];
  for (const [i, track] of CALL_TRACKS.entries()) {
    // Distinct across calls and tracks (what a browser's random SSRCs are in practice).
    const ssrc = 0x10000 + pair.index * 16 + i;
    const { producer, port, payloadType } = await plainProducer(room.router, {
      kind: track.stream === 'mic' ? 'audio' : 'video',
      ssrc,
      appData: { source: track.stream },
    });
    room.attachProducer(peers[track.side], producer);
    sources.push({ port, ssrc, payloadType, stream: track.stream });
    produced.push({
      receiver: peers[track.side === 'agent' ? 'customer' : 'agent'],
      producerId: producer.id,
    });
  }
  const receiverPorts = await load.receivers(produced.length);
  const watch: Array<{ port: number; ssrc: number }> = [];
  for (const [i, { receiver, producerId }] of produced.entries()) {
    const port = receiverPorts[i]!;
    const { consumer } = await plainConsumer(room, receiver, producerId, port);
    const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
    if (ssrc === undefined) throw new Error('a consumer without an SSRC');
    watch.push({ port, ssrc });
  }
  await load.watch(watch);
  await load.sources(sources);
  return {
    pair,
    callId,
    ports: [...sources.map((s) => s.port), ...receiverPorts],
    receivers: produced.length,
    recorderPids: [],
  };
}

/** The agent starts recording, as in the app (the project's recorder, one per track). */
export async function startRecording(t: TestApp, call: SyntheticCall): Promise<void> {
  const notice = ok(
    await call.pair.agentSocket.emitWithAck('recording:start', { callId: call.callId }),
  ) as RecordingNotice;
  call.recordingId = notice.recordingId;
  call.recorderPids = t.app.recordings.recorderPids(call.callId);
}

/** The agent hangs up (recorders stop, tracks are remuxed); the load process stops its side. */
export async function endSyntheticCall(load: Load, call: SyntheticCall): Promise<number> {
  const start = performance.now();
  ok(await call.pair.agentSocket.emitWithAck('call:hangup', { callId: call.callId }));
  const ms = performance.now() - start;
  await load.stop(call.ports);
  return ms;
}
