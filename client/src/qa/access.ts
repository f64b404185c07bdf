import type { CallView, PublicUser } from '../../../signaling/shared/protocol';

/** Who reviews recordings (scores and comments); agents may only watch their own calls. */
export const canReview = (user: Pick<PublicUser, 'role'>) =>
  user.role === 'qa' || user.role === 'supervisor' || user.role === 'admin';

/**
 * Mirrors the server's rule for opening a recording (server/recordings/service.ts `assertCanView`):
 * QA reviewers, supervisors and admins; agents only for calls they took part in.
 */
export function canWatchRecording(me: PublicUser, call: CallView | undefined): boolean {
  if (canReview(me)) return true;
  return me.role === 'agent' && (call?.participants.some((p) => p.user.id === me.id) ?? false);
}
