import type { Config } from './config';

/**
 * The human-facing start banner `npm start` prints on stdout: where Livedesk is, where its data
 * lives, where call media is reached (so a newcomer on another machine of the LAN knows which
 * address works, and an operator sees at once when it is not the one browsers can reach) and, on
 * the first start only, the demo passwords.
 */
export function startBanner(
  config: Pick<Config, 'database' | 'media'>,
  url: string,
  demoLogins: ReadonlyArray<{ label: string; email: string; password: string }>,
): string {
  const database =
    config.database.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.database.dir}`;
  const media = config.media;
  const addresses = media.listenIps.map((a) => a.announcedIp ?? a.ip).join(', ');
  const lines = [
    `\n  Livedesk is running at ${url}`,
    `  Database: ${database}`,
    `  Call media: ${addresses} (UDP/TCP ports ${media.rtcMinPort}-${media.rtcMaxPort})`,
  ];
  if (media.addressSource === 'auto') {
    lines.push(
      "             loopback and this host's own addresses; for a server on the internet set",
      '             RTC_ANNOUNCED_IP (see docs/operations.md)',
    );
  }
  if (demoLogins.length > 0) {
    lines.push('', '  Demo accounts (shown only this once; note them down):');
    for (const login of demoLogins) {
      lines.push(`    ${login.label.padEnd(12)} ${login.email.padEnd(28)} ${login.password}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
