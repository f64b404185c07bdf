import { z } from 'zod';
import { DEFAULT_URGENCY_RULE, URGENCIES, type UrgencyRule } from '../../signaling/shared/macros';
import { PRIORITIES } from '../../signaling/shared/protocol';
import { type AuditContext, auditContextOf, recordAudit } from '../audit/record';
import type { Database } from '../db/client';
import { defineRoute } from '../http/route';
import { readMeta, writeMeta } from './installationMeta';

const KEY = 'tickets.urgency_rule';

export const urgencyRuleSchema = z
  .object(
    Object.fromEntries(URGENCIES.map((u) => [u, z.enum(PRIORITIES)])) as Record<
      (typeof URGENCIES)[number],
      z.ZodEnum<{ [K in (typeof PRIORITIES)[number]]: K }>
    >,
  )
  .strict()
  .meta({ id: 'UrgencyRule' });

/**
 * Which priority a customer's urgency gives their new ticket: a rule the admin keeps in the
 * database (every node reads the same). By default P1 — a major outage — is never reachable by a
 * customer's choice; the team raises a ticket to P1 itself.
 */
export class UrgencyRules {
  constructor(private readonly db: Database) {}

  async get(): Promise<UrgencyRule> {
    const stored = await readMeta(this.db, KEY);
    if (stored === undefined) return DEFAULT_URGENCY_RULE;
    const parsed = urgencyRuleSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : DEFAULT_URGENCY_RULE;
  }

  /** Stores the rule and its audit entry in one transaction (a save that changes nothing writes neither). */
  async set(rule: UrgencyRule, audit: AuditContext): Promise<UrgencyRule> {
    const before = await this.get();
    if (JSON.stringify(before) === JSON.stringify(rule)) return before;
    const value = JSON.stringify(rule);
    await this.db.transaction(async (tx) => {
      await writeMeta(tx as unknown as Database, KEY, value);
      await recordAudit(tx as unknown as Database, {
        ...audit,
        action: 'settings.urgency_rule.updated',
        targetType: 'settings',
        targetId: KEY,
        before,
        after: rule,
      });
    });
    return this.get();
  }
}

export function urgencyRoutes(rules: UrgencyRules) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/settings/urgency-rule',
      summary: 'The priority each customer urgency gives a new ticket (admins)',
      tag: 'settings',
      access: ['admin'],
      response: urgencyRuleSchema,
      handler: () => rules.get(),
    }),
    defineRoute({
      method: 'put',
      path: '/api/settings/urgency-rule',
      summary: 'Change the priority each customer urgency gives a new ticket (admins)',
      tag: 'settings',
      access: ['admin'],
      body: urgencyRuleSchema,
      response: urgencyRuleSchema,
      handler: ({ body, actor, req }) => rules.set(body as UrgencyRule, auditContextOf(actor, req)),
    }),
  ];
}
