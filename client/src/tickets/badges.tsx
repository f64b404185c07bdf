import { Badge, Group, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type {
  Availability,
  Presence,
  Priority,
  SlaClockView,
  TicketStatus,
  Tier,
} from '../../../signaling/shared/protocol';
import { formatDateTime, formatDuration } from '../lib/format';
import { activeClocks, clockSeverity, remainingSeconds } from '../lib/sla';

const STATUS_COLORS: Record<TicketStatus, string> = {
  new: 'blue',
  open: 'indigo',
  pending: 'yellow',
  on_hold: 'gray',
  solved: 'teal',
  closed: 'dark',
};

export function StatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" tt="none" data-status={status}>
      {t(`ticket.status.${status}`)}
    </Badge>
  );
}

const PRIORITY_COLORS: Record<Priority, string> = { P1: 'red', P2: 'orange', P3: 'blue', P4: 'gray' };

export function PriorityBadge({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={t(`ticket.priorityHint.${priority}`)} withArrow>
      <Badge
        color={PRIORITY_COLORS[priority]}
        variant="filled"
        tt="none"
        aria-label={t(`ticket.priorityName.${priority}`)}
      >
        {priority}
      </Badge>
    </Tooltip>
  );
}

export function TierBadge({ tier }: { tier: Tier }) {
  const { t } = useTranslation();
  return (
    <Badge color="violet" variant="outline" tt="none" aria-label={t('ticket.tierLabel', { tier })}>
      {tier}
    </Badge>
  );
}

const AVAILABILITY_COLORS: Record<Availability, string> = { available: 'teal', busy: 'orange', away: 'gray' };

export function AvailabilityBadge({ availability }: { availability: Availability }) {
  const { t } = useTranslation();
  return (
    <Badge color={AVAILABILITY_COLORS[availability]} variant="dot" tt="none" data-availability={availability}>
      {t(`availability.${availability}`)}
    </Badge>
  );
}

const PRESENCE_COLORS: Record<Presence, string> = {
  online: 'teal',
  away: 'yellow',
  busy: 'orange',
  in_call: 'indigo',
  offline: 'gray',
};

/** Where an agent is now (derived by the server from tabs, idle time, calls, the manual choice). */
export function PresenceBadge({ presence }: { presence: Presence }) {
  const { t } = useTranslation();
  return (
    <Badge color={PRESENCE_COLORS[presence]} variant="dot" tt="none" data-presence={presence}>
      {t(`presence.${presence}`)}
    </Badge>
  );
}

const SEVERITY_COLORS = {
  breached: 'red',
  warning: 'orange',
  ok: 'teal',
  paused: 'gray',
  done: 'gray',
} as const;

/** One badge per clock still counting: red once breached, orange under 20 % left. */
export function SlaBadge({ clock, now }: { clock: SlaClockView; now: number }) {
  const { t } = useTranslation();
  const severity = clockSeverity(clock, now);
  const remaining = remainingSeconds(clock, now);
  const name = t(`sla.short.${clock.clock}`);
  const amount = formatDuration(remaining, { style: 'narrow' });
  const text =
    severity === 'breached'
      ? t('sla.overdue', { duration: amount })
      : severity === 'paused'
        ? t('sla.paused', { duration: amount })
        : amount;
  const full = `${t(`sla.clock.${clock.clock}`)}: ${
    severity === 'breached'
      ? t('sla.overdueLong', { duration: amount })
      : severity === 'paused'
        ? t('sla.pausedLong', { duration: amount })
        : t('sla.remainingLong', { duration: amount })
  }`;
  return (
    <Tooltip
      label={clock.dueAt ? `${full} · ${t('sla.due', { time: formatDateTime(clock.dueAt) })}` : full}
      withArrow
    >
      <Badge
        color={SEVERITY_COLORS[severity]}
        variant={severity === 'ok' || severity === 'paused' ? 'light' : 'filled'}
        tt="none"
        aria-label={full}
        data-severity={severity}
        style={{ fontVariantNumeric: 'tabular-nums' }}
      >
        {name} {text}
      </Badge>
    </Tooltip>
  );
}

export function SlaBadges({ clocks, now }: { clocks: SlaClockView[]; now: number }) {
  const { t } = useTranslation();
  const active = activeClocks(clocks);
  if (active.length === 0) {
    return (
      <Badge color="gray" variant="transparent" tt="none" px={0}>
        {t('sla.none')}
      </Badge>
    );
  }
  return (
    <Group gap={4} wrap="wrap">
      {active.map((clock) => (
        <SlaBadge key={clock.clock} clock={clock} now={now} />
      ))}
    </Group>
  );
}
