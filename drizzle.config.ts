import { defineConfig } from 'drizzle-kit';

// Used only by `npm run db:generate`: it diffs the schema files against the migrations folder
// and writes the next SQL migration. Nothing connects to a database here.
export default defineConfig({
  dialect: 'postgresql',
  // One schema in three files: mailSchema.ts holds the mail outbox and signed links, auditSchema.ts
  // the audit log.
  schema: ['./server/db/schema.ts', './server/db/mailSchema.ts', './server/db/auditSchema.ts'],
  out: './server/db/migrations',
});
