import { SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type {
  AgentQualityRow,
  FirstResponseRow,
  ReportSummary,
  ResolutionRow,
  SlaClockRow,
} from '../../../signaling/shared/reports';
import { DataTable } from './DataTable';
import { decimal, percent, seconds } from './format';

/** The tables behind the cards: per priority, tier, clock, channel of feedback, agent. */
export function SummaryTables({ summary: s }: { summary: ReportSummary }) {
  const { t } = useTranslation();
  const key = (k: string) => (k === 'chat' ? t('reports.liveChat') : k);
  const frColumns = [
    {
      header: t('reports.tables.key'),
      cell: (r: FirstResponseRow) => key(r.key),
      csv: (r: FirstResponseRow) => r.key,
    },
    {
      header: t('reports.tables.answered'),
      cell: (r: FirstResponseRow) => r.count,
      csv: (r: FirstResponseRow) => r.count,
      numeric: true,
    },
    {
      header: t('reports.tables.median'),
      cell: (r: FirstResponseRow) => seconds(r.medianSeconds),
      csv: (r: FirstResponseRow) => r.medianSeconds,
      numeric: true,
    },
    {
      header: t('reports.tables.p95'),
      cell: (r: FirstResponseRow) => seconds(r.p95Seconds),
      csv: (r: FirstResponseRow) => r.p95Seconds,
      numeric: true,
    },
    {
      header: t('reports.tables.withinTarget'),
      cell: (r: FirstResponseRow) => percent(r.withinTargetShare),
      csv: (r: FirstResponseRow) => r.withinTargetShare,
      numeric: true,
    },
  ];
  const resColumns = [
    { header: t('reports.tables.key'), cell: (r: ResolutionRow) => r.key, csv: (r: ResolutionRow) => r.key },
    {
      header: t('reports.tables.solved'),
      cell: (r: ResolutionRow) => r.count,
      csv: (r: ResolutionRow) => r.count,
      numeric: true,
    },
    {
      header: t('reports.tables.median'),
      cell: (r: ResolutionRow) => seconds(r.medianSeconds),
      csv: (r: ResolutionRow) => r.medianSeconds,
      numeric: true,
    },
    {
      header: t('reports.tables.p95'),
      cell: (r: ResolutionRow) => seconds(r.p95Seconds),
      csv: (r: ResolutionRow) => r.p95Seconds,
      numeric: true,
    },
  ];
  const slaColumns = [
    {
      header: t('reports.tables.clock'),
      cell: (r: SlaClockRow) => t(`sla.clock.${r.clock}` as never),
      csv: (r: SlaClockRow) => r.clock,
    },
    {
      header: t('reports.tables.breaches'),
      cell: (r: SlaClockRow) => r.breaches,
      csv: (r: SlaClockRow) => r.breaches,
      numeric: true,
    },
    {
      header: t('reports.tables.compliance'),
      cell: (r: SlaClockRow) => percent(r.compliance),
      csv: (r: SlaClockRow) => r.compliance,
      numeric: true,
    },
  ];
  type FeedbackRow = {
    kind: string;
    average: number | null;
    responses: number;
    low: number;
    rate: number | null;
  };
  const feedbackRows: FeedbackRow[] = [
    {
      kind: t('reports.tables.ticketCsat'),
      average: s.csat.average,
      responses: s.csat.responses,
      low: s.csat.lowScores,
      rate: s.csat.responseRate,
    },
    {
      kind: t('reports.tables.callCsat'),
      average: s.csat.calls.average,
      responses: s.csat.calls.responses,
      low: s.csat.calls.lowScores,
      rate: s.csat.calls.responseRate,
    },
  ];
  const agentColumns = [
    {
      header: t('reports.tables.agent'),
      cell: (r: AgentQualityRow) => r.name,
      csv: (r: AgentQualityRow) => r.name,
    },
    {
      header: t('reports.tables.solved'),
      cell: (r: AgentQualityRow) => r.solved,
      csv: (r: AgentQualityRow) => r.solved,
      numeric: true,
    },
    {
      header: t('reports.tables.csatAverage'),
      cell: (r: AgentQualityRow) => decimal(r.csatAverage),
      csv: (r: AgentQualityRow) => r.csatAverage,
      numeric: true,
    },
    {
      header: t('reports.tables.responses'),
      cell: (r: AgentQualityRow) => r.csatResponses,
      csv: (r: AgentQualityRow) => r.csatResponses,
      numeric: true,
    },
    {
      header: t('reports.tables.qaAverage', { max: s.qa.maxTotal }),
      cell: (r: AgentQualityRow) => decimal(r.qaAverage, 1),
      csv: (r: AgentQualityRow) => r.qaAverage,
      numeric: true,
    },
    {
      header: t('reports.tables.qaReviews'),
      cell: (r: AgentQualityRow) => r.qaReviews,
      csv: (r: AgentQualityRow) => r.qaReviews,
      numeric: true,
    },
  ];
  const callRows = [
    [t('reports.tables.callsStarted'), String(s.calls.count), s.calls.count],
    [t('reports.tables.callsConnected'), String(s.calls.connected), s.calls.connected],
    [
      t('reports.tables.connectedMinutes'),
      decimal(s.calls.connectedSeconds / 60, 1),
      s.calls.connectedSeconds / 60,
    ],
    [
      t('reports.tables.shareOfResolution'),
      percent(s.calls.shareOfResolutionTime),
      s.calls.shareOfResolutionTime,
    ],
    [
      t('reports.tables.resolvedAfterCall'),
      `${s.calls.resolvedAfterCall} · ${seconds(s.calls.resolutionMedianAfterCallSeconds)}`,
      s.calls.resolvedAfterCall,
    ],
    [
      t('reports.tables.resolvedWithoutCall'),
      `${s.calls.resolvedWithoutCall} · ${seconds(s.calls.resolutionMedianWithoutCallSeconds)}`,
      s.calls.resolvedWithoutCall,
    ],
  ] as const;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
      <DataTable
        title={t('reports.tables.firstResponse')}
        fileName="livedesk-first-response"
        columns={frColumns}
        rows={s.firstResponse.byKey}
        rowKey={(r) => r.key}
      />
      <DataTable
        title={t('reports.tables.resolution')}
        fileName="livedesk-resolution"
        columns={resColumns}
        rows={s.resolution.rows}
        rowKey={(r) => `${r.by}:${r.key}`}
      />
      <DataTable
        title={t('reports.tables.sla')}
        fileName="livedesk-sla"
        columns={slaColumns}
        rows={s.sla.clocks}
        rowKey={(r) => r.clock}
        minWidth={320}
      />
      <DataTable
        title={t('reports.tables.feedback')}
        fileName="livedesk-csat"
        rows={feedbackRows}
        rowKey={(r) => r.kind}
        minWidth={360}
        columns={[
          { header: t('reports.tables.kind'), cell: (r) => r.kind, csv: (r) => r.kind },
          {
            header: t('reports.tables.csatAverage'),
            cell: (r) => decimal(r.average),
            csv: (r) => r.average,
            numeric: true,
          },
          {
            header: t('reports.tables.responses'),
            cell: (r) => r.responses,
            csv: (r) => r.responses,
            numeric: true,
          },
          { header: t('reports.tables.low'), cell: (r) => r.low, csv: (r) => r.low, numeric: true },
          {
            header: t('reports.tables.responseRate'),
            cell: (r) => percent(r.rate),
            csv: (r) => r.rate,
            numeric: true,
          },
        ]}
      />
      <DataTable
        title={t('reports.tables.calls')}
        fileName="livedesk-calls"
        rows={[...callRows]}
        rowKey={(r) => r[0]}
        minWidth={320}
        columns={[
          { header: t('reports.tables.measure'), cell: (r) => r[0], csv: (r) => r[0] },
          { header: t('reports.tables.value'), cell: (r) => r[1], csv: (r) => r[2], numeric: true },
        ]}
      />
      <DataTable
        title={t('reports.tables.agents')}
        fileName="livedesk-agents"
        columns={agentColumns}
        rows={s.agents}
        rowKey={(r) => r.agentId}
        empty={t('reports.tables.noAgents')}
      />
    </SimpleGrid>
  );
}
