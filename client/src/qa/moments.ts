// The moments of a recorded call, for the player's timeline bar and the list beside it: the
// server's markers (messages, screen sharing, whiteboard) and the ticket's own events during the
// call, described in the reviewer's language.
import type { TFunction } from 'i18next';
import type { TimelineEntry } from '../../../signaling/shared/protocol';
import { describeTimelineEntry } from '../tickets/timelineWording';
import type { RecordingDetail } from './api';

export type MomentKind = 'message' | 'screen' | 'whiteboard' | 'ticket' | 'call';

export interface Moment {
  key: string;
  atMs: number;
  kind: MomentKind;
  text: string;
  note?: string;
}

/** Whiteboard changes closer together than this are one moment ("the whiteboard was used"). */
const WHITEBOARD_GAP_MS = 10_000;
const SCREEN_MATCH_MS = 2_000;

function describeCallEvent(entry: TimelineEntry, t: TFunction): string | undefined {
  const actor = entry.actor?.name ?? t('qa.moments.system');
  switch (entry.type) {
    case 'call.started':
      return t('qa.moments.callStarted', { actor });
    case 'call.connected':
      return t('qa.moments.callConnected');
    case 'call.ended':
      return t('qa.moments.callEnded');
    case 'call.updated':
      return undefined;
    case 'recording.ready':
    case 'recording.failed':
      return undefined; // The end of this very recording: the bar ends there anyway.
    case 'board.saved':
      return t('qa.moments.boardSaved');
    default:
      return undefined;
  }
}

export function buildMoments(
  detail: RecordingDetail,
  timeline: TimelineEntry[] | undefined,
  t: TFunction,
): Moment[] {
  const moments: Moment[] = [];
  const start = Date.parse(detail.startedAt);
  const end = detail.endedAt ? Date.parse(detail.endedAt) : Number.POSITIVE_INFINITY;
  let lastBoard = Number.NEGATIVE_INFINITY;

  detail.markers.forEach((m, i) => {
    const key = `m${i}`;
    switch (m.type) {
      case 'message':
        // "Name: text" — the author's own words, not translated.
        moments.push({ key, atMs: m.atMs, kind: 'message', text: m.label });
        break;
      case 'screen_start': {
        const track = detail.tracks.find(
          (tr) => tr.source === 'screen' && Math.abs(tr.offsetMs - m.atMs) <= SCREEN_MATCH_MS,
        );
        moments.push({
          key,
          atMs: m.atMs,
          kind: 'screen',
          text: track ? t('qa.moments.screenStart', { name: track.userName }) : m.label,
        });
        break;
      }
      case 'screen_stop': {
        // The server stamps this when the recorder has finished, which can be seconds after the
        // sharing stopped; where the screen track's media ends is where the player shows it end.
        const track = detail.tracks
          .filter((tr) => tr.source === 'screen' && tr.offsetMs <= m.atMs && tr.durationSeconds !== null)
          .sort((a, b) => b.offsetMs - a.offsetMs)[0];
        const mediaEnd = track ? track.offsetMs + Math.round((track.durationSeconds ?? 0) * 1000) : m.atMs;
        moments.push({
          key,
          atMs: Math.min(m.atMs, mediaEnd),
          kind: 'screen',
          text: t('qa.moments.screenStop'),
        });
        break;
      }
      case 'whiteboard':
        if (m.atMs - lastBoard > WHITEBOARD_GAP_MS)
          moments.push({ key, atMs: m.atMs, kind: 'whiteboard', text: t('qa.moments.whiteboard') });
        lastBoard = m.atMs;
        break;
      default:
        // Ticket events: described from the ticket's timeline below when it could be read.
        if (!timeline) {
          const tier = /\b(L[1-3])\b/.exec(m.label)?.[1];
          moments.push({
            key,
            atMs: m.atMs,
            kind: 'ticket',
            text:
              m.type === 'ticket.escalated' && tier
                ? t('qa.moments.escalated', { tier })
                : t('qa.moments.ticketEvent', { type: m.type }),
          });
        }
    }
  });

  for (const entry of timeline ?? []) {
    const at = Date.parse(entry.createdAt);
    if (at < start || at > end) continue;
    const atMs = at - start;
    if (
      entry.type.startsWith('call.') ||
      entry.type.startsWith('recording.') ||
      entry.type.startsWith('board.')
    ) {
      const text = describeCallEvent(entry, t);
      if (text) moments.push({ key: entry.id, atMs, kind: 'call', text });
      continue;
    }
    const { text, note } = describeTimelineEntry(entry, t);
    moments.push({ key: entry.id, atMs, kind: 'ticket', text, ...(note ? { note } : {}) });
  }
  return moments.sort((a, b) => a.atMs - b.atMs);
}
