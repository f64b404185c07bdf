import { z } from 'zod';
import { URGENCIES } from '../../signaling/shared/macros';
import { CHANNELS, PRIORITIES, STATUSES, TIERS } from '../../signaling/shared/protocol';
import { text } from '../validation';

export const ticketIdParamsSchema = z.object({ id: z.uuid({ message: 'must be a ticket id (UUID)' }) });

const shortText = (max: number) => text().trim().max(max);

/**
 * The problem snapshot a browser attaches to a ticket. Every field is optional (browsers tell
 * different things) but bounded, and unknown fields are refused so the snapshot stays readable.
 */
export const snapshotSchema = z
  .object({
    browser: shortText(80).optional(),
    browserVersion: shortText(40).optional(),
    os: shortText(80).optional(),
    userAgent: shortText(512).optional(),
    screen: z
      .object({
        width: z.number().int().min(0).max(100_000),
        height: z.number().int().min(0).max(100_000),
        pixelRatio: z.number().min(0).max(16).optional(),
      })
      .optional(),
    language: shortText(35).optional(),
    languages: z.array(shortText(35)).max(20).optional(),
    timeZone: shortText(64).optional(),
    network: z
      .object({
        effectiveType: shortText(16).optional(),
        downlinkMbps: z.number().min(0).max(100_000).optional(),
        rttMs: z.number().min(0).max(600_000).optional(),
        online: z.boolean().optional(),
      })
      .optional(),
    devices: z
      .object({
        camera: z.boolean().optional(),
        microphone: z.boolean().optional(),
      })
      .optional(),
    capturedAt: z.iso.datetime().optional(),
  })
  .strict()
  .meta({ id: 'ProblemSnapshot' });

export const tagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'tags are short words: letters, digits, - and _');

export const CATEGORIES = ['account', 'payment', 'course', 'technical', 'video_call', 'other'] as const;

export const createTicketBodySchema = z
  .object({
    subject: text().trim().min(3, 'must be at least 3 characters').max(200),
    description: text().trim().min(1, 'is required').max(20_000),
    category: z.enum(CATEGORIES),
    channel: z.enum(['portal', 'chat']).default('portal'),
    snapshot: snapshotSchema.optional(),
    attachmentIds: z.array(z.uuid()).max(10).default([]),
    /** Staff opening a ticket for a customer name the requester; customers never do. */
    requesterId: z.uuid().optional(),
    /** Staff may set the priority at creation; a customer's comes from their urgency. */
    priority: z.enum(PRIORITIES).optional(),
    /** How urgent the customer says it is; the admin's rule maps it to the priority. */
    urgency: z.enum(URGENCIES).optional(),
  })
  .strict()
  .meta({ id: 'CreateTicketRequest' });
export type CreateTicketInput = z.output<typeof createTicketBodySchema>;

export const updateTicketBodySchema = z
  .object({
    priority: z.enum(PRIORITIES).optional(),
    status: z.enum(STATUSES).optional(),
    category: z.enum(CATEGORIES).optional(),
    tags: z.array(tagSchema).max(20).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'name at least one field to change' })
  .meta({ id: 'UpdateTicketRequest' });
export type UpdateTicketInput = z.output<typeof updateTicketBodySchema>;

export const assignBodySchema = z
  .object({
    /** Null unassigns. */
    assigneeId: z.uuid().nullable(),
    /** Required when transferring a ticket someone else holds. */
    note: text().trim().max(5000).optional(),
  })
  .strict();

export const escalateBodySchema = z
  .object({
    tier: z.enum(TIERS),
    note: text().trim().min(1, 'an escalation needs a note for the next tier').max(5000),
  })
  .strict();

export const mergeBodySchema = z.object({ intoTicketId: z.uuid() }).strict();
export const linkBodySchema = z.object({ ticketId: z.uuid() }).strict();

export const QUEUE_VIEWS = [
  'mine',
  'tier',
  'unassigned',
  'breaching',
  'all',
  'requested',
  'following',
] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];

export const listTicketsQuerySchema = z
  .object({
    view: z.enum(QUEUE_VIEWS).optional(),
    status: z.enum([...STATUSES, 'active']).optional(),
    tier: z.enum(TIERS).optional(),
    channel: z.enum(CHANNELS).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type ListTicketsQuery = z.output<typeof listTicketsQuerySchema>;

export const messagesQuerySchema = z
  .object({
    /** Return messages older than this sequence number (the page cursor). */
    before: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const sendMessageSchema = z
  .object({
    ticketId: z.uuid(),
    body: text().trim().min(1, 'a message cannot be empty').max(20_000),
    internal: z.boolean().default(false),
    clientMessageId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only'),
    attachmentIds: z.array(z.uuid()).max(10).default([]),
  })
  .strict();
export type SendMessageInput = z.output<typeof sendMessageSchema>;
