// What to tell the user about a call problem or a call's end, in their language (DESIGN §3.11).
import type { TFunction } from 'i18next';
import type { CallEndReason, CallView } from '../../../signaling/shared/protocol';
import type { CallIssue } from '../lib/call/CallEngine';

export interface UserMessage {
  title: string;
  body: string;
}

/**
 * A device, connection or joining problem: what happened and what to do about it. `inCall`: shown
 * in the call view, where a device comes back with the call's own buttons, not the check's Try again.
 */
export function describeIssue(issue: CallIssue, t: TFunction, inCall = false): UserMessage {
  const mic = issue.device === 'microphone';
  const pick = (title: string, body: string): UserMessage => ({ title, body });
  switch (issue.reason) {
    case 'permission_denied':
      return pick(
        t('call.issues.denied.title'),
        inCall ? t('call.issues.denied.bodyInCall') : t('call.issues.denied.body'),
      );
    case 'device_busy':
      return mic
        ? pick(
            t('call.issues.busy.microphone.title'),
            inCall ? t('call.issues.busy.microphone.bodyInCall') : t('call.issues.busy.microphone.body'),
          )
        : pick(
            t('call.issues.busy.camera.title'),
            inCall ? t('call.issues.busy.camera.bodyInCall') : t('call.issues.busy.camera.body'),
          );
    case 'no_device':
      return mic
        ? pick(
            t('call.issues.noDevice.microphone.title'),
            inCall
              ? t('call.issues.noDevice.microphone.bodyInCall')
              : t('call.issues.noDevice.microphone.body'),
          )
        : pick(
            t('call.issues.noDevice.camera.title'),
            inCall ? t('call.issues.noDevice.camera.bodyInCall') : t('call.issues.noDevice.camera.body'),
          );
    case 'device_lost':
      return mic
        ? pick(t('call.issues.lost.microphone.title'), t('call.issues.lost.microphone.body'))
        : pick(t('call.issues.lost.camera.title'), t('call.issues.lost.camera.body'));
    case 'insecure':
      return pick(t('call.issues.insecure.title'), t('call.issues.insecure.body'));
    case 'screen_failed':
      return pick(t('call.issues.screen.title'), t('call.issues.screen.body'));
    case 'network':
      return pick(t('call.issues.network.title'), t('call.issues.network.body'));
    case 'media_failed':
      return pick(t('call.issues.media.title'), t('call.issues.media.body'));
    case 'not_allowed':
      return pick(t('call.issues.notAllowed.title'), t('call.issues.notAllowed.body'));
    case 'unavailable':
      return pick(t('call.issues.unavailable.title'), t('call.issues.unavailable.body'));
    default:
      return pick(t('call.issues.unknown.title'), t('call.issues.unknown.body'));
  }
}

/**
 * Why the call ended, said from this user's side: "You hung up" vs "The call was ended",
 * "The customer declined" (to the agent) vs "You declined" (to the customer).
 */
export function describeEnd(
  call: Pick<CallView, 'endReason' | 'participants'>,
  me: { id: string; role: string },
  endedByMe: boolean,
  t: TFunction,
): string {
  const reason: CallEndReason = call.endReason ?? 'hangup';
  const other = call.participants.find((p) => p.user.id !== me.id && p.role !== 'supervisor');
  const name = other?.user.name ?? t('call.ended.theOtherSide');
  const isCustomer = me.role === 'customer';
  switch (reason) {
    case 'hangup':
      return endedByMe ? t('call.ended.reasons.hangupByYou') : t('call.ended.reasons.hangup');
    case 'declined':
      return isCustomer ? t('call.ended.reasons.declinedByYou') : t('call.ended.reasons.declined', { name });
    case 'no_answer':
      return isCustomer ? t('call.ended.reasons.missed') : t('call.ended.reasons.noAnswer', { name });
    case 'customer_offline':
      return t('call.ended.reasons.customerOffline', { name });
    case 'disconnected':
      return t('call.ended.reasons.disconnected');
    case 'cancelled':
      return endedByMe ? t('call.ended.reasons.cancelledByYou') : t('call.ended.reasons.cancelled');
    case 'failed':
      return t('call.ended.reasons.failed');
    default:
      return t('call.ended.reasons.hangup');
  }
}
