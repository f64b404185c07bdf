// The domain vocabulary: the closed lists the whole application speaks in. The database enums
// (server/db/schema.ts), the SLA rules (server/sla/evaluate.ts), the wire protocol (./protocol.ts)
// and the client all take them from here, so a new status or tier is added in one place.
// Part of the shared leaf (signaling/shared/): imports nothing.

export const ROLES = ['customer', 'agent', 'supervisor', 'qa', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Support tiers: L1 answers common questions, L2 technical faults, L3 systemic bugs. */
export const TIERS = ['L1', 'L2', 'L3'] as const;
export type Tier = (typeof TIERS)[number];

/** P1 major outage · P2 serious fault · P3 ordinary fault · P4 question. */
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof STATUSES)[number];

export const CHANNELS = ['portal', 'chat', 'email', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * What an agent chose by hand. `available` means "follow my activity" (online, away when idle);
 * `busy` and `away` are overrides that stick until changed.
 */
export const AVAILABILITIES = ['available', 'busy', 'away'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/**
 * Where a person actually is (server/presence/presence.ts derives it): a Livedesk tab open and
 * used (`online`), all tabs idle (`away`), the manual `busy`/`away`, in a call, or no tab at all.
 */
export const PRESENCES = ['online', 'away', 'busy', 'in_call', 'offline'] as const;
export type Presence = (typeof PRESENCES)[number];

/**
 * What a staff member can be notified of (each can be turned off in their settings). `handoff`: the
 * Livedesk assistant handed a conversation to a person; `article_task`: an article task went overdue.
 */
export const NOTIFICATION_EVENTS = [
  'new_ticket',
  'customer_message',
  'assigned',
  'sla_warning',
  'handoff',
  'article_task',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const SLA_CLOCKS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaClockName = (typeof SLA_CLOCKS)[number];

/**
 * Public replies, internal notes (staff only), system messages and the Livedesk assistant's
 * messages (`bot`: answers from the help centre before a person takes over, server/bot/).
 */
export const MESSAGE_KINDS = ['public', 'internal', 'system', 'bot'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const CALL_STATUSES = ['ringing', 'connecting', 'connected', 'ended'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const CALL_END_REASONS = [
  'hangup', // someone hung up
  'declined', // the customer declined the ring
  'no_answer', // nobody answered within the ring time
  'customer_offline', // the customer had no open Livedesk page
  'disconnected', // a side left and did not come back within the grace period
  'cancelled', // the agent cancelled while ringing
  'failed', // media could not be set up
] as const;
export type CallEndReason = (typeof CALL_END_REASONS)[number];

/** A person's part in a call. */
export const CALL_ROLES = ['agent', 'customer', 'supervisor'] as const;
export type CallRole = (typeof CALL_ROLES)[number];

export const RECORDING_STATUSES = [
  'awaiting_consent',
  'recording',
  'processing',
  'ready',
  'partial',
  'failed',
  'declined',
] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];
