import type { PublicUser } from '../../signaling/shared/protocol';
import type { AuthSessions, SessionEnds } from '../auth/sessions';
import { badRequest, conflict, notFound } from '../errors';
import type { UsersRepository } from './repository';
import type { UpdateUserInput } from './schemas';
import { toPublicUser } from './service';

/**
 * An administrator's changes to an account's access: role, tier, disabled. Whatever changes what
 * the account may do ends its open connections at once (they carry the old role); disabling also
 * revokes its sessions, so nothing renews. A role change keeps the sessions: the client renews
 * and carries on with the new role.
 */
export class UserAdmin {
  constructor(
    private readonly repo: UsersRepository,
    private readonly sessions: AuthSessions,
    private readonly ends: SessionEnds,
  ) {}

  async update(actor: PublicUser, id: string, patch: UpdateUserInput): Promise<PublicUser> {
    const before = await this.repo.findById(id);
    if (!before) throw notFound('The user');
    const role = patch.role ?? before.role;
    const tier = patch.tier !== undefined ? patch.tier : role === 'agent' ? before.tier : null;
    if (role === 'agent' && !tier) {
      throw badRequest('The request body is not valid.', [
        { path: 'tier', message: 'is required for an agent' },
      ]);
    }
    if (role !== 'agent' && tier) {
      throw badRequest('The request body is not valid.', [
        { path: 'tier', message: 'only agents have a tier' },
      ]);
    }
    const disable = patch.disabled === true && !before.disabledAt;
    // An administrator who locks themselves out leaves nobody to undo it.
    if (actor.id === id && (patch.disabled === true || role !== before.role)) {
      throw conflict('You cannot disable your own account or change your own role.');
    }
    const row = await this.repo.update(id, {
      role,
      tier,
      ...(patch.disabled === undefined
        ? {}
        : { disabledAt: patch.disabled ? (before.disabledAt ?? new Date()) : null }),
    });
    if (!row) throw notFound('The user');
    if (disable) await this.sessions.revokeAllOf(id);
    if (disable || role !== before.role || tier !== before.tier) this.ends.endUser(id, 'revoked');
    return toPublicUser(row);
  }
}
