import { randomBytes } from 'node:crypto';
import type { PublicUser } from '../../signaling/shared/protocol';
import { type AuditContext, recordAudit } from '../audit/record';
import type { AuthSessions, SessionEnds } from '../auth/sessions';
import type { Database } from '../db/client';
import type { UserRow } from '../db/schema';
import { badRequest, conflict, notFound } from '../errors';
import { UsersRepository } from './repository';
import type { AdminCreateUserInput, AdminUpdateUserInput, AdminUserFilter, UpdateUserInput } from './schemas';
import { createAccount, toPublicUser } from './service';

/** An account as the administration screens see it. */
export type AdminUser = PublicUser & {
  languages: string[];
  disabled: boolean;
  disabledAt: string | null;
  updatedAt: string;
};

export function toAdminUser(row: UserRow): AdminUser {
  return {
    ...toPublicUser(row),
    languages: row.languages,
    disabled: row.disabledAt !== null,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the audit log keeps of an account: never its password hash. */
const audited = (row: UserRow) => ({
  email: row.email,
  name: row.name,
  role: row.role,
  tier: row.tier,
  skills: row.skills,
  languages: row.languages,
  locale: row.locale,
  disabledAt: row.disabledAt?.toISOString() ?? null,
});

/** The mails an administrator's actions send (the mail domain fills it in the composition root). */
export interface AccountMail {
  /** A set-password link for a new account, signed, single-use, expiring. */
  sendInvitation(userId: string, invitedById: string): Promise<void>;
  /** A reset-password link, signed, single-use, expiring. */
  sendPasswordReset(userId: string): Promise<void>;
}

/**
 * An administrator's changes to accounts: create or invite, edit, disable, reset a password. Every
 * change is audited in its own transaction. Whatever changes what the account may do (role, tier,
 * disabled) ends its open connections at once (they carry the old role); disabling also revokes
 * its sessions, so nothing renews. A role change keeps the sessions: the client renews and
 * carries on with the new role.
 */
export class UserAdmin {
  private readonly repo: UsersRepository;

  constructor(
    private readonly db: Database,
    private readonly sessions: AuthSessions,
    private readonly ends: SessionEnds,
    private readonly mail: AccountMail,
    /** Told when an account's name changes: tickets' search documents carry the requester's name. */
    private readonly renamed: (user: {
      id: string;
      name: string;
      email: string;
    }) => Promise<void> = async () => {},
  ) {
    this.repo = new UsersRepository(db);
  }

  async list(filter: AdminUserFilter): Promise<{ items: AdminUser[]; total: number }> {
    const { rows, total } = await this.repo.search(filter);
    return { items: rows.map(toAdminUser), total };
  }

  async get(id: string): Promise<AdminUser> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound('The user');
    return toAdminUser(row);
  }

  /**
   * With a password: the account is ready. Without one: it gets a password nobody knows and an
   * invitation mail with a set-password link.
   */
  async create(
    actor: PublicUser,
    audit: AuditContext,
    input: AdminCreateUserInput,
  ): Promise<{ user: AdminUser; invited: boolean }> {
    const invited = input.password === undefined;
    const row = await this.db.transaction(async (tx) => {
      const repo = new UsersRepository(tx as unknown as Database);
      const created = await createAccount(
        repo,
        { ...input, password: input.password ?? randomBytes(32).toString('base64url') },
        { seeded: invited },
      );
      const withLanguages = await repo.update(created.id, { languages: input.languages });
      if (!withLanguages) throw notFound('The user');
      await recordAudit(tx as unknown as Database, {
        ...audit,
        action: invited ? 'user.invited' : 'user.created',
        targetType: 'user',
        targetId: created.id,
        before: null,
        after: audited(withLanguages),
      });
      return withLanguages;
    });
    // The account exists whatever happens to the mail; the admin can send a reset link again.
    if (invited) await this.mail.sendInvitation(row.id, actor.id);
    return { user: toAdminUser(row), invited };
  }

  /** The older PATCH /api/users/:id (role, tier, disabled), kept working; now audited too. */
  async update(
    actor: PublicUser,
    id: string,
    patch: UpdateUserInput,
    audit?: AuditContext,
  ): Promise<PublicUser> {
    const { user } = await this.edit(actor, audit ?? { actorId: actor.id }, id, patch);
    return toPublicUser(user);
  }

  async edit(
    actor: PublicUser,
    audit: AuditContext,
    id: string,
    patch: AdminUpdateUserInput,
  ): Promise<{ user: UserRow; admin: AdminUser }> {
    const { before, after } = await this.db.transaction(async (tx) => {
      const repo = new UsersRepository(tx as unknown as Database);
      const before = await repo.lockById(id);
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
      // An administrator who locks themselves out leaves nobody to undo it.
      if (actor.id === id && (patch.disabled === true || role !== before.role)) {
        throw conflict('You cannot disable your own account or change your own role.');
      }
      const after = await repo.update(id, {
        role,
        tier,
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(patch.skills === undefined ? {} : { skills: patch.skills }),
        ...(patch.languages === undefined ? {} : { languages: patch.languages }),
        ...(patch.locale === undefined ? {} : { locale: patch.locale }),
        ...(patch.disabled === undefined
          ? {}
          : { disabledAt: patch.disabled ? (before.disabledAt ?? new Date()) : null }),
      });
      if (!after) throw notFound('The user');
      const action =
        !before.disabledAt && after.disabledAt
          ? 'user.disabled'
          : before.disabledAt && !after.disabledAt
            ? 'user.enabled'
            : 'user.updated';
      if (JSON.stringify(audited(before)) !== JSON.stringify(audited(after))) {
        await recordAudit(tx as unknown as Database, {
          ...audit,
          action,
          targetType: 'user',
          targetId: id,
          before: audited(before),
          after: audited(after),
        });
      }
      return { before, after };
    });
    const disabled = !before.disabledAt && after.disabledAt !== null;
    if (disabled) await this.sessions.revokeAllOf(id);
    if (disabled || after.role !== before.role || after.tier !== before.tier)
      this.ends.endUser(id, 'revoked');
    if (after.name !== before.name) await this.renamed({ id, name: after.name, email: after.email });
    return { user: after, admin: toAdminUser(after) };
  }

  /** Sends a reset-password link; the current password keeps working until the link is used. */
  async resetPassword(audit: AuditContext, id: string): Promise<void> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound('The user');
    if (row.disabledAt) throw conflict('This account is disabled; enable it before sending a reset link.');
    await this.mail.sendPasswordReset(row.id);
    await recordAudit(this.db, {
      ...audit,
      action: 'user.password_reset_sent',
      targetType: 'user',
      targetId: id,
      before: null,
      after: { email: row.email },
    });
  }
}
