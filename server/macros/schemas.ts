import { z } from 'zod';
import { CONTENT_LOCALES, MACRO_SCOPES, unknownPlaceholders } from '../../signaling/shared/macros';
import { PRIORITIES, STATUSES } from '../../signaling/shared/protocol';
import { tagSchema } from '../tickets/schemas';
import { text } from '../validation';

export const macroIdParamsSchema = z.object({ id: z.uuid({ message: 'must be a macro id (UUID)' }) });

const body = text()
  .trim()
  .max(10_000)
  .superRefine((value, ctx) => {
    const unknown = unknownPlaceholders(value);
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown placeholder ${unknown.map((n) => `{{${n}}}`).join(', ')}; use {{customer.name}}, {{customer.firstName}}, {{ticket.number}}, {{ticket.subject}} or {{agent.name}}`,
      });
    }
  });

/** A body per language; at least one of them must have text. */
const bodies = z
  .partialRecord(z.enum(CONTENT_LOCALES), body)
  .refine((b) => Object.values(b).some((v) => v && v.length > 0), {
    message: 'write the reply in at least one language',
  });

const actions = z
  .object({
    status: z.enum(STATUSES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    addTags: z.array(tagSchema).max(10).optional(),
  })
  .strict();

export const createMacroBodySchema = z
  .object({
    scope: z.enum(MACRO_SCOPES),
    title: text().trim().min(1, 'is required').max(120),
    bodies,
    actions: actions.default({}),
  })
  .strict()
  .meta({ id: 'CreateMacroRequest' });
export type CreateMacroInput = z.output<typeof createMacroBodySchema>;

export const updateMacroBodySchema = z
  .object({
    title: text().trim().min(1, 'is required').max(120).optional(),
    bodies: bodies.optional(),
    actions: actions.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'name at least one field to change' })
  .meta({ id: 'UpdateMacroRequest' });
export type UpdateMacroInput = z.output<typeof updateMacroBodySchema>;

export const listMacrosQuerySchema = z
  .object({
    /** Matches the title and the bodies, case-insensitively. */
    q: text().trim().max(100).optional(),
    scope: z.enum(MACRO_SCOPES).optional(),
  })
  .strict();

export const applyMacroBodySchema = z.object({ ticketId: z.uuid() }).strict();

const localized = z.partialRecord(z.enum(CONTENT_LOCALES), z.string());
const actionsView = z.object({
  status: z.enum(STATUSES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  addTags: z.array(z.string()).optional(),
});
export const macroViewSchema = z
  .object({
    id: z.string(),
    scope: z.enum(MACRO_SCOPES),
    title: z.string(),
    bodies: localized,
    actions: actionsView,
    owner: z.object({ id: z.string(), name: z.string() }).nullable(),
    editable: z.boolean(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Macro' });
export const macroApplicationSchema = z
  .object({ body: z.string(), locale: z.enum(CONTENT_LOCALES), applied: actionsView })
  .meta({ id: 'MacroApplication' });
