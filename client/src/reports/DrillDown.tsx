import { Anchor, Modal, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ReportMetric, ReportTicketRow } from '../../../signaling/shared/reports';
import { QueryState } from '../components/QueryState';
import { formatDateTime } from '../lib/format';
import { type Column, DataTable } from './DataTable';
import { seconds } from './format';
import { useReportTickets } from './queries';

export interface DrillTarget {
  metric: ReportMetric;
  score?: number;
  /** What the user clicked, as the dialog's title. */
  label: string;
}

/** The tickets behind one number: the same definitions as the number, as a list to open or export. */
export function DrillDown({
  query,
  target,
  onClose,
}: {
  query: string;
  target: DrillTarget;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 40em)');
  const tickets = useReportTickets(query, target.metric, target.score);
  const columns: Column<ReportTicketRow>[] = [
    {
      header: t('reports.drill.ticket'),
      cell: (r) => (
        <Anchor component={Link} to={`/tickets/${r.id}`} style={{ overflowWrap: 'anywhere' }}>
          {t('ticket.numberAndSubject', { number: r.number, subject: r.subject })}
        </Anchor>
      ),
      csv: (r) => r.number,
    },
    { header: t('reports.drill.subject'), cell: () => null, csv: (r) => r.subject, csvOnly: true },
    { header: t('reports.filters.priority'), cell: (r) => r.priority, csv: (r) => r.priority },
    { header: t('reports.filters.tier'), cell: (r) => r.tier, csv: (r) => r.tier },
    {
      header: t('reports.drill.status'),
      cell: (r) => t(`ticket.status.${r.status}` as never),
      csv: (r) => r.status,
    },
    { header: t('reports.drill.assignee'), cell: (r) => r.assignee ?? '—', csv: (r) => r.assignee },
    { header: t('reports.drill.created'), cell: (r) => formatDateTime(r.createdAt), csv: (r) => r.createdAt },
    {
      header: t('reports.drill.firstResponse'),
      cell: (r) => seconds(r.firstResponseSeconds),
      csv: (r) => r.firstResponseSeconds,
      numeric: true,
    },
    {
      header: t('reports.drill.resolution'),
      cell: (r) => seconds(r.resolutionSeconds),
      csv: (r) => r.resolutionSeconds,
      numeric: true,
    },
    {
      header: t('reports.drill.csat'),
      cell: (r) => r.csatScore ?? '—',
      csv: (r) => r.csatScore,
      numeric: true,
    },
    { header: t('reports.drill.comment'), cell: (r) => r.csatComment ?? '', csv: (r) => r.csatComment },
  ];
  return (
    <Modal
      opened
      onClose={onClose}
      title={target.label}
      size="90rem"
      fullScreen={phone}
      closeButtonProps={{ 'aria-label': t('reports.close') }}
    >
      <QueryState
        query={tickets}
        loadingLabel={t('reports.drill.loading')}
        errorTitle={t('reports.error')}
        retryLabel={t('common.retry')}
      >
        {(list) => (
          <>
            {list.total > list.rows.length && (
              <Text size="sm" c="dimmed" mb="xs">
                {t('reports.drill.truncated', { shown: list.rows.length, total: list.total })}
              </Text>
            )}
            <DataTable
              title={t('reports.drill.count', { count: list.total })}
              fileName={`livedesk-${target.metric}${target.score ? `-${target.score}` : ''}`}
              columns={columns}
              rows={list.rows}
              rowKey={(r) => r.id}
              empty={t('reports.drill.empty')}
              minWidth={900}
            />
          </>
        )}
      </QueryState>
    </Modal>
  );
}
