// The timeline's entries as sentences in the reader's language. Pure (no React), so the wording is
// unit-tested on its own and the QA player's moments (client/src/qa/moments.ts) reuse it.
import type { TFunction } from 'i18next';
import type { LocalizedText } from '../../../signaling/shared/macros';
import type { TimelineEntry } from '../../../signaling/shared/protocol';
import { formatDateTime, formatDuration } from '../lib/format';
import { pickLocalized } from '../lib/localized';

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const obj = (value: unknown) =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

function valueText(field: string, value: unknown, t: TFunction): string {
  if (value === null || value === undefined || value === '') return t('timeline.nothing');
  if (Array.isArray(value)) return value.length ? value.join(', ') : t('timeline.nothing');
  const text = String(value);
  if (field === 'status') return t(`ticket.status.${text}` as 'ticket.status.new', { defaultValue: text });
  if (field === 'category')
    return t(`ticket.category.${text}` as 'ticket.category.other', { defaultValue: text });
  return text;
}

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** Where an entry leads: the saved board on this page, or the recording in the QA player. */
export type TimelineLink = { kind: 'board'; boardId: string } | { kind: 'recording'; recordingId: string };

/**
 * One sentence (and an optional quoted note) for a timeline entry, in the reader's language, and
 * what it links to (`canWatch` says whether this reader may open the recording of a call).
 */
