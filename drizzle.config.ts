import { defineConfig } from 'drizzle-kit';

// Used only by `npm run db:generate`: it diffs the schema files against the migrations folder
// and writes the next SQL migration. Nothing connects to a database here.
export default defineConfig({
  dialect: 'postgresql',
  // One schema in several files (schema.ts stays under the module-size limit): schema.ts and
  // one <domain>Schema.ts per domain with tables of its own (help, mail, …).
  schema: ['./server/db/schema.ts', './server/db/*Schema.ts'],
  out: './server/db/migrations',
});
