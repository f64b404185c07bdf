import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { TicketHealthService } from './health';
import { ReportsRepository } from './repository';
import { reportRoutes } from './routes';
import { ReportsService } from './service';
import { CustomerTermsService } from './terms';

export interface Reports {
  reports: ReportsService;
  health: TicketHealthService;
  terms: CustomerTermsService;
  routes: ReturnType<typeof reportRoutes>;
}

/** Builds the reports domain (called once, by the composition root). */
export function createReports(deps: { db: Database; clock: Clock; rubricSize: number }): Reports {
  const repo = new ReportsRepository(deps.db);
  const reports = new ReportsService(repo, deps.rubricSize);
  const health = new TicketHealthService(repo, deps.clock);
  const terms = new CustomerTermsService(repo);
  return { reports, health, terms, routes: reportRoutes({ reports, health, terms }) };
}
