// System messages are stored as events (signaling/shared/protocol.ts `SystemEvent`) and worded here, at
// render time, in the reader's language. Pure, so the wording is unit-tested on its own.
import type { TFunction } from 'i18next';
import type { SystemEvent } from '../../../signaling/shared/protocol';
import type { CallLinkState } from '../call/callState';
import { formatDuration } from '../lib/format';

/**
 * The sentence of a system event; a call's state is worded separately (`describeCallState`).
 * `staffView`: the reader is staff, who are told what the customer was told (escalation).
 */
export function describeSystemEvent(event: SystemEvent, t: TFunction, staffView = false): string {
  switch (event.type) {
    case 'call.started':
      return t('conversation.systemEvent.callStarted', { name: event.startedBy });
    case 'board.saved':
      return t('conversation.systemEvent.boardSaved', { count: event.elements });
    case 'ticket.merged_into':
      return t('conversation.systemEvent.mergedInto', { number: event.number });
    case 'ticket.merged_from':
      return t('conversation.systemEvent.mergedFrom', { number: event.number });
    case 'ticket.escalated':
      return t(staffView ? 'escalate.systemMessageStaff' : 'escalate.systemMessage', { tier: event.tier });
  }
}

/** "ringing", "in progress · 1 min 3 s", "ended · 4 min 12 s", "declined", "missed" … */
export function describeCallState(state: CallLinkState, t: TFunction, language?: string): string {
  const duration = (seconds: number) =>
    formatDuration(seconds, { maxUnits: 3, ...(language ? { language } : {}) });
  switch (state.kind) {
    case 'in_progress':
      return t('conversation.callState.in_progress', { duration: duration(state.seconds) });
    case 'ended':
      return t('conversation.callState.ended', { duration: duration(state.seconds) });
    default:
      return t(`conversation.callState.${state.kind}`);
  }
}