export function describeTimelineEntry(
  entry: TimelineEntry,
  t: TFunction,
  canWatch: (callId: string | undefined) => boolean = () => false,
): { text: string; note?: string; link?: TimelineLink } {
  const actor = entry.actor?.name ?? t('timeline.system');
  const d = entry.data;
  const duration = (seconds: number | undefined) => formatDuration(seconds ?? 0, { maxUnits: 3 });
  switch (entry.type) {
    case 'call.started':
      return { text: t('timeline.callStarted', { actor }) };
    case 'call.connected':
      return { text: t('timeline.callConnected') };
    case 'call.requested':
      return { text: t('timeline.callRequested', { actor }) };
    case 'call.request_accepted':
      return { text: t('timeline.callRequestAccepted', { actor }) };
    case 'call.request_declined':
      return { text: t('timeline.callRequestDeclined', { actor }) };
    case 'call.request_cancelled':
      return { text: t('timeline.callRequestCancelled', { actor }) };
    case 'call.request_expired':
      return { text: t('timeline.callRequestExpired') };
    case 'call.ended': {
      const seconds = num(d.connectedSeconds) ?? 0;
      switch (d.reason) {
        case 'declined':
          return { text: t('timeline.callDeclined') };
        case 'no_answer':
        case 'customer_offline':
          return { text: t('timeline.callMissed') };
        case 'cancelled':
          return { text: t('timeline.callCancelled', { actor }) };
        default:
          // Entries written before `connected` was recorded only have the seconds to go by.
          if (d.connected === true || seconds > 0)
            return { text: t('timeline.callEnded', { duration: duration(seconds) }) };
          return {
            text: t(d.reason === 'failed' ? 'timeline.callFailed' : 'timeline.callEndedUnconnected'),
          };
      }
    }
    case 'recording.ready':
    case 'recording.failed': {
      const recordingId = str(d.recordingId);
      const link: TimelineLink | undefined =
        recordingId && entry.type === 'recording.ready' && canWatch(str(d.callId))
          ? { kind: 'recording', recordingId }
          : undefined;
      if (entry.type === 'recording.failed' || d.status === 'failed')
        return { text: t('timeline.recordingFailed') };
      const text = t(d.status === 'partial' ? 'timeline.recordingPartial' : 'timeline.recordingReady', {
        duration: duration(num(d.durationSeconds)),
      });
      return link ? { text, link } : { text };
    }
    case 'board.saved': {
      const boardId = str(d.boardId);
      const text = t('timeline.boardSaved', { count: num(d.elements) ?? 0 });
      return boardId ? { text, link: { kind: 'board', boardId } } : { text };
    }
    case 'ticket.created':
      return { text: t('timeline.created', { actor }) };
    case 'ticket.updated': {
      const parts: string[] = [];
      const status = obj(d.status);
      if (status) {
        parts.push(
          t('timeline.changedField', {
            field: t('ticket.fields.status').toLocaleLowerCase(),
            from: valueText('status', status.from, t),
            to: valueText('status', status.to, t),
          }),
        );
      }
      for (const [field, change] of Object.entries(obj(d.changes) ?? {})) {
        const c = obj(change);
        if (!c) continue;
        const fieldName = ['priority', 'category', 'tags'].includes(field)
          ? t(`ticket.fields.${field as 'priority' | 'category' | 'tags'}`).toLocaleLowerCase()
          : field;
        parts.push(
          t('timeline.changedField', {
            field: fieldName,
            from: valueText(field, c.from, t),
            to: valueText(field, c.to, t),
          }),
        );
      }
      return { text: t('timeline.updated', { actor, changes: parts.join('; ') || '—' }) };
    }
    case 'ticket.assigned': {
      const to = str(d.toName) ?? t('timeline.someone');
      const note = str(d.note);
      switch (d.kind) {
        case 'claim':
          return { text: t('timeline.claimed', { actor }), note };
        case 'transfer':
          return { text: t('timeline.transferred', { actor, to }), note };
        case 'unassign':
          return { text: t('timeline.unassigned', { actor }), note };
        case 'auto':
          return { text: t('timeline.autoAssigned', { to }) };
        default:
          return { text: t('timeline.assigned', { actor, to }), note };
      }
    }
    case 'ticket.escalated':
      return {
        text: t('timeline.escalated', { actor, from: str(d.from) ?? '?', to: str(d.to) ?? '?' }),
        note: str(d.note),
      };
    case 'ticket.merged':
      return typeof d.intoNumber === 'number'
        ? { text: t('timeline.mergedInto', { actor, number: d.intoNumber }) }
        : {
            text: t('timeline.mergedFrom', {
              actor,
              number: typeof d.fromNumber === 'number' ? d.fromNumber : '?',
            }),
          };
    case 'ticket.linked':
      return { text: t('timeline.linked', { actor, number: typeof d.number === 'number' ? d.number : '?' }) };
    case 'ticket.first_response':
      return {
        text: t('timeline.firstResponse', {
          actor,
          duration: formatDuration(typeof d.seconds === 'number' ? d.seconds : 0, { maxUnits: 3 }),
        }),
      };
    case 'csat.submitted': {
      const previous = obj(d.previous);
      const score = num(d.score) ?? 0;
      return {
        text: previous
          ? t('timeline.csatChanged', { actor, from: num(previous.score) ?? '?', score })
          : t('timeline.csatSubmitted', { actor, score }),
        note: str(d.comment),
      };
    }
    case 'call_rating.submitted':
      return {
        text: t(obj(d.previous) ? 'timeline.callRatingChanged' : 'timeline.callRated', {
          actor,
          picture: num(d.picture) ?? '?',
          sound: num(d.sound) ?? '?',
          helpfulness: num(d.helpfulness) ?? '?',
        }),
        note: str(d.comment),
      };
    case 'followup.opened':
      if (d.source === 'playbook')
        return {
          text: t('timeline.followUpScheduled', { due: str(d.dueAt) ? formatDateTime(str(d.dueAt)!) : '?' }),
        };
      return { text: t('timeline.followUpOpened', { score: num(d.score) ?? '?' }) };
    case 'playbook.step_completed':
      return {
        text: t('timeline.playbookStepDone', { actor, step: pickLocalized(obj(d.text) as LocalizedText) }),
      };
    case 'playbook.step_reopened':
      return {
        text: t('timeline.playbookStepUndone', { actor, step: pickLocalized(obj(d.text) as LocalizedText) }),
      };
    case 'followup.overdue':
      return { text: t('timeline.followUpOverdue') };
    case 'followup.closed':
      return { text: t('timeline.followUpClosed', { actor }), note: str(d.note) };
    case 'sla.warning':
    case 'sla.breached': {
      const clock = str(d.clock);
      const clockName =
        clock === 'first_response' || clock === 'next_response' || clock === 'resolution'
          ? t(`sla.clock.${clock}`)
          : (clock ?? '');
      return {
        text: t(entry.type === 'sla.warning' ? 'timeline.slaWarning' : 'timeline.slaBreached', {
          clock: clockName,
        }),
      };
    }
    case 'bot.handed_off':
      return {
        text: t('timeline.botHandedOff', {
          reason: t(`bot.reason.${str(d.reason) ?? 'asked'}` as 'bot.reason.asked'),
        }),
      };
    case 'bot.resolved':
      return { text: t('timeline.botResolved') };
    case 'bot.taken_over':
      return { text: t('timeline.botTakenOver', { actor }) };
    default:
      return { text: t('timeline.other', { actor, type: entry.type }) };
  }
}
