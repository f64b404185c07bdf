// `npm run user:create -- --email ops@example.com --name "Ops" --role admin`
// Creates an account directly in the configured database. This is how a production install
// (which seeds no demo accounts) gets its first administrator. The password is read from
// standard input so it never appears in the shell history or the process list.
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { passwordProblem } from '../auth/passwordPolicy';
import { loadConfig } from '../config';
import { openDatabase } from '../db/client';
import { AppError } from '../errors';
import { UsersRepository } from '../users/repository';
import { createUserBodySchema } from '../users/schemas';
import { createAccount } from '../users/service';
import { issuesToFields } from '../validation';

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', default: 'admin' },
    tier: { type: 'string' },
    skills: { type: 'string', default: '' },
  },
});

async function readPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  if (process.stdin.isTTY)
    process.stderr.write('Password (at least 10 characters, not a common one, not your name or e-mail): ');
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

async function main() {
  const input = createUserBodySchema.safeParse({
    email: values.email,
    name: values.name,
    role: values.role,
    tier: values.tier,
    skills: values.skills ? values.skills.split(',') : [],
    password: await readPassword(),
  });
  if (!input.success) {
    for (const f of issuesToFields(input.error)) console.error(`  ${f.path}: ${f.message}`);
    process.exit(2);
  }
  // Before the database opens: a refused password changes nothing and is said at once.
  const problem = await passwordProblem(input.data.password, input.data);
  if (problem) {
    console.error(`The password ${problem}.`);
    console.error(`  password: ${problem}`);
    process.exit(2);
  }
  const handle = await openDatabase(loadConfig(process.env));
  try {
    const user = await createAccount(new UsersRepository(handle.db), input.data);
    console.log(`Created ${user.role} ${user.email} (${user.id})`);
  } catch (err) {
    if (err instanceof AppError) {
      console.error(err.message);
      for (const f of err.details ?? []) console.error(`  ${f.path}: ${f.message}`);
      process.exitCode = 1;
    } else throw err;
  } finally {
    await handle.close();
  }
}

void main();
