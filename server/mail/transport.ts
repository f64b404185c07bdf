import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { MailTransportConfig } from '../config';

/** One rendered mail, ready to hand to a transport. */
export interface Envelope {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Delivers one mail or throws; the outbox decides about retries. */
export interface MailTransport {
  /** Where mail goes, for the start-up log line (never with the SMTP password). */
  readonly description: string;
  deliver(mail: Envelope, id: string): Promise<void>;
  close(): void;
}

/** The configured transport: SMTP through nodemailer, or .eml files in a folder. */
export function createMailTransport(config: MailTransportConfig): MailTransport {
  return config.kind === 'folder' ? folderTransport(config.dir) : smtpTransport(config);
}

function smtpTransport(config: Exclude<MailTransportConfig, { kind: 'folder' }>): MailTransport {
  const options =
    'url' in config
      ? config.url
      : {
          host: config.host,
          port: config.port,
          secure: config.secure,
          ...(config.user ? { auth: { user: config.user, pass: config.pass ?? '' } } : {}),
        };
  const transporter = nodemailer.createTransport(options);
  const where = 'url' in config ? new URL(config.url) : undefined;
  return {
    description: where
      ? `SMTP ${where.protocol}//${where.hostname}:${where.port || (where.protocol === 'smtps:' ? 465 : 587)}`
      : `SMTP ${'host' in config ? `${config.host}:${config.port}` : ''}`,
    deliver: async (mail) => {
      await transporter.sendMail(mail);
    },
    close: () => transporter.close(),
  };
}

/**
 * The embedded default: each mail becomes a standard .eml file (any mail client opens it; it is
 * plain text inside) named by time and outbox id, so a newcomer without SMTP loses nothing.
 */
function folderTransport(dir: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    description: `the folder ${dir} (.eml files; set SMTP_URL or SMTP_HOST to send them)`,
    deliver: async (mail, id) => {
      const info = await transporter.sendMail(mail);
      await fs.mkdir(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = path.join(dir, `${stamp}-${id}.eml`);
      // Written under a temporary name first: a reader polling the folder never sees half a mail.
      await fs.writeFile(`${file}.part`, info.message as Buffer);
      await fs.rename(`${file}.part`, file);
    },
    close: () => transporter.close(),
  };
}
