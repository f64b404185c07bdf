import { z } from 'zod';
import { CONTENT_LOCALES, PLAYBOOK_PREFILLS } from '../../signaling/shared/macros';
import { CATEGORIES } from '../tickets/schemas';
import { text } from '../validation';

export const categoryParamsSchema = z.object({ category: z.enum(CATEGORIES) });
export const ticketStepParamsSchema = z.object({
  id: z.uuid({ message: 'must be a ticket id (UUID)' }),
  stepId: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'must be a step id'),
});

const localized = (max: number) =>
  z
    .partialRecord(z.enum(CONTENT_LOCALES), text().trim().max(max))
    .refine((v) => Object.values(v).some((s) => s && s.length > 0), {
      message: 'write it in at least one language',
    });

export const putPlaybookBodySchema = z
  .object({
    title: localized(120),
    steps: z
      .array(
        z
          .object({
            /** Keep a step's id when editing it, so tickets keep it ticked; new steps get one. */
            id: z
              .string()
              .regex(/^[a-z0-9_-]{1,40}$/, 'lower-case letters, digits, - and _')
              .optional(),
            text: localized(500),
            prefill: z.array(z.enum(PLAYBOOK_PREFILLS)).max(3).default([]),
          })
          .strict(),
      )
      .min(1, 'a playbook needs at least one step')
      .max(30)
      .refine(
        (steps) =>
          new Set(steps.flatMap((s) => (s.id ? [s.id] : []))).size === steps.filter((s) => s.id).length,
        {
          message: 'step ids must be different',
        },
      ),
    /** Hours after solving when the follow-up is due; null: no follow-up. */
    followUpHours: z.number().int().min(1).max(720).nullable(),
  })
  .strict()
  .meta({ id: 'PlaybookRequest' });
export type PutPlaybookInput = z.output<typeof putPlaybookBodySchema>;

export const setStepBodySchema = z.object({ done: z.boolean() }).strict();

const localizedView = z.partialRecord(z.enum(CONTENT_LOCALES), z.string());
export const playbookViewSchema = z
  .object({
    id: z.string(),
    category: z.string(),
    title: localizedView,
    steps: z.array(
      z.object({ id: z.string(), text: localizedView, prefill: z.array(z.enum(PLAYBOOK_PREFILLS)) }),
    ),
    followUpHours: z.number().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Playbook' });

export const ticketPlaybookViewSchema = z
  .object({
    playbook: playbookViewSchema.nullable(),
    done: z.array(
      z.object({
        stepId: z.string(),
        doneAt: z.string(),
        doneBy: z.object({ id: z.string(), name: z.string() }).nullable(),
      }),
    ),
    followUp: z
      .object({ id: z.string(), dueAt: z.string(), closedAt: z.string().nullable(), overdue: z.boolean() })
      .nullable(),
  })
  .meta({ id: 'TicketPlaybook' });
