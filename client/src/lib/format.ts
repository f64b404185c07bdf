// Localized dates, relative times, durations and sizes. Intl does the work where the browser has
// it (Intl.DurationFormat is recent); otherwise a small formatter reads unit words from i18n.
import i18n, { currentLanguage } from '../i18n';

type DurationStyle = 'long' | 'short' | 'narrow';
const UNITS = ['days', 'hours', 'minutes', 'seconds'] as const;
type Unit = (typeof UNITS)[number];
const UNIT_SECONDS: Record<Unit, number> = { days: 86_400, hours: 3_600, minutes: 60, seconds: 1 };

/** Intl.DurationFormat is not in TypeScript's ES2023 lib yet; this is the slice we use. */
interface DurationFormatLike {
  format(duration: Partial<Record<Unit, number>>): string;
}
type DurationFormatCtor = new (
  locale: string,
  options: { style: DurationStyle; secondsDisplay?: 'always' | 'auto' },
) => DurationFormatLike;

/**
 * One formatter per language and options: making an Intl formatter costs far more than using it
 * (locale data is resolved each time), and a conversation or a queue formats hundreds of dates per
 * render (the agent's ticket page spent ~20 ms per render in formatDateTime alone, bench:join).
 */
const formatters = new Map<string, unknown>();
function cached<F>(key: string, make: () => F): F {
  let f = formatters.get(key) as F | undefined;
  if (f === undefined) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

function durationFormat(): DurationFormatCtor | undefined {
  return (Intl as unknown as { DurationFormat?: DurationFormatCtor }).DurationFormat;
}

/** Splits seconds into at most `maxUnits` adjacent units, largest first, zeros dropped. */
export function splitDuration(totalSeconds: number, maxUnits = 2): Partial<Record<Unit, number>> {
  let rest = Math.max(0, Math.round(Math.abs(totalSeconds)));
  const all: Array<[Unit, number]> = UNITS.map((unit) => {
    const value = Math.floor(rest / UNIT_SECONDS[unit]);
    rest -= value * UNIT_SECONDS[unit];
    return [unit, value];
  });
  const first = all.findIndex(([, v]) => v > 0);
  if (first === -1) return { seconds: 0 };
  return Object.fromEntries(all.slice(first, first + maxUnits).filter(([, v]) => v > 0));
}

/**
 * "1 min 12 s" / "1分钟12秒". Negative values are formatted by magnitude; the caller says
 * "overdue". `maxUnits` keeps badges short ("2 h 5 min", not "2 h 5 min 33 s").
 */
export function formatDuration(
  seconds: number,
  options: { style?: DurationStyle; maxUnits?: number; language?: string } = {},
): string {
  const style = options.style ?? 'short';
  const language = options.language ?? currentLanguage();
  const parts = splitDuration(seconds, options.maxUnits ?? 2);
  const Ctor = durationFormat();
  if (Ctor) {
    try {
      // DurationFormat leaves out units that are zero, which would make 0 s an empty string.
      const zero = Object.values(parts).every((value) => value === 0);
      return cached(
        `duration:${language}:${style}:${zero}`,
        () => new Ctor(language, { style, ...(zero ? { secondsDisplay: 'always' as const } : {}) }),
      ).format(parts);
    } catch {
      // Fall through to our own words.
    }
  }
  const t = i18n.getFixedT(language);
  return UNITS.filter((unit) => parts[unit] !== undefined)
    .map((unit) => t(`duration.${style === 'long' ? 'long' : 'short'}.${unit}`, { count: parts[unit] ?? 0 }))
    .join(t('duration.separator'));
}

const RELATIVE_STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.345],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/**
 * "2 minutes ago", "刚刚", for something that has happened. A time after `now` is shown as "just
 * now", never "in 12 seconds": pages pass a `now` from their last tick (useNow), so a message that
 * arrives between two ticks is newer than it, and the server's clock may run a little ahead.
 */
export function formatRelative(iso: string, now = Date.now(), language = currentLanguage()): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '—';
  let value = (time - now) / 1000;
  if (value > -10) return i18n.getFixedT(language)('time.justNow');
  const format = cached(
    `relative:${language}`,
    () => new Intl.RelativeTimeFormat(language, { numeric: 'auto' }),
  );
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(value) < size) return format.format(Math.round(value), unit);
    value /= size;
  }
  return format.format(Math.round(value), 'year');
}

export function formatDateTime(iso: string, language = currentLanguage()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return cached(
    `dateTime:${language}`,
    () => new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }),
  ).format(date);
}

export function formatTime(iso: string, language = currentLanguage()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return cached(`time:${language}`, () => new Intl.DateTimeFormat(language, { timeStyle: 'short' })).format(
    date,
  );
}

/** "512 bytes" / "1.5 kB" / "12 MB"; "512 字节" / "1.5 kB". */
export function formatBytes(bytes: number, language = currentLanguage()): string {
  // Intl's short "byte" unit does not take the plural ("512 byte"): words with a count read right.
  if (bytes < 1024) return i18n.getFixedT(language)('size.bytes', { count: bytes });
  const [value, unit] =
    bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'megabyte'] : [bytes / 1024, 'kilobyte'];
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value);
}

export function formatNumber(
  value: number,
  options: Intl.NumberFormatOptions = {},
  language = currentLanguage(),
) {
  return new Intl.NumberFormat(language, options).format(value);
}

/** A count that may have stopped at a cap: "1,000+" (the queue counts matches up to QUEUE_COUNT_CAP). */
export function formatCount(count: number, capped: boolean, language = currentLanguage()) {
  return `${formatNumber(count, {}, language)}${capped ? '+' : ''}`;
}
