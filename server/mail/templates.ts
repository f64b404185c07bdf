/**
 * The mails Livedesk sends, in the recipient's language (en, zh-CN; anything else gets English),
 * each as plain text and a simple HTML part with the same content. Values are escaped for HTML;
 * subjects carry the product name so a mail is recognisable in a crowded inbox.
 */

export type MailLocale = 'en' | 'zh-CN';

export type MailTemplate =
  | { kind: 'password_reset'; name: string; link: string; validMinutes: number }
  | { kind: 'invitation'; name: string; invitedBy: string; link: string; validHours: number }
  | {
      kind: 'reply';
      name: string;
      ticketNumber: number;
      subject: string;
      agentName: string;
      excerpt: string;
      link: string;
    }
  | { kind: 'csat'; name: string; ticketNumber: number; subject: string; link: string };

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

interface Parts {
  subject: string;
  greeting: string;
  paragraphs: string[];
  /** The one thing to do, as a button in HTML and a bare URL in text. */
  action: { label: string; url: string };
  /** Shown under the action, smaller. */
  footnote: string;
  /** A quoted message, if any. */
  quote?: string;
}

export function mailLocale(locale: string | null | undefined): MailLocale {
  return locale?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function renderMail(template: MailTemplate, locale: string, productName: string): RenderedMail {
  const lang = mailLocale(locale);
  const parts = (lang === 'zh-CN' ? zh : en)(template, productName);
  return {
    subject: parts.subject,
    text: toText(parts, productName, lang),
    html: toHtml(parts, productName, lang),
  };
}

function hoursText(hours: number, lang: MailLocale): string {
  if (lang === 'zh-CN') return hours % 24 === 0 ? `${hours / 24} 天` : `${hours} 小时`;
  if (hours % 24 === 0) return hours === 24 ? '1 day' : `${hours / 24} days`;
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

function minutesText(minutes: number, lang: MailLocale): string {
  if (minutes % 60 === 0) return hoursText(minutes / 60, lang);
  return lang === 'zh-CN' ? `${minutes} 分钟` : `${minutes} minutes`;
}

function en(t: MailTemplate, product: string): Parts {
  const greeting = `Hello ${t.name},`;
  switch (t.kind) {
    case 'password_reset':
      return {
        subject: `Reset your ${product} password`,
        greeting,
        paragraphs: [`Someone (hopefully you) asked to reset the password of your ${product} account.`],
        action: { label: 'Choose a new password', url: t.link },
        footnote: `The link works once, for ${minutesText(t.validMinutes, 'en')}. If you did not ask for it, ignore this mail: your password stays as it is.`,
      };
    case 'invitation':
      return {
        subject: `${t.invitedBy} invited you to ${product}`,
        greeting,
        paragraphs: [`${t.invitedBy} created a ${product} account for you. Choose your password to sign in.`],
        action: { label: 'Set your password', url: t.link },
        footnote: `The link works once, for ${hoursText(t.validHours, 'en')}. After that, ask an administrator for a new invitation.`,
      };
    case 'reply':
      return {
        subject: `[${product} #${t.ticketNumber}] New reply: ${t.subject}`,
        greeting,
        paragraphs: [`${t.agentName} replied to your ticket #${t.ticketNumber} “${t.subject}”:`],
        quote: t.excerpt,
        action: { label: 'Open the ticket', url: t.link },
        footnote:
          'Reply on the ticket page; answers to this mail are not read. You get at most one such mail every few minutes per ticket.',
      };
    case 'csat':
      return {
        subject: `[${product} #${t.ticketNumber}] How did we do?`,
        greeting,
        paragraphs: [
          `Your ticket #${t.ticketNumber} “${t.subject}” was solved.`,
          'How satisfied are you with the help you got? One click and an optional comment help us improve.',
        ],
        action: { label: 'Rate the service', url: t.link },
        footnote:
          'No sign-in needed: the link opens this rating once and works for 14 days (after that, sign in to rate). If the problem is not solved, reply on the ticket and it reopens.',
      };
  }
}

function zh(t: MailTemplate, product: string): Parts {
  const greeting = `${t.name}，您好：`;
  switch (t.kind) {
    case 'password_reset':
      return {
        subject: `重置您的 ${product} 密码`,
        greeting,
        paragraphs: [`有人（希望是您本人）请求重置您的 ${product} 账户密码。`],
        action: { label: '设置新密码', url: t.link },
        footnote: `该链接仅可使用一次，${minutesText(t.validMinutes, 'zh-CN')}内有效。如果不是您本人操作，请忽略此邮件，您的密码不会改变。`,
      };
    case 'invitation':
      return {
        subject: `${t.invitedBy} 邀请您加入 ${product}`,
        greeting,
        paragraphs: [`${t.invitedBy} 为您创建了 ${product} 账户。请设置密码后登录。`],
        action: { label: '设置密码', url: t.link },
        footnote: `该链接仅可使用一次，${hoursText(t.validHours, 'zh-CN')}内有效。过期后请联系管理员重新邀请。`,
      };
    case 'reply':
      return {
        subject: `[${product} #${t.ticketNumber}] 新回复：${t.subject}`,
        greeting,
        paragraphs: [`${t.agentName} 回复了您的工单 #${t.ticketNumber}「${t.subject}」：`],
        quote: t.excerpt,
        action: { label: '查看工单', url: t.link },
        footnote: '请在工单页面回复，直接回复此邮件无法送达。同一工单每隔几分钟最多发送一封此类邮件。',
      };
    case 'csat':
      return {
        subject: `[${product} #${t.ticketNumber}] 请评价我们的服务`,
        greeting,
        paragraphs: [
          `您的工单 #${t.ticketNumber}「${t.subject}」已解决。`,
          '您对本次服务满意吗？点一下评分并留下意见（可选），帮助我们改进。',
        ],
        action: { label: '评价服务', url: t.link },
        footnote:
          '无需登录：该链接可打开本次评价一次，14 天内有效（过期后请登录评价）。如果问题尚未解决，请在工单中回复，工单会重新打开。',
      };
  }
}

function toText(p: Parts, product: string, lang: MailLocale): string {
  const lines = [p.greeting, '', ...p.paragraphs.flatMap((para) => [para, ''])];
  if (p.quote) lines.push(...p.quote.split('\n').map((l) => `> ${l}`), '');
  lines.push(`${p.action.label}:`, p.action.url, '', p.footnote, '', '-- ', signature(product, lang));
  return `${lines.join('\n')}\n`;
}

function toHtml(p: Parts, product: string, lang: MailLocale): string {
  const para = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  const quote = p.quote
    ? `<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #ced4da;color:#495057;white-space:pre-wrap">${escapeHtml(p.quote)}</blockquote>`
    : '';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(p.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f8f9fa;font-family:-apple-system,'Segoe UI',Roboto,'PingFang SC','Microsoft YaHei',sans-serif;color:#212529;font-size:15px;line-height:1.5">
<div style="max-width:560px;margin:0 auto;background:#fff;border:1px solid #dee2e6;border-radius:8px;padding:24px">
<p style="margin:0 0 16px;font-weight:600;color:#1c7ed6">${escapeHtml(product)}</p>
${para(p.greeting)}
${p.paragraphs.map(para).join('\n')}
${quote}
<p style="margin:24px 0"><a href="${escapeHtml(p.action.url)}" style="display:inline-block;background:#228be6;color:#fff;text-decoration:none;padding:10px 18px;border-radius:6px;font-weight:600">${escapeHtml(p.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#495057">${escapeHtml(p.action.url)}</p>
<p style="margin:0;font-size:13px;color:#868e96">${escapeHtml(p.footnote)}</p>
</div>
<p style="max-width:560px;margin:12px auto 0;font-size:12px;color:#868e96;text-align:center">${escapeHtml(signature(product, lang))}</p>
</body></html>
`;
}

function signature(product: string, lang: MailLocale): string {
  return lang === 'zh-CN' ? `此邮件由 ${product} 自动发送。` : `Sent automatically by ${product}.`;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
