// Which picture is big and which are small. Pure, so the rules are easy to read and test:
// a shared screen (anyone's) is the main view, with cameras small; otherwise the other side's
// camera is the main view and your own camera is the small self-view.
import type { CallParticipantView, CallView } from '../../../signaling/shared/protocol';
import type { CallSnapshot } from '../lib/call/CallEngine';

export interface Tile {
  key: string;
  local: boolean;
  peerId: string;
  name: string;
  source: 'camera' | 'screen';
  /** Null when there is nothing to show (camera off, not sending, not joined). */
  track: MediaStreamTrack | null;
  /** The person's microphone is muted or not sending. */
  micOff: boolean;
  present: boolean;
}

export interface StageLayout {
  main: Tile | null;
  thumbs: Tile[];
  /** The person this user is talking to (the customer for staff, the agent for the customer). */
  counterpart: CallParticipantView | undefined;
}

export function counterpartOf(call: CallView | null, meId: string): CallParticipantView | undefined {
  if (!call) return undefined;
  const me = call.participants.find((p) => p.user.id === meId);
  const others = call.participants.filter((p) => p.user.id !== meId);
  if (me?.role === 'customer') {
    return others.find((p) => p.user.id === call.startedBy.id) ?? others.find((p) => p.role !== 'supervisor');
  }
  return others.find((p) => p.role === 'customer');
}

export function chooseLayout(snapshot: CallSnapshot, meId: string, meName: string): StageLayout {
  const { call, remote, local } = snapshot;
  const participants = call?.participants ?? [];
  const counterpart = counterpartOf(call, meId);
  const nameOf = (peerId: string) => participants.find((p) => p.user.id === peerId)?.user.name ?? '';

  // Everyone else who is in the room or sends something.
  const peerIds = new Set<string>();
  for (const p of participants) if (p.user.id !== meId && p.present) peerIds.add(p.user.id);
  for (const r of remote) peerIds.add(r.peerId);
  if (counterpart) peerIds.add(counterpart.user.id);

  const remoteTile = (peerId: string, source: 'camera' | 'screen'): Tile => {
    const media = remote.find((r) => r.peerId === peerId);
    const video = media?.[source];
    return {
      key: `${peerId}:${source}`,
      local: false,
      peerId,
      name: nameOf(peerId),
      source,
      track: video && !video.paused ? video.track : null,
      micOff: !media?.mic || media.mic.paused,
      present: participants.find((p) => p.user.id === peerId)?.present ?? Boolean(media),
    };
  };
  const selfCamera: Tile = {
    key: 'self:camera',
    local: true,
    peerId: meId,
    name: meName,
    source: 'camera',
    track: snapshot.cameraOff ? null : local.camera,
    micOff: snapshot.micMuted || !local.mic,
    present: true,
  };

  const sharer = remote.find((r) => r.screen && !r.screen.paused);
  let main: Tile | null;
  if (sharer) {
    main = remoteTile(sharer.peerId, 'screen');
  } else if (local.screen) {
    main = { ...selfCamera, key: 'self:screen', source: 'screen', track: local.screen };
  } else {
    const mainPeer = counterpart?.user.id ?? [...peerIds][0];
    main = mainPeer ? remoteTile(mainPeer, 'camera') : null;
  }

  const thumbs: Tile[] = [selfCamera];
  for (const peerId of peerIds) {
    if (main && !main.local && main.peerId === peerId && main.source === 'camera') continue;
    const tile = remoteTile(peerId, 'camera');
    if (tile.present || tile.track) thumbs.push(tile);
  }
  return { main, thumbs, counterpart };
}
