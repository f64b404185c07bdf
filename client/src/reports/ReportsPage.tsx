import { Alert, Box, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublicUser } from '../../../signaling/shared/protocol';
import { QueryState } from '../components/QueryState';
import { useSession } from '../lib/session';
import { Charts } from './Charts';
import { DrillDown, type DrillTarget } from './DrillDown';
import { FilterBar, useReportFilters } from './Filters';
import { HealthSection, TermsSection } from './Insights';
import { useReportSummary } from './queries';
import { queryOf } from './range';
import { SummaryCards } from './SummaryCards';
import { SummaryTables } from './SummaryTables';

/** Supervisors and admins run the desk; QA reviewers read the same numbers (server: REPORT_ROLES). */
export const canSeeReports = (user: Pick<PublicUser, 'role'>) =>
  user.role === 'supervisor' || user.role === 'admin' || user.role === 'qa';

/** The experience dashboard: numbers, charts, tables, where the time goes and what customers say. */
export function ReportsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('reports.documentTitle'));
  const { session } = useSession();
  const state = useReportFilters();
  // Computed once per filter change: a preset's "today" must not move under a drill-down.
  const query = useMemo(() => queryOf(state.filters), [state.filters]);
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  if (session && !canSeeReports(session.user)) {
    return (
      <Alert color="yellow" title={t('reports.forbiddenTitle')}>
        {t('reports.forbidden')}
      </Alert>
    );
  }
  return (
    <Stack gap="md">
      <Box>
        <Title order={1} size="h2">
          {t('reports.heading')}
        </Title>
        <Text c="dimmed" size="sm">
          {t('reports.intro')}
        </Text>
      </Box>
      <FilterBar state={state} />
      {query ? (
        <Report query={query} onDrill={setDrill} />
      ) : (
        <Text c="dimmed">{t('reports.range.incomplete')}</Text>
      )}
      {drill && query && <DrillDown query={query} target={drill} onClose={() => setDrill(null)} />}
    </Stack>
  );
}

function Report({ query, onDrill }: { query: string; onDrill: (target: DrillTarget) => void }) {
  const { t } = useTranslation();
  const summary = useReportSummary(query);
  return (
    <QueryState
      query={summary}
      loadingLabel={t('reports.loading')}
      loading={{ skeleton: 6, height: 72 }}
      errorTitle={t('reports.error')}
      retryLabel={t('common.retry')}
    >
      {(s) => (
        <Stack
          gap="md"
          style={{ opacity: summary.isPlaceholderData ? 0.6 : 1 }}
          aria-busy={summary.isPlaceholderData}
        >
          {s.tickets.created === 0 && s.tickets.solved === 0 && s.csat.responses === 0 && (
            <Alert color="gray" variant="light" title={t('reports.emptyTitle')}>
              {t('reports.empty')}
            </Alert>
          )}
          <SummaryCards summary={s} onDrill={onDrill} />
          <Charts summary={s} onDrill={onDrill} />
          <SummaryTables summary={s} />
          <HealthSection query={query} />
          <TermsSection query={query} />
        </Stack>
      )}
    </QueryState>
  );
}
