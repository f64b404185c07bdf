import type { Channel, Priority, Tier } from '../../../signaling/shared/domain';

export const PRESETS = ['7', '30', '90', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

export interface ReportFilters {
  preset: Preset;
  /** Custom range: first and last day (YYYY-MM-DD, both included), in the viewer's zone. */
  start: string | null;
  end: string | null;
  tier: Tier | null;
  priority: Priority | null;
  channel: Channel | null;
  category: string | null;
  agent: string | null;
}

export const FILTER_KEYS = [
  'preset',
  'start',
  'end',
  'tier',
  'priority',
  'channel',
  'category',
  'agent',
] as const;

/** The viewer's zone: days on the chart are the days they live in. */
export const viewerTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const startOfLocalDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate());
const parseDay = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1);
};

/**
 * The instants [from, to) of the filters: a preset is the last N days including today (so today's
 * tickets show up), a custom range its days from midnight to the midnight after the last one.
 * null while a custom range is incomplete.
 */
export function rangeOf(f: ReportFilters, now = new Date()): { from: Date; to: Date } | null {
  if (f.preset === 'custom') {
    if (!f.start || !f.end) return null;
    const from = parseDay(f.start);
    const to = parseDay(f.end);
    to.setDate(to.getDate() + 1);
    return to > from ? { from, to } : null;
  }
  const to = startOfLocalDay(now);
  to.setDate(to.getDate() + 1);
  const from = new Date(to);
  from.setDate(from.getDate() - Number(f.preset));
  return { from, to };
}

/** The API query string of the filters (range, zone, filters), or null while incomplete. */
export function queryOf(f: ReportFilters, now = new Date()): string | null {
  const range = rangeOf(f, now);
  if (!range) return null;
  const params = new URLSearchParams({
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    tz: viewerTimeZone(),
  });
  for (const key of ['tier', 'priority', 'channel', 'category', 'agent'] as const) {
    const value = f[key];
    if (value) params.set(key, value);
  }
  return params.toString();
}
