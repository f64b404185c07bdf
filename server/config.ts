import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** Turns "", "1", "true", "yes" style env values into booleans; anything else is an error. */
const envBoolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(0).max(65535);

/**
 * Every environment variable Livedesk reads, with its default. `.env.example` lists the same set;
 * a test keeps the two in step.
 */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: port.default(3000),
    PUBLIC_URL: z.url().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: envBoolean.default(false),
    ALLOWED_ORIGINS: z
      .string()
      .refine(
        (v) => v.split(',').every((o) => isOrigin(o.trim())),
        'comma-separated origins such as https://www.example.com (scheme, host and port only)',
      )
      .optional(),

    DATA_DIR: z.string().min(1).default('./data'),
    /**
     * For profiling (benchmarks): a file the embedded database's thread rewrites every 2 s with
     * its own time per statement text. Unset in production.
     */
    PGLITE_STATEMENT_STATS: z.string().min(1).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,40}$/, 'letters, digits, :, _ and - only')
      .default('livedesk'),

    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    // The access token's lifetime; the client renews it ahead of expiry while the session lives.
    JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
    SESSION_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(60).max(31_536_000).default(86_400),
    SESSION_MAX_AGE_SECONDS: z.coerce.number().int().min(60).max(31_536_000).default(604_800),
    SEED_DEMO: z.enum(['auto', 'true', 'false']).default('auto'),
    DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),

    LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(20),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
    LOGIN_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
    LOGIN_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),

    CHAT_MESSAGES_PER_TEN_SECONDS: z.coerce.number().int().min(1).default(10),
    CHAT_MESSAGE_BURST: z.coerce.number().int().min(0).default(20),
    TYPING_EVENTS_PER_TEN_SECONDS: z.coerce.number().int().min(1).default(20),
    BOARD_IMAGES_PER_MINUTE: z.coerce.number().int().min(1).default(10),
    BOARD_IMAGE_BYTES_PER_MINUTE: z.coerce.number().int().min(1024).default(20_971_520),
    UPLOADS_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    UPLOAD_UNCLAIMED_QUOTA_BYTES: z.coerce.number().int().min(1024).default(52_428_800),
    UPLOAD_UNCLAIMED_TTL_HOURS: z.coerce.number().min(0.01).max(8760).default(24),

    ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(1_073_741_824).default(10_485_760),
    SLA_CHECK_INTERVAL_SECONDS: z.coerce.number().min(0).max(3600).default(15),

    CALL_RING_SECONDS: z.coerce.number().min(1).max(600).default(60),
    // Staff presence: a tab with no keyboard, pointer or focus activity for this long counts as
    // idle; a person whose tabs are all idle shows as away (and gets no auto-assigned tickets).
    PRESENCE_IDLE_SECONDS: z.coerce.number().min(1).max(86_400).default(300),
    CALL_REJOIN_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(30),
    TURN_URLS: z
      .string()
      .regex(
        /^(turns?|stun):[^,\s]+(,(turns?|stun):[^,\s]+)*$/,
        'comma-separated turn:, turns: or stun: URLs',
      )
      .optional(),
    TURN_USERNAME: z.string().optional(),
    TURN_CREDENTIAL: z.string().optional(),

    RECORDING_AUTO_PRIORITIES: z
      .string()
      .regex(/^(P[1-4](,P[1-4])*)?$/, 'comma-separated priorities, e.g. P1,P2')
      .default('P1'),
    RECORDING_AUTO_TIERS: z
      .string()
      .regex(/^(L[1-3](,L[1-3])*)?$/, 'comma-separated tiers, e.g. L3')
      .default('L3'),
    RECORDING_CONSENT_TEXT: z
      .string()
      .min(1)
      .max(500)
      .default('This call is being recorded for quality and training purposes.'),
    RECORDING_REQUIRE_CONSENT: envBoolean.default(false),
    RECORDING_RUBRIC: z
      .string()
      .regex(/^[a-z0-9_]+(,[a-z0-9_]+)*$/, 'comma-separated criterion ids (a-z, 0-9, _)')
      .default('greeting,diagnosis,clarity,resolution,empathy'),
    RECORDING_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(90),

    /** How long a CSAT answer (ticket or call) can be changed after it was first given. */
    CSAT_CHANGE_WINDOW_DAYS: z.coerce.number().min(0).max(365).default(7),
    /** The deadline of a low-score follow-up, from the rating that opened it. */
    FOLLOW_UP_DUE_HOURS: z.coerce
      .number()
      .min(0.01)
      .max(24 * 90)
      .default(24),
    /** A customer is asked the NPS question at most once per this many days. */
    NPS_PERIOD_DAYS: z.coerce.number().min(1).max(3650).default(90),

    /**
     * Outgoing mail. SMTP_URL (smtp://user:pass@host:587, smtps://… for implicit TLS) or the
     * SMTP_HOST group; with neither, mails are written to <DATA_DIR>/mail as .eml files.
     */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    SMTP_HOST: z.string().min(1).optional(),
    SMTP_PORT: port.optional(),
    SMTP_SECURE: envBoolean.optional(),
    SMTP_USER: z.string().optional(),
    SMTP_PASS: z.string().optional(),
    MAIL_FROM: z.string().min(3).default('Livedesk <livedesk@localhost>'),
    MAIL_PRODUCT_NAME: z.string().min(1).max(60).default('Livedesk'),
    /** How long a password-reset link works. */
    PASSWORD_RESET_LINK_MINUTES: z.coerce.number().min(1).max(10_080).default(60),
    /** How long an invitation (set-your-password) link works. */
    INVITATION_LINK_HOURS: z.coerce.number().min(1).max(2160).default(168),
    /** At most one "new reply" mail per ticket and customer in this many minutes. */
    REPLY_MAIL_COALESCE_MINUTES: z.coerce.number().min(0).max(1440).default(10),
    /** Whether customers may create their own account until an admin says otherwise (stored setting). */
    SIGNUP_DEFAULT: envBoolean.default(true),

    MEDIASOUP_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
    MEDIASOUP_LOG_LEVEL: z.enum(['debug', 'warn', 'error', 'none']).default('warn'),
    RTC_LISTEN_IP: z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' }).optional(),
    RTC_ANNOUNCED_IP: z
      .union([z.ipv4(), z.ipv6()], { error: 'must be the IPv4 or IPv6 address browsers reach' })
      .optional(),
    RTC_MIN_PORT: port.default(40000),
    RTC_MAX_PORT: port.default(49999),
  })
  .superRefine((env, ctx) => {
    if (env.RTC_MIN_PORT > env.RTC_MAX_PORT) {
      ctx.addIssue({
        code: 'custom',
        path: ['RTC_MIN_PORT'],
        message: `must not exceed RTC_MAX_PORT (${env.RTC_MAX_PORT})`,
      });
    }
    if (env.RTC_LISTEN_IP && isWildcard(env.RTC_LISTEN_IP) && !env.RTC_ANNOUNCED_IP) {
      // mediasoup would hand browsers `0.0.0.0` as the media address, which no browser can reach:
      // every call would hang on "Connecting…". Refuse instead of starting a desk whose calls fail.
      ctx.addIssue({
        code: 'custom',
        path: ['RTC_ANNOUNCED_IP'],
        message:
          `is required when RTC_LISTEN_IP is the wildcard ${env.RTC_LISTEN_IP}: browsers cannot reach it. ` +
          'Set RTC_ANNOUNCED_IP to the address browsers reach, or unset RTC_LISTEN_IP to listen on ' +
          "loopback and this host's own addresses",
      });
    }
    if (env.JWT_TTL_SECONDS > env.SESSION_IDLE_TIMEOUT_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_TTL_SECONDS'],
        message: `must not exceed SESSION_IDLE_TIMEOUT_SECONDS (${env.SESSION_IDLE_TIMEOUT_SECONDS})`,
      });
    }
    if (env.SMTP_URL && env.SMTP_HOST) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_HOST'],
        message: 'set either SMTP_URL or SMTP_HOST (with SMTP_PORT, SMTP_USER, SMTP_PASS), not both',
      });
    }
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'is required when NODE_ENV=production',
      });
    }
    if (env.NODE_ENV === 'production' && env.SEED_DEMO === 'true') {
      ctx.addIssue({
        code: 'custom',
        path: ['SEED_DEMO'],
        message: 'demo accounts are never created when NODE_ENV=production',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** `https://host[:port]` and nothing more: what a browser sends as `Origin`. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '');
  } catch {
    return false;
  }
}

