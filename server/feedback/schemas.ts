import { z } from 'zod';
import { FOLLOW_UP_STATES } from '../../signaling/shared/feedback';
import { text } from '../validation';

const score = (min: number, max: number) =>
  z
    .number({ message: `must be a whole number from ${min} to ${max}` })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be a whole number from ${min} to ${max}`)
    .max(max, `must be a whole number from ${min} to ${max}`);

/** An optional comment: blank means none. */
const comment = text()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .optional()
  .transform((value) => (value ? value : undefined));

export const csatBodySchema = z.object({ score: score(1, 5), comment }).strict();
export type CsatInput = z.output<typeof csatBodySchema>;

/** The mailed survey link's token (SignedLinks: 43 URL-safe characters; anything else is unknown). */
export const surveyRedeemBodySchema = z.object({ token: z.string().min(1).max(200) }).strict();

/** An answer from the page the survey link opened: its access token, the ticket, the rating. */
export const surveyRatingBodySchema = z
  .object({
    access: z.string().min(1).max(4096),
    ticketId: z.uuid('must be a ticket id'),
    score: score(1, 5),
    comment,
  })
  .strict();

export const callRatingBodySchema = z
  .object({ picture: score(1, 5), sound: score(1, 5), helpfulness: score(1, 5), comment })
  .strict();
export type CallRatingInput = z.output<typeof callRatingBodySchema>;

export const npsBodySchema = z.object({ score: score(0, 10), comment }).strict();
export type NpsInput = z.output<typeof npsBodySchema>;

export const closeFollowUpBodySchema = z
  .object({
    note: text()
      .trim()
      .min(1, 'say what was done to follow this up')
      .max(5000, 'must be at most 5000 characters'),
  })
  .strict();

export const listFollowUpsQuerySchema = z
  .object({
    state: z.enum(FOLLOW_UP_STATES).default('open'),
    ticketId: z.uuid({ message: 'must be a ticket id' }).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();

export const ticketIdParams = z.object({ id: z.uuid({ message: 'must be a ticket id' }) });
export const callIdParams = z.object({ id: z.uuid({ message: 'must be a call id' }) });
export const followUpIdParams = z.object({ id: z.uuid({ message: 'must be a follow-up id' }) });
