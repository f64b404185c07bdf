import type { CsatRatingView, TicketCsatState } from '../../signaling/shared/feedback';
import type { PublicUser } from '../../signaling/shared/protocol';
import type { SignedLinks } from '../auth/signedLinks';
import type { TokenService } from '../auth/tokens';
import { AppError, notFound } from '../errors';
import type { TicketsRepository } from '../tickets/repository';
import type { CsatService } from './csat';
import type { CsatInput } from './schemas';

/** How long the mailed survey link works: two weeks, long enough for a holiday inbox. */
export const SURVEY_LINK_TTL_MS = 14 * 86_400_000;
/** How long the page opened by the link may answer (and change the answer): one sitting. */
export const SURVEY_ACCESS_TTL_SECONDS = 3600;

const resource = (ticketId: string) => `csat-survey:${ticketId}`;

export interface RedeemedSurvey {
  /** Sent back with the answer; opens this ticket's rating only, for an hour. */
  access: string;
  expiresAt: string;
  ticket: { id: string; number: number; subject: string };
  state: TicketCsatState;
}

/**
 * The CSAT question mailed to a customer who was away when their ticket was solved: a signed,
 * single-use, expiring link (SignedLinks, purpose `csat_survey`, the ticket as its subject). Opening
 * it uses it up and yields an access token scoped to that one ticket's rating — no sign-in, no
 * session, nothing else of the account. A second opening, an expired or a forged link gets a clear
 * 404/410 (the page then offers signing in, which always works).
 */
export class CsatSurveyLinks {
  constructor(
    private readonly deps: {
      links: SignedLinks;
      tokens: TokenService;
      csat: CsatService;
      tickets: TicketsRepository;
      resolveUser: (id: string) => Promise<PublicUser>;
    },
  ) {}

  /** A fresh link token for the ticket's customer (the mail's URL carries it). */
  async issue(customerId: string, ticketId: string): Promise<string> {
    const { token } = await this.deps.links.issue('csat_survey', customerId, SURVEY_LINK_TTL_MS, ticketId);
    return token;
  }

  async redeem(token: string): Promise<RedeemedSurvey> {
    const holder = await this.deps.links.consume('csat_survey', token);
    const ticket = holder.subjectId ? await this.deps.tickets.findTicket(holder.subjectId) : undefined;
    if (!ticket || ticket.requesterId !== holder.userId) throw notFound('This link');
    const customer = await this.deps.resolveUser(holder.userId);
    const state = await this.deps.csat.ticketState(customer, ticket.id);
    const { token: access, expiresAt } = this.deps.tokens.issueMediaToken(
      { sub: customer.id, resource: resource(ticket.id) },
      SURVEY_ACCESS_TTL_SECONDS,
    );
    return {
      access,
      expiresAt,
      ticket: { id: ticket.id, number: ticket.number, subject: ticket.subject },
      state,
    };
  }

  /** Answers (or changes) the rating of the ticket the access token was issued for. */
  async rate(access: string, ticketId: string, input: CsatInput): Promise<CsatRatingView> {
    let userId: string;
    try {
      userId = this.deps.tokens.verifyMediaToken(access, resource(ticketId));
    } catch {
      throw new AppError(
        'unauthenticated',
        'This survey page has expired or is not for this ticket. Sign in to rate the ticket.',
      );
    }
    return this.deps.csat.rateTicket(await this.deps.resolveUser(userId), ticketId, input);
  }
}
