import fs from 'node:fs';
import type os from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, envSchema, loadConfig } from '../../server/config';

describe('loadConfig', () => {
  it('gives the embedded default with no environment at all', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database.kind).toBe('pglite');
    expect(config.seedDemo).toBe(true);
    expect(config.media.rtcMinPort).toBe(40000);
    expect(config.auth.tokenTtlSeconds).toBe(900);
    expect(config.auth.session).toEqual({ idleSeconds: 86_400, maxAgeSeconds: 604_800 });
  });

  it('switches to PostgreSQL and stops seeding demo accounts when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/test' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@127.0.0.1:5432/test' });
    expect(config.seedDemo).toBe(false);
  });

  it('names the bad variable in its error', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrowError(/PORT: /);
    expect(() => loadConfig({ JWT_TTL_SECONDS: '7200', SESSION_IDLE_TIMEOUT_SECONDS: '3600' })).toThrowError(
      /JWT_TTL_SECONDS: must not exceed SESSION_IDLE_TIMEOUT_SECONDS/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrowError(/DATABASE_URL: must be a postgres/);
    expect(() => loadConfig({ RTC_MIN_PORT: '5000', RTC_MAX_PORT: '4000' })).toThrowError(
      /RTC_MIN_PORT: must not exceed RTC_MAX_PORT/,
    );
  });

  it('writes mail to DATA_DIR/mail without SMTP, and reads SMTP from a URL or from its parts', () => {
    const folder = loadConfig({ DATA_DIR: '/srv/livedesk' }).mail;
    expect(folder.transport).toEqual({ kind: 'folder', dir: '/srv/livedesk/mail' });
    expect(folder).toMatchObject({
      passwordResetTtlMs: 3_600_000,
      invitationTtlMs: 604_800_000,
      signupDefault: true,
    });
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com' }).mail.transport).toEqual({
      kind: 'smtp',
      url: 'smtps://u:p@mail.example.com',
    });
    expect(
      loadConfig({ SMTP_HOST: 'mail.example.com', SMTP_PORT: '465', SMTP_USER: 'u' }).mail.transport,
    ).toEqual({
      kind: 'smtp',
      host: 'mail.example.com',
      port: 465,
      secure: true,
      user: 'u',
    });
    expect(loadConfig({ SMTP_HOST: 'mail.example.com' }).mail.transport).toMatchObject({
      port: 587,
      secure: false,
    });
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.com' })).toThrowError(
      /SMTP_URL: must be an smtp/,
    );
    expect(() => loadConfig({ SMTP_URL: 'smtp://a', SMTP_HOST: 'b' })).toThrowError(
      /SMTP_HOST: set either SMTP_URL/,
    );
    expect(loadConfig({ PUBLIC_URL: 'https://desk.example.com/' }).mail.linkBase).toBe(
      'https://desk.example.com',
    );
  });

  it('reports every problem at once', () => {
    try {
      loadConfig({ PORT: '-1', LOG_LEVEL: 'loud', JWT_SECRET: 'short' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(problems.sort()).toEqual(['JWT_SECRET', 'LOG_LEVEL', 'PORT']);
    }
  });

  it('requires a JWT secret in production and never seeds demo accounts there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrowError(/JWT_SECRET: is required/);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), SEED_DEMO: 'true' }),
    ).toThrowError(/SEED_DEMO/);
    const prod = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) });
    expect(prod.seedDemo).toBe(false);
  });

  describe('media addresses', () => {
    const iface = (address: string, internal = false): os.NetworkInterfaceInfo => ({
      address,
      family: 'IPv4',
      internal,
      netmask: '255.255.255.0',
      mac: '00:00:00:00:00:00',
      cidr: null,
    });
    const host: NodeJS.Dict<os.NetworkInterfaceInfo[]> = {
      lo: [iface('127.0.0.1', true)],
      eth0: [iface('192.168.1.20'), { ...iface('fe80::1'), family: 'IPv6', scopeid: 2 }],
      wlan0: [iface('10.0.0.7')],
      broken: [iface('169.254.3.4')],
    };

    it("listens on loopback and each of the host's own IPv4 addresses when nothing is set", () => {
      // The newcomer's `npm start`: no RTC_* at all. Each address is its own candidate, so a
      // browser on this machine and one on the LAN both get an address they can reach.
      const config = loadConfig({}, host);
      expect(config.media.addressSource).toBe('auto');
      expect(config.media.listenIps).toEqual([
        { ip: '127.0.0.1' },
        { ip: '192.168.1.20' },
        { ip: '10.0.0.7' },
      ]);
      expect(config.media.listenIps.some((a) => a.ip === '0.0.0.0')).toBe(false);
    });

    it('listens everywhere and announces RTC_ANNOUNCED_IP when only that is set', () => {
      expect(loadConfig({ RTC_ANNOUNCED_IP: '203.0.113.5' }, host).media).toMatchObject({
        addressSource: 'configured',
        listenIps: [{ ip: '0.0.0.0', announcedIp: '203.0.113.5' }],
      });
    });

    it('uses a specific RTC_LISTEN_IP as it is, announced when asked', () => {
      expect(loadConfig({ RTC_LISTEN_IP: '10.0.0.7' }, host).media.listenIps).toEqual([{ ip: '10.0.0.7' }]);
      expect(
        loadConfig({ RTC_LISTEN_IP: '10.0.0.7', RTC_ANNOUNCED_IP: '198.51.100.1' }, host).media.listenIps,
      ).toEqual([{ ip: '10.0.0.7', announcedIp: '198.51.100.1' }]);
    });

    it('refuses a wildcard listen address with nothing announced, naming the variable', () => {
      for (const wildcard of ['0.0.0.0', '::']) {
        expect(() => loadConfig({ RTC_LISTEN_IP: wildcard }, host)).toThrowError(
          /RTC_ANNOUNCED_IP: is required when RTC_LISTEN_IP is the wildcard/,
        );
      }
    });

    it('refuses addresses that are not IP addresses', () => {
      expect(() => loadConfig({ RTC_LISTEN_IP: 'eth0' }, host)).toThrowError(
        /RTC_LISTEN_IP: must be an IPv4/,
      );
      expect(() => loadConfig({ RTC_ANNOUNCED_IP: 'my host' }, host)).toThrowError(/RTC_ANNOUNCED_IP: /);
    });
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
  });

  it('is documented: .env.example lists exactly the variables the schema reads', () => {
    const example = fs.readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const documented = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(envSchema.shape).sort());
  });
});
