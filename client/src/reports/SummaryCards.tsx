import { Paper, SimpleGrid, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ReportMetric, ReportSummary } from '../../../signaling/shared/reports';
import type { DrillTarget } from './DrillDown';
import { decimal, percent, seconds } from './format';

interface Card {
  id: string;
  label: string;
  value: string;
  hint?: string;
  metric?: ReportMetric;
}

/** The headline numbers; each one with tickets behind it opens them (drill-down). */
export function SummaryCards({
  summary: s,
  onDrill,
}: {
  summary: ReportSummary;
  onDrill: (target: DrillTarget) => void;
}) {
  const { t } = useTranslation();
  const cards: Card[] = [
    {
      id: 'created',
      label: t('reports.cards.created'),
      value: String(s.tickets.created),
      metric: 'tickets.created',
    },
    {
      id: 'solved',
      label: t('reports.cards.solved'),
      value: String(s.tickets.solved),
      metric: 'tickets.solved',
    },
    { id: 'open', label: t('reports.cards.open'), value: String(s.tickets.open), metric: 'tickets.open' },
    {
      id: 'frt',
      label: t('reports.cards.frtMedian'),
      value: seconds(s.firstResponse.medianSeconds),
      hint: t('reports.cards.p95', { value: seconds(s.firstResponse.p95Seconds) }),
      metric: 'firstResponse.responded',
    },
    {
      id: 'frtTarget',
      label: t('reports.cards.withinTarget'),
      value: percent(s.firstResponse.withinTargetShare),
      hint: t('reports.cards.missedHint'),
      metric: 'firstResponse.missed',
    },
    {
      id: 'resolution',
      label: t('reports.cards.resolutionMedian'),
      value: seconds(s.resolution.medianSeconds),
      hint: t('reports.cards.p95', { value: seconds(s.resolution.p95Seconds) }),
      metric: 'tickets.solved',
    },
    {
      id: 'fcr',
      label: t('reports.cards.fcr'),
      value: percent(s.fcr.share),
      hint: t('reports.cards.ofSolved', { count: s.fcr.count, solved: s.fcr.solved }),
      metric: 'fcr',
    },
    {
      id: 'breaches',
      label: t('reports.cards.breaches'),
      value: String(s.sla.breaches),
      metric: 'sla.breaches',
    },
    {
      id: 'csat',
      label: t('reports.cards.csat'),
      value: s.csat.average === null ? '—' : `${decimal(s.csat.average)} / 5`,
      hint: t('reports.cards.responses', { count: s.csat.responses, rate: percent(s.csat.responseRate) }),
      metric: 'csat.responses',
    },
    {
      id: 'csatLow',
      label: t('reports.cards.lowScores'),
      value: String(s.csat.lowScores),
      metric: 'csat.low',
    },
    {
      id: 'nps',
      label: t('reports.cards.nps'),
      value: s.nps.score === null ? '—' : String(s.nps.score),
      hint: t('reports.cards.npsSplit', {
        promoters: s.nps.promoters,
        passives: s.nps.passives,
        detractors: s.nps.detractors,
      }),
    },
    {
      id: 'qa',
      label: t('reports.cards.qa'),
      value: s.qa.average === null ? '—' : `${decimal(s.qa.average, 1)} / ${s.qa.maxTotal}`,
      hint: t('reports.cards.qaReviews', { count: s.qa.reviews }),
    },
    {
      id: 'calls',
      label: t('reports.cards.calls'),
      value: String(s.calls.count),
      hint: t('reports.cards.connectedMinutes', { minutes: decimal(s.calls.connectedSeconds / 60, 1) }),
      metric: 'calls.connected',
    },
    {
      id: 'bot',
      label: t('reports.cards.bot'),
      value: s.bot.resolvedShare === null ? '—' : percent(s.bot.resolvedShare),
      hint: t('reports.cards.botSplit', {
        conversations: s.bot.conversations,
        resolved: s.bot.resolved,
        handoffs: s.bot.handoffs,
      }),
    },
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
      {cards.map((card) => {
        const body = (
          <>
            <Text size="xs" c="dimmed" fw={500}>
              {card.label}
            </Text>
            <Text size="xl" fw={700} data-value>
              {card.value}
            </Text>
            {card.hint && (
              <Text size="xs" c="dimmed">
                {card.hint}
              </Text>
            )}
          </>
        );
        const metric = card.metric;
        return (
          <Paper key={card.id} withBorder p="sm" data-card={card.id}>
            {metric ? (
              <UnstyledButton
                w="100%"
                onClick={() => onDrill({ metric, label: card.label })}
                title={t('reports.cards.drillHint')}
              >
                {body}
              </UnstyledButton>
            ) : (
              body
            )}
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}
