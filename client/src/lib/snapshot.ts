// The problem snapshot: what an engineer would otherwise have to ask the customer for, collected
// from the browser when a ticket is opened. Framework-free and permission-free: nothing here shows
// a prompt (device *kinds* are listed without asking for the camera or microphone).
// The server validates the same shape strictly (server/tickets/schemas.ts `snapshotSchema`):
// unknown keys are refused, so every field here is one the server knows, bounded to its limits.

export interface ProblemSnapshot {
  browser?: string;
  browserVersion?: string;
  os?: string;
  userAgent?: string;
  screen?: { width: number; height: number; pixelRatio?: number };
  language?: string;
  languages?: string[];
  timeZone?: string;
  network?: { effectiveType?: string; downlinkMbps?: number; rttMs?: number; online?: boolean };
  devices?: { camera?: boolean; microphone?: boolean };
  capturedAt?: string;
}

/** The Network Information API (Chromium only), which TypeScript's DOM types do not describe. */
interface NetworkInformationLike {
  effectiveType?: string;
  downlink?: number;
  rtt?: number;
}

interface UserAgentDataLike {
  brands?: Array<{ brand: string; version: string }>;
  platform?: string;
}

/** What `captureSnapshot` reads; the browser's globals by default, fakes in tests. */
export interface SnapshotEnvironment {
  navigator: Pick<Navigator, 'userAgent' | 'language' | 'languages' | 'onLine'> & {
    connection?: NetworkInformationLike;
    userAgentData?: UserAgentDataLike;
    mediaDevices?: Pick<MediaDevices, 'enumerateDevices'>;
  };
  screen: Pick<Screen, 'width' | 'height'>;
  devicePixelRatio: number;
  timeZone: () => string | undefined;
  now: () => Date;
}

function browserEnvironment(): SnapshotEnvironment {
  return {
    navigator: navigator as SnapshotEnvironment['navigator'],
    screen: window.screen,
    devicePixelRatio: window.devicePixelRatio,
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    now: () => new Date(),
  };
}

/** Listing devices is normally instant; a stuck media stack must never hold up opening a ticket. */
const DEVICE_TIMEOUT_MS = 1_500;

// The server's limits (characters) for each text field.
const LIMITS = { browser: 80, browserVersion: 40, os: 80, userAgent: 512, language: 35, timeZone: 64 };
const MAX_LANGUAGES = 20;

const clip = (value: string | undefined, max: number): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, max) : undefined;
};

const finiteIn = (value: unknown, min: number, max: number): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : undefined;

/** Drops `undefined` members (and objects left empty) so the JSON holds only what was learnt. */
function compact<T extends object>(value: T): T | undefined {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length > 0 ? (Object.fromEntries(entries) as T) : undefined;
}

interface BrowserInfo {
  browser?: string;
  browserVersion?: string;
  os?: string;
}

