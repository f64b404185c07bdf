// Business hours for the SLA clocks: which wall-clock spans count, in the policy's time zone.
// Pure (luxon only); used by the SLA evaluation (./evaluate.ts).
import { DateTime, IANAZone } from 'luxon';
import { SlaInputError } from './inputError';

/** An interval [start, end) of epoch milliseconds. */
export type Span = readonly [number, number];

/** 'HH:MM' in the policy's time zone; `end` may be '24:00' so a span can run to midnight. */
export interface BusinessSpan {
  readonly start: string;
  readonly end: string;
}

/** ISO weekday: 1 = Monday … 7 = Sunday (luxon's numbering, so no translation layer is needed). */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface BusinessHours {
  /** IANA zone name. The spans are local wall-clock times there, so DST shifts move them in UTC. */
  readonly timeZone: string;
  /** Days left out (or given an empty list) have no business time at all. */
  readonly weekly: Readonly<Partial<Record<IsoWeekday, ReadonlyArray<BusinessSpan>>>>;
  /** Local dates ('YYYY-MM-DD' in `timeZone`) with no business time at all, whatever the weekday. */
  readonly holidays?: ReadonlyArray<string>;
}

// ---------------------------------------------------------------------------------------------------
// Business hours. Spans are built per local calendar day with luxon, so a DST change shifts them in
// UTC and a span that contains the change is 1 h shorter or longer in real time, which is what is
// counted. A local time that does not exist (spring-forward gap) is moved forward by luxon.

export interface CompiledHours {
  zone: string;
  /** Index 1..7: sorted, non-overlapping [startMinute, endMinute) pairs. */
  byWeekday: Array<Array<readonly [number, number]>>;
  holidays: ReadonlySet<string>;
}

/** Far enough for any realistic ticket, finite so a schedule with no reachable span cannot hang us. */
const MAX_DAYS_SCANNED = 366 * 20;

export function compileBusinessHours(hours: BusinessHours): CompiledHours {
  if (typeof hours.timeZone !== 'string' || !IANAZone.isValidZone(hours.timeZone)) {
    throw new SlaInputError(
      `SLA policy: businessHours.timeZone ${String(hours.timeZone)} is not an IANA zone`,
    );
  }
  const byWeekday: CompiledHours['byWeekday'] = [[], [], [], [], [], [], [], []];
  let any = false;
  for (const [key, spans] of Object.entries(hours.weekly ?? {})) {
    const day = Number(key);
    if (!Number.isInteger(day) || day < 1 || day > 7) {
      throw new SlaInputError(`SLA policy: businessHours.weekly key ${key} is not an ISO weekday 1..7`);
    }
    const parsed = (spans ?? []).map((span) => {
      const start = minuteOfDay(span.start, false);
      const end = minuteOfDay(span.end, true);
      if (start === null || end === null || end <= start) {
        throw new SlaInputError(
          `SLA policy: businessHours span ${JSON.stringify(span)} on weekday ${day} must be ` +
            "'HH:MM' with start < end",
        );
      }
      return [start, end] as const;
    });
    parsed.sort((x, y) => x[0] - y[0]);
    parsed.forEach((span, i) => {
      const before = parsed[i - 1];
      if (before && span[0] < before[1]) {
        throw new SlaInputError(`SLA policy: businessHours spans overlap on weekday ${day}`);
      }
    });
    byWeekday[day] = parsed;
    if (parsed.length > 0) any = true;
  }
  if (!any) throw new SlaInputError('SLA policy: businessHours has no span at all; use null for 24/7');
  const holidays = new Set<string>();
  for (const date of hours.holidays ?? []) {
    if (typeof date !== 'string' || !DateTime.fromISO(date, { zone: 'utc' }).isValid || date.length !== 10) {
      throw new SlaInputError(`SLA policy: holiday ${String(date)} is not a date 'YYYY-MM-DD'`);
    }
    holidays.add(date);
  }
  return { zone: hours.timeZone, byWeekday, holidays };
}

function minuteOfDay(text: unknown, allowMidnightEnd: boolean): number | null {
  if (typeof text !== 'string') return null;
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const h = Number(match[1]);
  const m = Number(match[2]);
  if (allowMidnightEnd && h === 24 && m === 0) return 24 * 60;
  if (h > 23 || m > 59) return null;
  return h * 60 + m;
}

/** Business spans in wall time, in order, from the local day containing `fromMs` onwards. */
function* businessSpans(hours: CompiledHours, fromMs: number): Generator<Span> {
  const local = DateTime.fromMillis(fromMs, { zone: hours.zone });
  // Calendar arithmetic on a UTC date so stepping a day never lands in a DST gap.
  let day = DateTime.utc(local.year, local.month, local.day);
  for (let i = 0; i < MAX_DAYS_SCANNED; i++) {
    // `day` carries the zone's local calendar date, so its ISO date is the local one.
    const spans = hours.holidays.has(day.toISODate() ?? '') ? [] : (hours.byWeekday[day.weekday] ?? []);
    for (const [startMin, endMin] of spans) {
      const start = localInstant(hours.zone, day, startMin);
      const end = localInstant(hours.zone, day, endMin);
      if (end > start && end > fromMs) yield [Math.max(start, fromMs), end];
    }
    day = day.plus({ days: 1 });
  }
  throw new SlaInputError(`SLA policy: no business time found within ${MAX_DAYS_SCANNED} days`);
}

function localInstant(zone: string, day: DateTime, minute: number): number {
  const date = minute === 24 * 60 ? day.plus({ days: 1 }) : day;
  const m = minute === 24 * 60 ? 0 : minute;
  return DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day, hour: Math.floor(m / 60), minute: m % 60 },
    { zone },
  ).toMillis();
}

export function intersectWithBusiness(segments: Span[], hours: CompiledHours | null): Span[] {
  if (!hours) return segments;
  const out: Span[] = [];
  for (const [from, to] of segments) {
    for (const [s, e] of businessSpans(hours, from)) {
      if (s >= to) break;
      const end = Math.min(e, to);
      if (end > s) out.push([s, end]);
    }
  }
  return out;
}

/** The wall instant at which `neededMs` of counted time has accrued from `fromMs` with no pause. */
export function advance(hours: CompiledHours | null, fromMs: number, neededMs: number): number {
  if (!hours) return fromMs + neededMs;
  let left = neededMs;
  for (const [s, e] of businessSpans(hours, fromMs)) {
    if (e - s >= left) return s + left;
    left -= e - s;
  }
  throw new SlaInputError('SLA policy: business hours never reach the target');
}
