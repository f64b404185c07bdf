import type { Database } from '../db/client';
import type { MailOutbox } from './outbox';
import { type MailTemplate, renderMail } from './templates';

export interface MailRecipient {
  email: string;
  /** The recipient's language (`users.locale`): the mail is written in it. */
  locale: string;
}

/**
 * What domains use to send mail: a template, a recipient, and the links it carries. Renders in
 * the recipient's language and queues into the outbox; never blocks on SMTP nor throws for it.
 */
export class Mailer {
  constructor(
    private readonly outbox: MailOutbox,
    private readonly options: {
      productName: string;
      /** The app's origin as a recipient reaches it (PUBLIC_URL, or the address it listens on). */
      linkBase: () => string;
    },
  ) {}

  /** An absolute URL into the app for a path such as `/reset-password?token=…`. */
  link(pathAndQuery: string): string {
    return `${this.options.linkBase()}${pathAndQuery.startsWith('/') ? '' : '/'}${pathAndQuery}`;
  }

  /**
   * Queues a mail. In a transaction (`within`), call `flush()` after commit so it leaves at once.
   * Returns the outbox id.
   */
  send(
    to: MailRecipient,
    template: MailTemplate,
    options: { dedupeKey?: string; within?: Database } = {},
  ): Promise<string> {
    const rendered = renderMail(template, to.locale, this.options.productName);
    return this.outbox.enqueue(
      {
        kind: template.kind,
        to: to.email,
        ...rendered,
        ...(options.dedupeKey ? { dedupeKey: options.dedupeKey } : {}),
      },
      options.within,
    );
  }

  /** Whether a mail with this key was queued within the last `windowMs` before `now`. */
  sentWithin(dedupeKey: string, now: Date, windowMs: number): Promise<boolean> {
    return this.outbox.queuedSince(dedupeKey, new Date(now.getTime() - windowMs));
  }

  /** Sends what was queued in a transaction that has now committed. */
  flush(): void {
    this.outbox.kick();
  }
}