/**
 * The origins other than the app's own whose pages may open a socket: ALLOWED_ORIGINS, plus
 * PUBLIC_URL's origin (the app's own name behind a proxy, which may differ from the Host header).
 */
function allowedOrigins(env: Pick<Env, 'ALLOWED_ORIGINS' | 'PUBLIC_URL'>): string[] {
  const listed = env.ALLOWED_ORIGINS?.split(',').map((o) => new URL(o.trim()).origin) ?? [];
  const own = env.PUBLIC_URL ? [new URL(env.PUBLIC_URL).origin] : [];
  return [...new Set([...own, ...listed])];
}

function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::' || ip === '0:0:0:0:0:0:0:0';
}

/** One address mediasoup listens on for WebRTC, and the one it tells browsers when they differ. */
export interface MediaListenAddress {
  ip: string;
  announcedIp?: string;
}

/**
 * Where WebRTC media listens, from RTC_LISTEN_IP / RTC_ANNOUNCED_IP:
 * - neither set (the `npm start` default): loopback plus each IPv4 address of this host's own
 *   interfaces, each listened on directly so the candidate a browser gets is that very address.
 *   A browser on this machine reaches 127.0.0.1, one on the LAN reaches the host's LAN address.
 * - RTC_ANNOUNCED_IP only: listen on every interface, tell browsers the announced address
 *   (a server behind NAT, or a container).
 * - RTC_LISTEN_IP (not a wildcard): that address, announced as RTC_ANNOUNCED_IP when set.
 * A wildcard listen address with nothing announced is refused by the schema above.
 */
