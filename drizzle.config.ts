import { defineConfig } from 'drizzle-kit';

// Used only by `npm run db:generate`: it diffs server/db/schema.ts (and notificationsSchema.ts) against the migrations folder
// and writes the next SQL migration. Nothing connects to a database here.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./server/db/schema.ts', './server/db/notificationsSchema.ts'],
  out: './server/db/migrations',
});
