import { describe, expect, it } from 'vitest';
import { mailLocale, renderMail } from '../../server/mail/templates';

describe('mail templates', () => {
  it('writes in the recipient language, zh-CN for any Chinese locale and English otherwise', () => {
    expect(mailLocale('zh-CN')).toBe('zh-CN');
    expect(mailLocale('zh-TW')).toBe('zh-CN');
    expect(mailLocale('en')).toBe('en');
    expect(mailLocale('fr')).toBe('en');
    expect(mailLocale(null)).toBe('en');
    const reset = {
      kind: 'password_reset',
      name: 'Ana',
      link: 'https://desk.example.com/r?token=t',
      validMinutes: 60,
    } as const;
    expect(renderMail(reset, 'en', 'Acme Desk').subject).toBe('Reset your Acme Desk password');
    const zh = renderMail(reset, 'zh-CN', 'Acme Desk');
    expect(zh.subject).toBe('重置您的 Acme Desk 密码');
    expect(zh.text).toContain('1 小时内有效');
    expect(zh.html).toContain('<html lang="zh-CN">');
  });

  it('carries the link in the text and as the button, and escapes what people typed in the HTML', () => {
    const mail = renderMail(
      {
        kind: 'reply',
        name: 'Bo <b>',
        ticketNumber: 1042,
        subject: 'Video & sound "broken"',
        agentName: 'Alex',
        excerpt: 'Try <script>alert(1)</script>\nthen reload',
        link: 'https://desk.example.com/tickets/abc',
      },
      'en',
      'Livedesk',
    );
    expect(mail.subject).toBe('[Livedesk #1042] New reply: Video & sound "broken"');
    expect(mail.text).toContain('> Try <script>alert(1)</script>\n> then reload');
    expect(mail.text).toContain('https://desk.example.com/tickets/abc');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.html).toContain('Hello Bo &lt;b&gt;,');
    expect(mail.html).toContain('href="https://desk.example.com/tickets/abc"');
  });

  it('states how long an invitation works, in days when whole', () => {
    const invite = {
      kind: 'invitation',
      name: 'Li',
      invitedBy: 'Ada',
      link: 'https://x/a',
      validHours: 168,
    } as const;
    expect(renderMail(invite, 'en', 'Livedesk').text).toContain('for 7 days');
    expect(renderMail(invite, 'zh-CN', 'Livedesk').text).toContain('7 天内有效');
    expect(renderMail({ ...invite, validHours: 36 }, 'en', 'Livedesk').text).toContain('for 36 hours');
  });
});