export function resolveMediaAddresses(
  env: Pick<Env, 'RTC_LISTEN_IP' | 'RTC_ANNOUNCED_IP'>,
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>,
): { source: 'auto' | 'configured'; listenIps: MediaListenAddress[] } {
  const announced = env.RTC_ANNOUNCED_IP;
  if (env.RTC_LISTEN_IP) {
    return {
      source: 'configured',
      listenIps: [announced ? { ip: env.RTC_LISTEN_IP, announcedIp: announced } : { ip: env.RTC_LISTEN_IP }],
    };
  }
  if (announced) {
    return { source: 'configured', listenIps: [{ ip: '0.0.0.0', announcedIp: announced }] };
  }
  const own = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    // Link-local (169.254/16) addresses only exist when DHCP failed; nobody reaches them.
    .filter((info) => info.family === 'IPv4' && !info.internal && !info.address.startsWith('169.254.'))
    .map((info) => info.address);
  const ips = [...new Set(['127.0.0.1', ...own])];
  return { source: 'auto', listenIps: ips.map((ip) => ({ ip })) };
}

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  publicUrl: string | undefined;
  logLevel: Env['LOG_LEVEL'];
  trustProxy: boolean;
  /**
   * Origins besides the app's own (the request's host) whose pages may open a socket; see
   * `allowedOrigins`. A request without `Origin` (not a browser) is not checked.
   */
  allowedOrigins: string[];
  dataDir: string;
  database:
    | { kind: 'pglite'; dir: string | null; statementStatsFile?: string }
    | { kind: 'postgres'; url: string };
  redis: { url: string; keyPrefix: string } | undefined;
  auth: {
    /** Undefined means: generate one and keep it in the data directory (embedded default). */
    jwtSecret: string | undefined;
    tokenTtlSeconds: number;
    /** A session (refresh token) ends after this long unused, and at the latest after `maxAgeSeconds`. */
    session: { idleSeconds: number; maxAgeSeconds: number };
    login: LoginLimits;
  };
  attachments: {
    maxBytes: number;
    /** Uploads per person and minute. */
    perMinute: number;
    /** Bytes a person may hold in uploads no ticket or message has claimed yet. */
    unclaimedQuotaBytes: number;
    /** Unclaimed uploads older than this are deleted, file and row. */
    unclaimedTtlMs: number;
  };
  /** Per-person limits on the live paths, kept in memory on each node (see docs/decisions.md). */
  limits: UserLimitsConfig;
  /** 0 disables the periodic SLA pass (tests drive it by hand). */
  sla: { intervalMs: number };
  /** Staff presence: idle time after which a tab counts as idle. */
  presence: { idleMs: number };
  calls: {
    ringMs: number;
    rejoinGraceMs: number;
    iceServers: Array<{ urls: string[]; username?: string; credential?: string }>;
  };
  recordings: {
    dir: string;
    autoPriorities: Array<'P1' | 'P2' | 'P3' | 'P4'>;
    autoTiers: Array<'L1' | 'L2' | 'L3'>;
    consentText: string;
    requireConsent: boolean;
    rubric: Array<{ id: string; label: string }>;
    retentionDays: number;
  };
  feedback: { changeWindowMs: number; followUpDueMs: number; npsPeriodMs: number };
  mail: MailConfig;
  seedDemo: boolean;
  demoPassword: string | undefined;
  media: {
    numWorkers: number;
    logLevel: Env['MEDIASOUP_LOG_LEVEL'];
    /** Where media listens; see resolveMediaAddresses. */
    listenIps: MediaListenAddress[];
    /** 'auto' when no RTC_* address was set and the host's own addresses were taken. */
    addressSource: 'auto' | 'configured';
    rtcMinPort: number;
    rtcMaxPort: number;
  };
}

