import type { StatusTimeRow, TicketHealth } from '../../signaling/shared/reports';
import type { Clock } from '../clock';
import { num, type ReportsRepository } from './repository';
import type { ReportQuery } from './schemas';

const ACTIVE_STATUSES = ['new', 'open', 'pending', 'on_hold'];
const TIERS = ['L1', 'L2', 'L3'];

/**
 * "Where the time goes" (the brief's ticket health report): for the tickets created in the range,
 * the time spent in each status and each tier, the hand-offs, and the tickets that waited longest.
 */
export class TicketHealthService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly clock: Clock,
  ) {}

  async health(q: ReportQuery): Promise<TicketHealth> {
    const now = this.clock.now();
    const statuses = await this.repo.timeIn(q, now, 'status');
    const tiers = await this.repo.timeIn(q, now, 'tier');
    const [h] = await this.repo.handoffs(q);
    const totals = (rows: Record<string, unknown>[], keys: string[]) =>
      keys.map((key): StatusTimeRow => {
        const first = rows.find((r) => r.key === key);
        const tickets = num(first?.tickets);
        const totalSeconds = Math.round(num(first?.total));
        return {
          key,
          totalSeconds,
          tickets,
          averageSeconds: tickets ? Math.round(totalSeconds / tickets) : null,
        };
      });
    const waits = (rows: Record<string, unknown>[], prefix: string) =>
      rows.map((r) => ({
        key: `${prefix}${String(r.key)}`,
        ticketId: String(r.id),
        number: num(r.number),
        subject: String(r.subject),
        seconds: Math.round(num(r.secs)),
      }));
    const tickets = num(h?.tickets);
    return {
      statuses: totals(statuses, ACTIVE_STATUSES),
      tiers: totals(tiers, TIERS),
      handoffs: {
        tickets,
        total: num(h?.total),
        average: tickets ? Math.round((num(h?.total) / tickets) * 1000) / 1000 : null,
        max: num(h?.max),
        distribution: [num(h?.h0), num(h?.h1), num(h?.h2), num(h?.h3)],
      },
      longestWaits: [...waits(statuses, 'status:'), ...waits(tiers, 'tier:')],
    };
  }
}
