import type { PublicUser } from '../../signaling/shared/protocol';
import type { SignedLinks } from '../auth/signedLinks';
import type { TokenService } from '../auth/tokens';
import type { CallsRepository } from '../calls/repository';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { EventBus } from '../events/bus';
import type { Logger } from '../logger';
import type { TicketsRepository } from '../tickets/repository';
import type { TicketsService } from '../tickets/service';
import { CsatService } from './csat';
import { FollowUpService } from './followUps';
import { NpsService } from './nps';
import { FeedbackRepository } from './repository';
import { feedbackRoutes } from './routes';
import { CsatSurveyLinks } from './surveyLinks';
import { FeedbackTimeline } from './timeline';

export interface Feedback {
  csat: CsatService;
  followUps: FollowUpService;
  nps: NpsService;
  surveyLinks: CsatSurveyLinks;
  routes: ReturnType<typeof feedbackRoutes>;
}

/** Builds the feedback domain's services and routes (called once, by the composition root). */
export function createFeedback(deps: {
  repo: FeedbackRepository;
  tickets: TicketsService;
  ticketsRepo: TicketsRepository;
  callsRepo: CallsRepository;
  bus: EventBus;
  config: Config['feedback'];
  clock: Clock;
  logger: Logger;
  links: SignedLinks;
  tokens: TokenService;
  resolveUser: (id: string) => Promise<PublicUser>;
}): Feedback {
  const timeline = new FeedbackTimeline(deps.ticketsRepo, deps.bus);
  const followUps = new FollowUpService(
    deps.repo,
    deps.ticketsRepo,
    timeline,
    deps.config.followUpDueMs,
    deps.clock,
    deps.logger,
  );
  const csat = new CsatService(
    deps.repo,
    deps.tickets,
    deps.ticketsRepo,
    deps.callsRepo,
    followUps,
    timeline,
    deps.config.changeWindowMs,
    deps.clock,
  );
  const nps = new NpsService(deps.repo, deps.config.npsPeriodMs, deps.clock);
  const surveyLinks = new CsatSurveyLinks({
    links: deps.links,
    tokens: deps.tokens,
    csat,
    tickets: deps.ticketsRepo,
    resolveUser: deps.resolveUser,
  });
  return {
    csat,
    followUps,
    nps,
    surveyLinks,
    routes: feedbackRoutes({ csat, followUps, nps, surveyLinks }),
  };
}

export { FeedbackRepository };