/** Where mail goes: an SMTP server, or (no SMTP configured) .eml files in a folder. */
export type MailTransportConfig =
  | { kind: 'smtp'; url: string }
  | { kind: 'smtp'; host: string; port: number; secure: boolean; user?: string; pass?: string }
  | { kind: 'folder'; dir: string };

export interface MailConfig {
  transport: MailTransportConfig;
  from: string;
  productName: string;
  /** The origin links in mails point at: PUBLIC_URL; unset, the address the server listens on. */
  linkBase: string | undefined;
  passwordResetTtlMs: number;
  invitationTtlMs: number;
  replyCoalesceMs: number;
  signupDefault: boolean;
}

export interface LoginLimits {
  /** Failed sign-ins from one address (any account) before each further one waits longer. */
  maxFailuresPerIp: number;
  /** Failed sign-ins to one account from one address before each further one waits longer. */
  maxFailuresPerAccount: number;
  /** How long failures are remembered. */
  windowSeconds: number;
  /** The longest wait the growing delays reach. */
  maxDelaySeconds: number;
}

export interface UserLimitsConfig {
  /** Messages per 10 s once a burst is spent, and the burst (refilled every minute). */
  chat: { per10Seconds: number; burst: number };
  /** Typing updates relayed per 10 s; more are dropped. */
  typingPer10Seconds: number;
  /** Whiteboard backgrounds (frozen screen frames) per minute: how many and how many bytes. */
  boardImages: { perMinute: number; bytesPerMinute: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once at start. The error names each bad variable, so an operator
 * sees `PORT: expected a number` instead of a crash somewhere later.
 */
export function loadConfig(
  source: NodeJS.ProcessEnv = process.env,
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
): Config {
  // Empty strings mean "unset": that is what `FOO=` in a .env file or a compose file produces.
  const raw = Object.fromEntries(
    Object.entries(source).filter(([key, value]) => key in envSchema.shape && value !== ''),
  );
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`),
    );
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  const embedded = !env.DATABASE_URL;
  const mediaAddresses = resolveMediaAddresses(env, interfaces);
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    publicUrl: env.PUBLIC_URL,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    allowedOrigins: allowedOrigins(env),
    dataDir,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL }
      : {
          kind: 'pglite',
          dir: path.join(dataDir, 'db'),
          statementStatsFile: env.PGLITE_STATEMENT_STATS,
        },
    redis: env.REDIS_URL ? { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX } : undefined,
    auth: {
      jwtSecret: env.JWT_SECRET,
      tokenTtlSeconds: env.JWT_TTL_SECONDS,
      session: { idleSeconds: env.SESSION_IDLE_TIMEOUT_SECONDS, maxAgeSeconds: env.SESSION_MAX_AGE_SECONDS },
      login: {
        maxFailuresPerIp: env.LOGIN_MAX_FAILURES_PER_IP,
        maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
        windowSeconds: env.LOGIN_RATE_WINDOW_SECONDS,
        maxDelaySeconds: env.LOGIN_MAX_DELAY_SECONDS,
      },
    },
    attachments: {
      maxBytes: env.ATTACHMENT_MAX_BYTES,
      perMinute: env.UPLOADS_PER_MINUTE,
      unclaimedQuotaBytes: env.UPLOAD_UNCLAIMED_QUOTA_BYTES,
      unclaimedTtlMs: Math.round(env.UPLOAD_UNCLAIMED_TTL_HOURS * 3_600_000),
    },
    limits: {
      chat: { per10Seconds: env.CHAT_MESSAGES_PER_TEN_SECONDS, burst: env.CHAT_MESSAGE_BURST },
      typingPer10Seconds: env.TYPING_EVENTS_PER_TEN_SECONDS,
      boardImages: {
        perMinute: env.BOARD_IMAGES_PER_MINUTE,
        bytesPerMinute: env.BOARD_IMAGE_BYTES_PER_MINUTE,
      },
    },
    recordings: {
      dir: path.join(dataDir, 'recordings'),
      autoPriorities: (env.RECORDING_AUTO_PRIORITIES
        ? env.RECORDING_AUTO_PRIORITIES.split(',')
        : []) as Array<'P1' | 'P2' | 'P3' | 'P4'>,
      autoTiers: (env.RECORDING_AUTO_TIERS ? env.RECORDING_AUTO_TIERS.split(',') : []) as Array<
        'L1' | 'L2' | 'L3'
      >,
      consentText: env.RECORDING_CONSENT_TEXT,
      requireConsent: env.RECORDING_REQUIRE_CONSENT,
      rubric: env.RECORDING_RUBRIC.split(',').map((id) => ({
        id,
        label: id.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase()),
      })),
      retentionDays: env.RECORDING_RETENTION_DAYS,
    },
    calls: {
      ringMs: Math.round(env.CALL_RING_SECONDS * 1000),
      rejoinGraceMs: Math.round(env.CALL_REJOIN_GRACE_SECONDS * 1000),
      iceServers: env.TURN_URLS
        ? [
            {
              urls: env.TURN_URLS.split(','),
              ...(env.TURN_USERNAME ? { username: env.TURN_USERNAME } : {}),
              ...(env.TURN_CREDENTIAL ? { credential: env.TURN_CREDENTIAL } : {}),
            },
          ]
        : [],
    },
    sla: { intervalMs: Math.round(env.SLA_CHECK_INTERVAL_SECONDS * 1000) },
    presence: { idleMs: Math.round(env.PRESENCE_IDLE_SECONDS * 1000) },
    feedback: {
      changeWindowMs: Math.round(env.CSAT_CHANGE_WINDOW_DAYS * 86_400_000),
      followUpDueMs: Math.round(env.FOLLOW_UP_DUE_HOURS * 3_600_000),
      npsPeriodMs: Math.round(env.NPS_PERIOD_DAYS * 86_400_000),
    },
    mail: {
      transport: mailTransport(env, dataDir),
      from: env.MAIL_FROM,
      productName: env.MAIL_PRODUCT_NAME,
      linkBase: env.PUBLIC_URL?.replace(/\/$/, ''),
      passwordResetTtlMs: Math.round(env.PASSWORD_RESET_LINK_MINUTES * 60_000),
      invitationTtlMs: Math.round(env.INVITATION_LINK_HOURS * 3_600_000),
      replyCoalesceMs: Math.round(env.REPLY_MAIL_COALESCE_MINUTES * 60_000),
      signupDefault: env.SIGNUP_DEFAULT,
    },
    seedDemo:
      env.SEED_DEMO === 'true' || (env.SEED_DEMO === 'auto' && embedded && env.NODE_ENV !== 'production'),
    demoPassword: env.DEMO_PASSWORD,
    media: {
      numWorkers: env.MEDIASOUP_WORKERS ?? Math.max(1, os.availableParallelism()),
      logLevel: env.MEDIASOUP_LOG_LEVEL,
      listenIps: mediaAddresses.listenIps,
      addressSource: mediaAddresses.source,
      rtcMinPort: env.RTC_MIN_PORT,
      rtcMaxPort: env.RTC_MAX_PORT,
    },
  };
}

function mailTransport(env: Env, dataDir: string): MailTransportConfig {
  if (env.SMTP_URL) return { kind: 'smtp', url: env.SMTP_URL };
  if (env.SMTP_HOST) {
    const port = env.SMTP_PORT ?? 587;
    return {
      kind: 'smtp',
      host: env.SMTP_HOST,
      port,
      // Port 465 is implicit TLS; others upgrade with STARTTLS when the server offers it.
      secure: env.SMTP_SECURE ?? port === 465,
      ...(env.SMTP_USER ? { user: env.SMTP_USER } : {}),
      ...(env.SMTP_PASS ? { pass: env.SMTP_PASS } : {}),
    };
  }
  return { kind: 'folder', dir: path.join(dataDir, 'mail') };
}
