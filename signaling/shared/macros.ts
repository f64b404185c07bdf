// Canned replies (macros), playbooks, the composer's send key and the customer's urgency: the
// vocabulary and views shared by the server and the client. Part of the shared leaf: imports
// only the leaf.
import type { Priority, TicketStatus } from './domain';

/** The languages a macro or playbook is written in; the customer's decides which variant is used. */
export const CONTENT_LOCALES = ['en', 'zh-CN'] as const;
export type ContentLocale = (typeof CONTENT_LOCALES)[number];
export type LocalizedText = Partial<Record<ContentLocale, string>>;

/**
 * The placeholders a macro body may use, filled from the ticket when the agent inserts it. Any
 * other `{{…}}` is refused when the macro is saved.
 */
export const MACRO_PLACEHOLDERS = [
  'customer.name',
  'customer.firstName',
  'ticket.number',
  'ticket.subject',
  'agent.name',
] as const;
export type MacroPlaceholder = (typeof MACRO_PLACEHOLDERS)[number];

export const MACRO_SCOPES = ['shared', 'personal'] as const;
export type MacroScope = (typeof MACRO_SCOPES)[number];

/** What inserting a macro also changes on the ticket (through the ticket service's rules). */
export interface MacroActions {
  status?: TicketStatus;
  priority?: Priority;
  /** Added to the ticket's tags (existing tags stay). */
  addTags?: string[];
}

export interface MacroView {
  id: string;
  scope: MacroScope;
  title: string;
  bodies: LocalizedText;
  actions: MacroActions;
  owner: { id: string; name: string } | null;
  /** Whether the caller may edit or delete it. */
  editable: boolean;
  updatedAt: string;
}

/** The answer to inserting a macro on a ticket: the text for the composer, and what changed. */
export interface MacroApplication {
  body: string;
  /** The variant used: the customer's language, or the other one when it has no text in theirs. */
  locale: ContentLocale;
  /** The ticket changes the macro made (empty when it has none or they changed nothing). */
  applied: MacroActions;
}

/** What a step of a playbook shows beside its text, from the ticket's problem snapshot. */
export const PLAYBOOK_PREFILLS = ['device', 'browser', 'network'] as const;
export type PlaybookPrefill = (typeof PLAYBOOK_PREFILLS)[number];

export interface PlaybookStep {
  /** Stable within the playbook, so a ticket's ticked steps survive edits of the text. */
  id: string;
  text: LocalizedText;
  prefill: PlaybookPrefill[];
}

export interface PlaybookView {
  id: string;
  category: string;
  title: LocalizedText;
  steps: PlaybookStep[];
  /**
   * When set, solving a ticket of this category schedules a follow-up this many hours later
   * (the supervisors' follow-up queue, marked overdue at its deadline).
   */
  followUpHours: number | null;
  updatedAt: string;
}

export interface TicketPlaybookView {
  playbook: PlaybookView | null;
  done: Array<{ stepId: string; doneAt: string; doneBy: { id: string; name: string } | null }>;
  followUp: { id: string; dueAt: string; closedAt: string | null; overdue: boolean } | null;
}

/** Which key sends in the composer; the other combination makes a new line. */
export const SEND_KEYS = ['enter', 'ctrl_enter'] as const;
export type SendKey = (typeof SEND_KEYS)[number];

export interface ComposerPreferences {
  sendKey: SendKey;
}

/** How urgent a customer says their new ticket is; a rule the admin sets maps it to a priority. */
export const URGENCIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];
export type UrgencyRule = Record<Urgency, Priority>;

/** The default rule: P1 (major outage) is decided by the team, never chosen by a customer. */
export const DEFAULT_URGENCY_RULE: UrgencyRule = { low: 'P4', normal: 'P3', high: 'P2', urgent: 'P2' };

/** Fills a macro body's `{{placeholders}}`; one the values lack is left as written. */
export function fillPlaceholders(body: string, values: Partial<Record<MacroPlaceholder, string>>): string {
  return body.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
    const value = values[name as MacroPlaceholder];
    return value ?? whole;
  });
}

/** The `{{…}}` names in a body that are not placeholders (the save refuses them). */
export function unknownPlaceholders(body: string): string[] {
  const known = new Set<string>(MACRO_PLACEHOLDERS);
  const found = [...body.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1] ?? '');
  return [...new Set(found.filter((name) => !known.has(name)))];
}
