import { z } from 'zod';
import { CHANNELS, PRIORITIES, TIERS } from '../../signaling/shared/domain';
import { REPORT_BUCKETS, REPORT_METRICS, type ReportBucket } from '../../signaling/shared/reports';
import { text } from '../validation';

/** The longest range a report answers: a year and a bit (a leap year plus a week of slack). */
export const MAX_RANGE_DAYS = 400;
const DAY_MS = 86_400_000;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const instant = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z',
});

const rangeShape = {
  from: instant,
  to: instant,
  tz: text().max(64).refine(isTimeZone, 'must be an IANA time zone, e.g. Asia/Shanghai').default('UTC'),
  bucket: z.enum(REPORT_BUCKETS).optional(),
  tier: z.enum(TIERS).optional(),
  priority: z.enum(PRIORITIES).optional(),
  channel: z.enum(CHANNELS).optional(),
  category: text().trim().min(1).max(100).optional(),
  agent: z.uuid('must be a user id').optional(),
};

type RangeInput = z.output<z.ZodObject<typeof rangeShape>>;

function checkRange(q: RangeInput, ctx: z.RefinementCtx): void {
  const from = Date.parse(q.from);
  const to = Date.parse(q.to);
  // A date that did not parse already has its own issue.
  if (Number.isNaN(from) || Number.isNaN(to)) return;
  if (!(to > from)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  else if (to - from > MAX_RANGE_DAYS * DAY_MS)
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `the range may span at most ${MAX_RANGE_DAYS} days`,
    });
}

function toRange<T extends RangeInput>(
  q: T,
): Omit<T, 'from' | 'to' | 'bucket'> & { from: Date; to: Date; bucket: ReportBucket } {
  return {
    ...q,
    from: new Date(q.from),
    to: new Date(q.to),
    // Weeks once a range is longer than ~13 weeks: a 90-day chart of days is still readable.
    bucket:
      q.bucket ??
      (Date.parse(q.to) - Date.parse(q.from) > 92 * DAY_MS ? ('week' as const) : ('day' as const)),
  };
}

/** The range and filters every report takes. */
const rangeObject = z.object(rangeShape).strict();

export const reportQuerySchema = rangeObject.superRefine(checkRange).transform(toRange);
export type ReportQuery = z.output<typeof reportQuerySchema>;

export const reportTicketsQuerySchema = rangeObject
  .extend({
    metric: z.enum(REPORT_METRICS),
    /** For `csat.score`: which score's responses. */
    score: z.coerce.number().int().min(1).max(5).optional(),
  })
  .superRefine(checkRange)
  .transform(toRange);
