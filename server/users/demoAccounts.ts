import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { installationMeta } from '../db/schema';
import type { CreateUserInput } from './schemas';
import type { UsersService } from './service';

export interface DemoLogin {
  label: string;
  email: string;
  password: string;
}

const DEMO_ACCOUNTS: Array<Omit<CreateUserInput, 'password'> & { label: string }> = [
  {
    label: 'Customer',
    email: 'customer@demo.livedesk',
    name: 'Casey Customer',
    role: 'customer',
    skills: [],
    locale: 'en',
  },
  {
    label: 'Agent (L1)',
    email: 'agent.l1@demo.livedesk',
    name: 'Lee L1',
    role: 'agent',
    tier: 'L1',
    skills: ['accounts', 'payments', 'courses'],
    locale: 'en',
  },
  {
    label: 'Agent (L2)',
    email: 'agent.l2@demo.livedesk',
    name: 'Morgan L2',
    role: 'agent',
    tier: 'L2',
    skills: ['video', 'network', 'browser'],
    locale: 'en',
  },
  {
    label: 'Supervisor',
    email: 'supervisor@demo.livedesk',
    name: 'Sam Supervisor',
    role: 'supervisor',
    skills: [],
    locale: 'en',
  },
  { label: 'QA reviewer', email: 'qa@demo.livedesk', name: 'Quinn QA', role: 'qa', skills: [], locale: 'en' },
  {
    label: 'Admin',
    email: 'admin@demo.livedesk',
    name: 'Avery Admin',
    role: 'admin',
    skills: [],
    locale: 'en',
  },
];

/** The demo accounts' addresses: what the demo switch (`/admin/demo`) turns off and on. */
export const DEMO_EMAILS: readonly string[] = DEMO_ACCOUNTS.map((a) => a.email);

const SEEDED_KEY = 'demo_accounts_seeded_at';

/**
 * Creates the demo accounts on the first start of an installation and returns their logins so
 * the caller can print them; returns [] on every later start (the fact is kept in the database),
 * so passwords are shown exactly once. Passwords are random unless `fixedPassword` is given.
 */
export async function seedDemoAccounts(
  db: Database,
  users: UsersService,
  fixedPassword: string | undefined,
): Promise<DemoLogin[]> {
  const claimed = await db
    .insert(installationMeta)
    .values({ key: SEEDED_KEY, value: new Date().toISOString() })
    .onConflictDoNothing()
    .returning();
  if (claimed.length === 0) return [];
  const logins: DemoLogin[] = [];
  for (const { label, ...account } of DEMO_ACCOUNTS) {
    const password = fixedPassword ?? randomBytes(9).toString('base64url');
    try {
      await users.create({ ...account, password }, { seeded: true });
      logins.push({ label, email: account.email, password });
    } catch (err) {
      // Leave the marker unset so a later start can finish the job.
      await db.delete(installationMeta).where(eq(installationMeta.key, SEEDED_KEY));
      throw err;
    }
  }
  return logins;
}
