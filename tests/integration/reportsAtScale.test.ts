import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDesk, YEAR_START } from '../../bench/reportsData';
import { type DatabaseHandle, openDatabase } from '../../server/db/client';
import { ReportsRepository } from '../../server/reports/repository';
import { reportQuerySchema } from '../../server/reports/schemas';
import { ReportsService } from '../../server/reports/service';
import type { ReportMetric } from '../../signaling/shared/reports';
import { BACKENDS, isolatedDatabase } from '../helpers/database';

// The summary reads first contact resolution, calls before the solve and the SLA verdicts as
// grouped joins over the whole range (fast for a year), the drill-down per ticket with the
// predicates of server/reports/predicates.ts. On the benchmark's desk — every combination of
// escalations, transfers, second replies, calls that did or did not connect, ratings and breaches —
// both must count exactly the same tickets, for a long and a short range.

const YEAR_END = new Date(Date.parse(YEAR_START) + 365 * 86_400_000);
const range = (days: number, extra: Record<string, string> = {}) =>
  reportQuerySchema.parse({
    from: new Date(YEAR_END.getTime() - days * 86_400_000).toISOString(),
    to: YEAR_END.toISOString(),
    tz: 'Asia/Shanghai',
    ...extra,
  });

describe.each(BACKENDS)('report summary against its drill-down on %s', (backend) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  let service: ReportsService;

  beforeAll(async () => {
    const isolated = await isolatedDatabase(backend);
    drop = isolated.drop;
    handle = await openDatabase({ database: isolated.database });
    await generateDesk(handle.db, 1500);
    service = new ReportsService(new ReportsRepository(handle.db), 5);
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  it.each([
    ['365 days', 365, {}],
    ['30 days', 30, {}],
    ['365 days of P3', 365, { priority: 'P3' }],
  ])('counts the same tickets as the lists behind the numbers (%s)', async (_label, days, extra) => {
    const q = range(days, extra);
    const s = await service.summary(q);
    const total = async (metric: ReportMetric) => (await service.tickets({ ...q, metric })).total;
    // The desk has every case: FCR and not, calls before the solve and not, breaches.
    const unfiltered = Object.keys(extra).length === 0;
    if (unfiltered) {
      expect(s.fcr.count).toBeGreaterThan(0);
      expect(s.fcr.solved - s.fcr.count).toBeGreaterThan(0);
      expect(s.calls.resolvedAfterCall).toBeGreaterThan(0);
    }
    expect(s.fcr.count).toBe(await total('fcr'));
    expect(s.fcr.solved - s.fcr.count).toBe(await total('fcr.not'));
    expect(s.tickets.solved).toBe(await total('tickets.solved'));
    expect(s.calls.resolvedAfterCall).toBe(await total('resolved.afterCall'));
    expect(s.calls.resolvedWithoutCall).toBe(await total('resolved.withoutCall'));
    // Breached first responses: decided but not within the target, summed over the priorities.
    const missed = s.firstResponse.byKey
      .filter((r) => r.key.startsWith('P'))
      .reduce((n, r) => n + r.decided - r.withinTarget, 0);
    if (unfiltered) expect(missed).toBeGreaterThan(0);
    expect(missed).toBe(await total('firstResponse.missed'));
    // CSAT asked of the solved tickets: the response rate's numerator, from the drill-down's rows.
    const solved = await service.tickets({ ...q, metric: 'tickets.solved' });
    if (solved.total <= solved.limit) {
      const rated = solved.rows.filter((r) => r.csatScore !== null).length;
      expect(s.csat.responseRate).toBe(Math.round((rated / solved.total) * 1000) / 1000);
    }
  });
});
