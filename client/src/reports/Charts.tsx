import { BarChart, LineChart } from '@mantine/charts';
import { Paper, SimpleGrid, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ReportSummary } from '../../../signaling/shared/reports';
import type { DrillTarget } from './DrillDown';

function ChartCard({ title, children, empty }: { title: string; children: React.ReactNode; empty: boolean }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="figure" m={0} aria-label={title}>
      <Title order={3} size="h5" mb="sm">
        {title}
      </Title>
      {empty ? (
        <Text c="dimmed" size="sm">
          {t('reports.noData')}
        </Text>
      ) : (
        children
      )}
    </Paper>
  );
}

/**
 * Trends, CSAT distribution (a bar opens its responses), CSAT beside the QA rubric over time, first
 * response by priority.
 */
export function Charts({
  summary: s,
  onDrill,
}: {
  summary: ReportSummary;
  onDrill: (target: DrillTarget) => void;
}) {
  const { t } = useTranslation();
  const trend = s.trend.map((p) => ({
    bucket: p.bucket.slice(5),
    [t('reports.charts.created')]: p.created,
    [t('reports.charts.solved')]: p.solved,
  }));
  const csat = s.csat.distribution.map((count, i) => ({
    score: String(i + 1),
    [t('reports.charts.tickets')]: count,
    [t('reports.charts.calls')]: s.csat.calls.distribution[i] ?? 0,
  }));
  // QA totals as the mean criterion score (1–5), so they share CSAT's scale on one chart.
  const criteria = s.qa.maxTotal / 5;
  const quality = s.trend.map((p) => ({
    bucket: p.bucket.slice(5),
    [t('reports.charts.csatAverage')]: p.csatAverage,
    [t('reports.charts.qaAverage')]:
      p.qaAverage === null || criteria === 0 ? null : Math.round((p.qaAverage / criteria) * 100) / 100,
  }));
  const frt = s.firstResponse.byKey.map((r) => ({
    key: r.key === 'chat' ? t('reports.liveChat') : r.key,
    [t('reports.charts.medianMinutes')]:
      r.medianSeconds === null ? 0 : Math.round((r.medianSeconds / 60) * 10) / 10,
  }));
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
      <ChartCard
        title={t('reports.charts.trend', { bucket: t(`reports.bucket.${s.range.bucket}`) })}
        empty={s.trend.every((p) => p.created === 0 && p.solved === 0)}
      >
        <LineChart
          h={220}
          data={trend}
          dataKey="bucket"
          series={[
            { name: t('reports.charts.created'), color: 'blue.6' },
            { name: t('reports.charts.solved'), color: 'teal.6' },
          ]}
          withLegend
          curveType="linear"
          data-chart="trend"
        />
      </ChartCard>
      <ChartCard
        title={t('reports.charts.csat')}
        empty={s.csat.responses === 0 && s.csat.calls.responses === 0}
      >
        <BarChart
          h={220}
          data={csat}
          dataKey="score"
          series={[
            { name: t('reports.charts.tickets'), color: 'violet.6' },
            { name: t('reports.charts.calls'), color: 'orange.5' },
          ]}
          withLegend
          barProps={{
            onClick: (data: { payload?: { score?: string } }) => {
              const score = Number(data.payload?.score);
              if (score)
                onDrill({ metric: 'csat.score', score, label: t('reports.charts.scoreDrill', { score }) });
            },
            cursor: 'pointer',
          }}
          data-chart="csat"
        />
      </ChartCard>
      <ChartCard
        title={t('reports.charts.quality', { bucket: t(`reports.bucket.${s.range.bucket}`) })}
        empty={s.trend.every((p) => p.csatAverage === null && p.qaAverage === null)}
      >
        <LineChart
          h={220}
          data={quality}
          dataKey="bucket"
          yAxisProps={{ domain: [1, 5] }}
          series={[
            { name: t('reports.charts.csatAverage'), color: 'violet.6' },
            { name: t('reports.charts.qaAverage'), color: 'orange.6' },
          ]}
          connectNulls
          withLegend
          curveType="linear"
          data-chart="quality"
        />
      </ChartCard>
      <ChartCard title={t('reports.charts.frt')} empty={s.firstResponse.responded === 0}>
        <BarChart
          h={220}
          data={frt}
          dataKey="key"
          series={[{ name: t('reports.charts.medianMinutes'), color: 'blue.6' }]}
          data-chart="frt"
        />
      </ChartCard>
    </SimpleGrid>
  );
}
