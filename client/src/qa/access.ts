import type { PublicUser } from '../../../signaling/protocol';

/** Who reviews recordings (scores and comments); agents may only watch their own calls. */
export const canReview = (user: Pick<PublicUser, 'role'>) =>
  user.role === 'qa' || user.role === 'supervisor' || user.role === 'admin';
