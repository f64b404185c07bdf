import {
  Anchor,
  Badge,
  Group,
  List,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { LongWaitRow, StatusTimeRow, TermRow } from '../../../signaling/shared/reports';
import { QueryState } from '../components/QueryState';
import { formatDateTime } from '../lib/format';
import { DataTable } from './DataTable';
import { decimal, seconds } from './format';
import { useCustomerTerms, useTicketHealth } from './queries';

/** Where the time goes: time in each status and tier, hand-offs, the longest waits. */
export function HealthSection({ query }: { query: string }) {
  const { t } = useTranslation();
  const health = useTicketHealth(query);
  const label = (key: string) => {
    const [kind, value] = key.split(':');
    return kind === 'status' ? t(`ticket.status.${value}` as never) : (value ?? key);
  };
  const timeColumns = (keyLabel: (k: string) => string) => [
    {
      header: t('reports.health.where'),
      cell: (r: StatusTimeRow) => keyLabel(r.key),
      csv: (r: StatusTimeRow) => r.key,
    },
    {
      header: t('reports.health.tickets'),
      cell: (r: StatusTimeRow) => r.tickets,
      csv: (r: StatusTimeRow) => r.tickets,
      numeric: true,
    },
    {
      header: t('reports.health.total'),
      cell: (r: StatusTimeRow) => seconds(r.totalSeconds),
      csv: (r: StatusTimeRow) => r.totalSeconds,
      numeric: true,
    },
    {
      header: t('reports.health.average'),
      cell: (r: StatusTimeRow) => seconds(r.averageSeconds),
      csv: (r: StatusTimeRow) => r.averageSeconds,
      numeric: true,
    },
  ];
  return (
    <Stack gap="sm" component="section" aria-label={t('reports.health.heading')}>
      <Title order={2} size="h4">
        {t('reports.health.heading')}
      </Title>
      <QueryState
        query={health}
        loadingLabel={t('reports.loading')}
        errorTitle={t('reports.error')}
        retryLabel={t('common.retry')}
      >
        {(h) => (
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            <DataTable
              title={t('reports.health.statuses')}
              fileName="livedesk-time-in-status"
              columns={timeColumns((k) => t(`ticket.status.${k}` as never))}
              rows={h.statuses}
              rowKey={(r) => r.key}
              minWidth={360}
            />
            <DataTable
              title={t('reports.health.tiers')}
              fileName="livedesk-time-in-tier"
              columns={timeColumns((k) => k)}
              rows={h.tiers}
              rowKey={(r) => r.key}
              minWidth={360}
            />
            <Paper withBorder p="md">
              <Title order={3} size="h5" mb="xs">
                {t('reports.health.handoffs')}
              </Title>
              <Text size="sm">
                {t('reports.health.handoffsSummary', {
                  average: decimal(h.handoffs.average),
                  max: h.handoffs.max,
                  tickets: h.handoffs.tickets,
                })}
              </Text>
              <Group gap="xs" mt="xs">
                {h.handoffs.distribution.map((n, i) => (
                  <Badge key={String(i)} variant="light" color="gray">
                    {t('reports.health.handoffBucket', { count: i, tickets: n, plus: i === 3 ? '+' : '' })}
                  </Badge>
                ))}
              </Group>
            </Paper>
            <DataTable
              title={t('reports.health.longest')}
              fileName="livedesk-longest-waits"
              rows={h.longestWaits}
              rowKey={(r) => `${r.key}:${r.ticketId}`}
              minWidth={420}
              columns={[
                {
                  header: t('reports.health.where'),
                  cell: (r: LongWaitRow) => label(r.key),
                  csv: (r: LongWaitRow) => r.key,
                },
                {
                  header: t('reports.drill.ticket'),
                  cell: (r: LongWaitRow) => (
                    <Anchor component={Link} to={`/tickets/${r.ticketId}`}>
                      {t('ticket.numberAndSubject', { number: r.number, subject: r.subject })}
                    </Anchor>
                  ),
                  csv: (r: LongWaitRow) => r.number,
                },
                {
                  header: t('reports.drill.subject'),
                  cell: () => null,
                  csv: (r: LongWaitRow) => r.subject,
                  csvOnly: true,
                },
                {
                  header: t('reports.health.waited'),
                  cell: (r: LongWaitRow) => seconds(r.seconds),
                  csv: (r: LongWaitRow) => r.seconds,
                  numeric: true,
                },
              ]}
            />
          </SimpleGrid>
        )}
      </QueryState>
    </Stack>
  );
}

/** What customers say: frequent terms against the previous period, each opening its texts. */
export function TermsSection({ query }: { query: string }) {
  const { t } = useTranslation();
  const terms = useCustomerTerms(query);
  const [open, setOpen] = useState<TermRow | null>(null);
  const phone = useMediaQuery('(max-width: 40em)');
  return (
    <Stack gap="sm" component="section" aria-label={t('reports.terms.heading')}>
      <Title order={2} size="h4">
        {t('reports.terms.heading')}
      </Title>
      <QueryState
        query={terms}
        loadingLabel={t('reports.loading')}
        errorTitle={t('reports.error')}
        retryLabel={t('common.retry')}
      >
        {(data) => (
          <DataTable
            title={t('reports.terms.table', { count: data.documents })}
            fileName="livedesk-terms"
            rows={data.terms}
            rowKey={(r) => r.term}
            empty={t('reports.terms.empty')}
            minWidth={360}
            columns={[
              {
                header: t('reports.terms.term'),
                cell: (r: TermRow) => (
                  <UnstyledButton onClick={() => setOpen(r)} c="blue" fw={600} data-term={r.term}>
                    {r.term}
                  </UnstyledButton>
                ),
                csv: (r: TermRow) => r.term,
              },
              {
                header: t('reports.terms.count'),
                cell: (r: TermRow) => r.count,
                csv: (r: TermRow) => r.count,
                numeric: true,
              },
              {
                header: t('reports.terms.previous'),
                cell: (r: TermRow) => r.previous,
                csv: (r: TermRow) => r.previous,
                numeric: true,
              },
              {
                header: t('reports.terms.change'),
                cell: (r: TermRow) => (
                  <Text span c={r.change > 0 ? 'red' : r.change < 0 ? 'teal' : 'dimmed'} fz="sm">
                    {r.change > 0 ? `+${r.change}` : r.change}
                  </Text>
                ),
                csv: (r: TermRow) => r.change,
                numeric: true,
              },
            ]}
          />
        )}
      </QueryState>
      {open && (
        <Modal
          opened
          onClose={() => setOpen(null)}
          title={t('reports.terms.sources', { term: open.term })}
          fullScreen={phone}
          size="lg"
          closeButtonProps={{ 'aria-label': t('reports.close') }}
        >
          <List spacing="sm" listStyleType="none">
            {open.sources.map((s) => (
              <List.Item key={`${s.kind}:${s.ticketId}:${s.at}:${s.text.slice(0, 40)}`}>
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {s.text}
                </Text>
                <Group gap="xs">
                  <Badge size="xs" variant="light">
                    {t(`reports.terms.kind.${s.kind}`)}
                  </Badge>
                  {s.ticketId && (
                    <Anchor component={Link} to={`/tickets/${s.ticketId}`} size="xs">
                      #{s.ticketNumber}
                    </Anchor>
                  )}
                  <Text size="xs" c="dimmed">
                    {formatDateTime(s.at)}
                  </Text>
                </Group>
              </List.Item>
            ))}
          </List>
        </Modal>
      )}
    </Stack>
  );
}
