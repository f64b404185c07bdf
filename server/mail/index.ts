import type { Clock } from '../clock';
import type { MailConfig } from '../config';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import { Mailer } from './mailer';
import { MailOutbox } from './outbox';
import { OutboxAdmin } from './outboxAdmin';
import { createMailTransport, type MailTransport } from './transport';

export { Mailer, type MailRecipient } from './mailer';
export { MailOutbox, type OutgoingMail } from './outbox';
export { OutboxAdmin } from './outboxAdmin';
export { mailRoutes } from './routes';
export type { MailTemplate } from './templates';

/** The mail domain as the composition root wires it: the outbox (start/stop) and the mailer. */
export function createMail(deps: {
  db: Database;
  config: MailConfig;
  clock: Clock;
  logger: Logger;
  /** Tests may hand their own transport; normally the configured one. */
  transport?: MailTransport;
  /** The app's origin when PUBLIC_URL is unset (known once the server listens). */
  ownOrigin: () => string;
}): { outbox: MailOutbox; mailer: Mailer; admin: OutboxAdmin } {
  const transport = deps.transport ?? createMailTransport(deps.config.transport);
  const outbox = new MailOutbox(deps.db, transport, deps.config.from, deps.clock, deps.logger);
  const mailer = new Mailer(outbox, {
    productName: deps.config.productName,
    linkBase: () => deps.config.linkBase ?? deps.ownOrigin(),
  });
  const admin = new OutboxAdmin(deps.db, outbox, deps.config.transport, deps.clock);
  return { outbox, mailer, admin };
}
