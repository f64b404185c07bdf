import type express from 'express';
import type { AccountRequestLimiter } from '../accounts/requestLimiter';
import type { AuthSessions } from '../auth/sessions';
import type { Database } from '../db/client';
import type { Logger } from '../logger';
import type { UsersRepository } from '../users/repository';
import type { UsersService } from '../users/service';
import { WidgetGuests } from './guests';
import { mountWidget } from './http';
import { widgetRoutes } from './routes';
import { WidgetSettingsStore } from './settings';

/** The embeddable widget: its settings, guest sessions, routes and the loader/page it serves. */
export function createWidget(deps: {
  db: Database;
  users: UsersRepository;
  usersService: UsersService;
  sessions: AuthSessions;
  limiter: AccountRequestLimiter;
  clientDist: string;
  logger: Logger;
}) {
  const settings = new WidgetSettingsStore(deps.db);
  const guests = new WidgetGuests({ ...deps, settings });
  return {
    settings,
    routes: widgetRoutes({ settings, guests }),
    /** Mount before the API router (the CORS answer) and the client's catch-all. */
    mount: (app: express.Express) =>
      mountWidget(app, { settings, clientDist: deps.clientDist, logger: deps.logger }),
  };
}
