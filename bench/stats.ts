// Small statistics and reporting helpers shared by the benchmarks under bench/. No dependencies.
import fs from 'node:fs';
import path from 'node:path';

/**
 * The p-th percentile (0–100) of `sorted` (ascending), by linear interpolation between the two
 * closest ranks, as most tools compute it. NaN for an empty sample.
 */
export function percentileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (p <= 0) return sorted[0]!;
  if (p >= 100) return sorted[sorted.length - 1]!;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

/** A sorted copy (numeric order; `Array.prototype.sort` alone would sort as strings). */
export function sortedCopy(values: readonly number[]): number[] {
  return Array.from(Float64Array.from(values).sort());
}

export function percentile(values: readonly number[], p: number): number {
  return percentileSorted(sortedCopy(values), p);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

export interface Summary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** count, min, p50, p90, p95, p99, max and mean of a sample (NaN fields for an empty one). */
export function summarize(values: readonly number[]): Summary {
  const sorted = sortedCopy(values);
  return {
    count: sorted.length,
    min: percentileSorted(sorted, 0),
    p50: percentileSorted(sorted, 50),
    p90: percentileSorted(sorted, 90),
    p95: percentileSorted(sorted, 95),
    p99: percentileSorted(sorted, 99),
    max: percentileSorted(sorted, 100),
    mean: mean(sorted),
  };
}

/** Rounds every number in a summary to `digits` decimals, for JSON output that stays readable. */
export function roundSummary(summary: Summary, digits = 2): Summary {
  const r = (v: number) => round(v, digits);
  return {
    count: summary.count,
    min: r(summary.min),
    p50: r(summary.p50),
    p90: r(summary.p90),
    p95: r(summary.p95),
    p99: r(summary.p99),
    max: r(summary.max),
    mean: r(summary.mean),
  };
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `a / b`, or NaN when `b` is zero or not a number. */
export function ratio(a: number, b: number): number {
  return b === 0 || !Number.isFinite(b) ? Number.NaN : a / b;
}

/**
 * `part` as a percentage of `whole` (Livedesk's throughput as a share of the bare socket.io
 * baseline's); NaN when either is not a positive finite number, so a failed run never reads as 0 %.
 */
export function sharePercent(part: number, whole: number): number {
  if (!(Number.isFinite(part) && Number.isFinite(whole)) || part < 0 || whole <= 0) return Number.NaN;
  return (part / whole) * 100;
}

/**
 * How much slower `loaded` is than `idle`, in percent (negative: faster); NaN when either is not
 * a positive finite number.
 */
export function slowdownPercent(idle: number, loaded: number): number {
  if (!(Number.isFinite(idle) && Number.isFinite(loaded)) || idle <= 0 || loaded < 0) return Number.NaN;
  return (loaded / idle - 1) * 100;
}

/**
 * A 95 % bootstrap interval of `statistic(a, b)` for two independent samples: both resampled with
 * replacement `resamples` times, the 2.5th and 97.5th percentiles of the statistic. For a figure
 * compared to a target (bench:join's slowdown and ratio), it says whether the verdict is more than
 * the run-to-run noise. Seeded, so the same runs print the same interval. NaN bounds when either
 * sample is empty.
 */
export function bootstrapInterval(
  a: readonly number[],
  b: readonly number[],
  statistic: (a: readonly number[], b: readonly number[]) => number,
  resamples = 2000,
  seed = 1,
): { low: number; high: number } {
  if (a.length === 0 || b.length === 0) return { low: Number.NaN, high: Number.NaN };
  // mulberry32: a small seeded generator; Math.random cannot be seeded.
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const resample = (xs: readonly number[]) => xs.map(() => xs[Math.floor(random() * xs.length)]!);
  const values: number[] = [];
  for (let i = 0; i < resamples; i++) {
    const v = statistic(resample(a), resample(b));
    if (Number.isFinite(v)) values.push(v);
  }
  return { low: percentile(values, 2.5), high: percentile(values, 97.5) };
}

/** A target's verdict for a report: met, NOT met, or `-` when it was not measured (NaN or null). */
export function verdict(met: boolean | null | undefined): string {
  if (met === null || met === undefined) return '-';
  return met ? 'met' : 'NOT met';
}

/** `value >= min`, or null when `value` was not measured (NaN): a verdict's input. */
export function atLeast(value: number, min: number): boolean | null {
  return Number.isFinite(value) ? value >= min : null;
}

/** `value < max`, or null when `value` was not measured (NaN). */
export function below(value: number, max: number): boolean | null {
  return Number.isFinite(value) ? value < max : null;
}

/** A number for a table cell: fixed decimals, `-` when it is not a finite number. */
export function fmt(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

export function fmtBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '-';
  const abs = Math.abs(bytes);
  if (abs >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (abs >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${Math.round(bytes)} B`;
}

/**
 * A plain-text table: the first row is the header, numbers-like cells are right-aligned, columns
 * are as wide as their widest cell.
 */
export function formatTable(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const numeric = /^[-+]?[\d.,]+(\s?[a-zA-Z%×/]+)?$|^-$/;
  const line = (row: readonly string[]) =>
    widths
      .map((w, c) => {
        const cell = row[c] ?? '';
        return numeric.test(cell) ? cell.padStart(w) : cell.padEnd(w);
      })
      .join('  ')
      .trimEnd();
  const [header, ...body] = rows;
  return [line(header!), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** `YYYY-MM-DD` in local time, for result file names. */
export function dateStamp(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Writes `data` as pretty JSON to `bench/results/<name>-<date>.json` and returns the path. */
export function writeResults(benchDir: string, name: string, data: unknown): string {
  const dir = path.join(benchDir, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${dateStamp()}.json`);
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
