// bench/stats.ts: the figures and verdicts the benchmarks print (bench:chat's share of the
// baseline, bench:join's slowdown under chat) come from these helpers.
import { describe, expect, it } from 'vitest';
import {
  atLeast,
  below,
  bootstrapInterval,
  formatTable,
  median,
  percentile,
  roundSummary,
  sharePercent,
  slowdownPercent,
  summarize,
  verdict,
} from '../../bench/stats';

describe('benchmark statistics', () => {
  it('interpolates percentiles between ranks, in numeric order', () => {
    // 10 before 9 as strings: a string sort would misplace it.
    const values = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(percentile(values, 50)).toBe(5.5);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 100)).toBe(10);
    expect(percentile(values, 95)).toBeCloseTo(9.55, 10);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarizes with p50, p95 and p99 (the cross-node latency columns)', () => {
    const values = Array.from({ length: 101 }, (_, i) => 100 - i);
    const summary = summarize(values);
    expect(summary).toMatchObject({ count: 101, min: 0, p50: 50, p90: 90, p95: 95, p99: 99, max: 100 });
    expect(roundSummary(summarize([1 / 3])).p95).toBe(0.33);
    expect(summarize([]).p95).toBeNaN();
  });

  it('gives a share of the baseline, unknown (not 0 %) when a run failed', () => {
    expect(sharePercent(926, 18_520)).toBeCloseTo(5, 10);
    expect(sharePercent(0, 18_520)).toBe(0);
    expect(sharePercent(Number.NaN, 18_520)).toBeNaN();
    expect(sharePercent(900, Number.NaN)).toBeNaN();
    expect(sharePercent(900, 0)).toBeNaN();
  });

  it('gives the slowdown of a loaded series against the idle one', () => {
    expect(slowdownPercent(500, 550)).toBeCloseTo(10, 10);
    expect(slowdownPercent(500, 450)).toBeCloseTo(-10, 10);
    expect(slowdownPercent(0, 450)).toBeNaN();
    expect(slowdownPercent(500, Number.NaN)).toBeNaN();
  });

  it('words a verdict, and an unmeasured figure is neither met nor missed', () => {
    expect(verdict(atLeast(5.2, 5))).toBe('met');
    expect(verdict(atLeast(4.9, 5))).toBe('NOT met');
    expect(verdict(atLeast(Number.NaN, 5))).toBe('-');
    expect(verdict(below(49.9, 50))).toBe('met');
    expect(verdict(below(50, 50))).toBe('NOT met');
    expect(verdict(null)).toBe('-');
  });

  it('right-aligns numeric cells and left-aligns text cells (headers too) in tables', () => {
    const table = formatTable([
      ['config', 'share'],
      ['pglite', '5.1 %'],
      ['postgres ×2', '15.0 %'],
    ]);
    expect(table.split('\n')).toEqual([
      'config       share',
      '-----------  ------',
      'pglite        5.1 %',
      'postgres ×2  15.0 %',
    ]);
  });

  it('gives a bootstrap interval of a slowdown that holds the true one and narrows with clear data', () => {
    const slowdown = (idle: readonly number[], busy: readonly number[]) =>
      slowdownPercent(median(idle), median(busy));
    // Two samples with medians 100 and 120: a 20 % slowdown, with spread.
    const idle = Array.from({ length: 20 }, (_, i) => 90 + i);
    const busy = Array.from({ length: 20 }, (_, i) => 110 + i);
    const wide = bootstrapInterval(idle, busy, slowdown);
    expect(wide.low).toBeLessThan(21);
    expect(wide.high).toBeGreaterThan(21);
    expect(wide.low).toBeGreaterThan(5);
    // Without spread the interval is the one value.
    const exact = bootstrapInterval([100, 100, 100], [110, 110, 110], slowdown);
    expect(exact.low).toBeCloseTo(10, 10);
    expect(exact.high).toBeCloseTo(10, 10);
    // Seeded: the same samples give the same interval.
    expect(bootstrapInterval(idle, busy, slowdown)).toEqual(wide);
    expect(bootstrapInterval([], busy, slowdown).low).toBeNaN();
  });
});
