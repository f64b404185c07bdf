// The outgoing mail as the administration screen sees it (server/mail/outboxAdmin.ts, the client's
// /admin/mail). Part of the shared leaf: imports nothing.

export const MAIL_STATES = ['queued', 'sent', 'failed'] as const;
export type MailState = (typeof MAIL_STATES)[number];

/** One outgoing mail: never its body (reset and invitation links are in it). */
export interface MailOutboxItem {
  id: string;
  /** The template (`password_reset`, `invitation`, `reply`, `csat`…). */
  kind: string;
  to: string;
  subject: string;
  state: MailState;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  /** When it was sent, given up, or (queued) when the next attempt is due. */
  at: string;
}

/** Where mail goes: an SMTP server, or the embedded default's folder of .eml files. */
export interface MailDelivery {
  kind: 'smtp' | 'folder';
  /** The folder the embedded default writes to; null with SMTP. */
  folder: string | null;
}

export interface MailOutboxPage {
  items: MailOutboxItem[];
  total: number;
  delivery: MailDelivery;
}