// Order matters: Edge and Opera also say "Chrome", and Chrome also says "Safari".
const BROWSER_PATTERNS: Array<[name: string, pattern: RegExp]> = [
  ['Edge', /Edg(?:e|A|iOS)?\/([\d.]+)/],
  ['Opera', /(?:OPR|Opera)\/([\d.]+)/],
  ['Samsung Internet', /SamsungBrowser\/([\d.]+)/],
  ['Firefox', /(?:Firefox|FxiOS)\/([\d.]+)/],
  ['Chrome (headless)', /HeadlessChrome\/([\d.]+)/],
  ['Chrome', /(?:Chrome|CriOS)\/([\d.]+)/],
  ['Safari', /Version\/([\d.]+).*Safari\//],
];

const OS_PATTERNS: Array<[pattern: RegExp, name: (m: RegExpMatchArray) => string]> = [
  [/Windows NT 10\.0/, () => 'Windows 10/11'],
  [/Windows NT ([\d.]+)/, (m) => `Windows NT ${m[1]}`],
  [/(?:iPhone|iPad|iPod).*? OS ([\d_]+)/, (m) => `iOS ${m[1]!.replace(/_/g, '.')}`],
  [/Mac OS X ([\d_.]+)/, (m) => `macOS ${m[1]!.replace(/_/g, '.')}`],
  [/Android ([\d.]+)/, (m) => `Android ${m[1]}`],
  [/CrOS/, () => 'ChromeOS'],
  [/Linux/, () => 'Linux'],
];

/**
 * Browser, version and OS from the user-agent string (every browser has one). Where the browser
 * offers User-Agent Client Hints, their brand and platform are preferred: Chromium freezes parts
 * of the UA string.
 */
export function describeBrowser(userAgent: string, uaData?: UserAgentDataLike): BrowserInfo {
  const info: BrowserInfo = {};
  for (const [name, pattern] of BROWSER_PATTERNS) {
    const match = userAgent.match(pattern);
    if (match) {
      info.browser = name;
      info.browserVersion = match[1];
      break;
    }
  }
  // Client hints list a real brand next to "Chromium" and a deliberately odd "Not A;Brand".
  const brand = uaData?.brands?.find((b) => !/not.?a.?brand|chromium/i.test(b.brand));
  if (brand && !info.browser?.includes('headless')) {
    const name = brand.brand.replace(/^Google /, '').replace(/^Microsoft /, '');
    info.browser = name;
    // The UA string's version is the full one (156.0.1234.5); keep it when the majors agree.
    if (!info.browserVersion?.startsWith(`${brand.version}.`)) info.browserVersion = brand.version;
  }
  for (const [pattern, name] of OS_PATTERNS) {
    const match = userAgent.match(pattern);
    if (match) {
      info.os = name(match);
      break;
    }
  }
  if (!info.os && uaData?.platform) info.os = uaData.platform;
  return info;
}

async function detectDevices(
  mediaDevices: SnapshotEnvironment['navigator']['mediaDevices'],
): Promise<ProblemSnapshot['devices']> {
  if (!mediaDevices?.enumerateDevices) return undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const devices = await Promise.race([
      mediaDevices.enumerateDevices(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('enumerateDevices timed out')), DEVICE_TIMEOUT_MS);
      }),
    ]);
    // Without permission the labels are empty, but the kinds are there: that is all we need.
    return {
      camera: devices.some((d) => d.kind === 'videoinput'),
      microphone: devices.some((d) => d.kind === 'audioinput'),
    };
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** Collects the snapshot. Never rejects: a field the browser does not tell is simply left out. */
export async function captureSnapshot(
  env: SnapshotEnvironment = browserEnvironment(),
): Promise<ProblemSnapshot> {
  const nav = env.navigator;
  const userAgent = nav.userAgent ?? '';
  const { browser, browserVersion, os } = describeBrowser(userAgent, nav.userAgentData);
  const connection = nav.connection;
  let timeZone: string | undefined;
  try {
    timeZone = env.timeZone();
  } catch {
    timeZone = undefined;
  }
  const width = finiteIn(Math.round(env.screen.width), 0, 100_000);
  const height = finiteIn(Math.round(env.screen.height), 0, 100_000);
  const pixelRatio = finiteIn(env.devicePixelRatio, 0, 16);

  const snapshot: ProblemSnapshot = {
    browser: clip(browser, LIMITS.browser),
    browserVersion: clip(browserVersion, LIMITS.browserVersion),
    os: clip(os, LIMITS.os),
    userAgent: clip(userAgent, LIMITS.userAgent),
    screen:
      width !== undefined && height !== undefined
        ? compact({ width, height, pixelRatio: pixelRatio === undefined ? undefined : round(pixelRatio, 2) })
        : undefined,
    language: clip(nav.language, LIMITS.language),
    languages: nav.languages
      ?.map((l) => clip(l, LIMITS.language))
      .filter((l): l is string => l !== undefined)
      .slice(0, MAX_LANGUAGES),
    timeZone: clip(timeZone, LIMITS.timeZone),
    network: compact({
      effectiveType: clip(connection?.effectiveType, 16),
      downlinkMbps: finiteIn(connection?.downlink, 0, 100_000),
      rttMs: finiteIn(connection?.rtt, 0, 600_000),
      online: typeof nav.onLine === 'boolean' ? nav.onLine : undefined,
    }),
    devices: await detectDevices(nav.mediaDevices),
    capturedAt: env.now().toISOString(),
  };
  if (snapshot.languages?.length === 0) snapshot.languages = undefined;
  return compact(snapshot) ?? {};
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Reads a stored snapshot (the server hands it back as an untyped record) defensively. */
export function readSnapshot(value: Record<string, unknown> | null | undefined): ProblemSnapshot | null {
  if (!value || typeof value !== 'object') return null;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const bool = (v: unknown) => (typeof v === 'boolean' ? v : undefined);
  const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);
  const screen = obj(value.screen);
  const network = obj(value.network);
  const devices = obj(value.devices);
  const width = num(screen?.width);
  const height = num(screen?.height);
  return {
    browser: str(value.browser),
    browserVersion: str(value.browserVersion),
    os: str(value.os),
    userAgent: str(value.userAgent),
    screen:
      width !== undefined && height !== undefined
        ? { width, height, pixelRatio: num(screen?.pixelRatio) }
        : undefined,
    language: str(value.language),
    languages: Array.isArray(value.languages)
      ? value.languages.filter((l): l is string => typeof l === 'string')
      : undefined,
    timeZone: str(value.timeZone),
    network: network
      ? {
          effectiveType: str(network.effectiveType),
          downlinkMbps: num(network.downlinkMbps),
          rttMs: num(network.rttMs),
          online: bool(network.online),
        }
      : undefined,
    devices: devices ? { camera: bool(devices.camera), microphone: bool(devices.microphone) } : undefined,
    capturedAt: str(value.capturedAt),
  };
}
