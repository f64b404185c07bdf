import { Paper, SegmentedControl, Select, SimpleGrid, Stack } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { CHANNELS, PRIORITIES, TIERS } from '../../../signaling/shared/domain';
import { useAgents } from '../tickets/queries';
import { type FILTER_KEYS, PRESETS, type Preset, type ReportFilters } from './range';

const CATEGORIES = ['account', 'payment', 'course', 'technical', 'video_call', 'other'] as const;

/** The range and filters live in the address: a dashboard view can be bookmarked and shared. */
export function useReportFilters() {
  const [params, setParams] = useSearchParams();
  const get = (key: (typeof FILTER_KEYS)[number]) => params.get(key) || null;
  const preset = (PRESETS as readonly string[]).includes(get('preset') ?? '')
    ? (get('preset') as Preset)
    : '30';
  const filters = {
    preset,
    start: get('start'),
    end: get('end'),
    tier: get('tier'),
    priority: get('priority'),
    channel: get('channel'),
    category: get('category'),
    agent: get('agent'),
  } as ReportFilters;
  const set = (changes: Partial<Record<(typeof FILTER_KEYS)[number], string | null>>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );
  return { filters, set };
}

const day = (d: Date | string | null) => {
  if (!d) return null;
  if (typeof d === 'string') return d.slice(0, 10);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export function FilterBar({ state }: { state: ReturnType<typeof useReportFilters> }) {
  const { t } = useTranslation();
  const agents = useAgents();
  const { filters, set } = state;
  const option = (value: string, label: string) => ({ value, label });
  return (
    <Paper
      withBorder
      p="md"
      component="form"
      role="search"
      aria-label={t('reports.filters.label')}
      onSubmit={(e) => e.preventDefault()}
    >
      <Stack gap="sm">
        <SegmentedControl
          aria-label={t('reports.range.label')}
          value={filters.preset}
          onChange={(value) => set({ preset: value })}
          data={PRESETS.map((p) => option(p, t(`reports.range.${p}`)))}
          fullWidth
          style={{ maxWidth: 520 }}
        />
        {filters.preset === 'custom' && (
          <DatePickerInput
            type="range"
            label={t('reports.range.custom')}
            placeholder={t('reports.range.pick')}
            value={[filters.start, filters.end]}
            onChange={([start, end]) => set({ start: day(start), end: day(end) })}
            maxDate={new Date()}
            allowSingleDateInRange
            clearable
            maw={360}
          />
        )}
        <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="sm">
          <Select
            label={t('reports.filters.tier')}
            placeholder={t('reports.filters.any')}
            data={TIERS.map((v) => option(v, v))}
            value={filters.tier}
            onChange={(v) => set({ tier: v })}
            clearable
          />
          <Select
            label={t('reports.filters.priority')}
            placeholder={t('reports.filters.any')}
            data={PRIORITIES.map((v) => option(v, `${v} · ${t(`ticket.priorityName.${v}`)}`))}
            value={filters.priority}
            onChange={(v) => set({ priority: v })}
            clearable
          />
          <Select
            label={t('reports.filters.channel')}
            placeholder={t('reports.filters.any')}
            data={CHANNELS.map((v) => option(v, t(`ticket.channel.${v}`)))}
            value={filters.channel}
            onChange={(v) => set({ channel: v })}
            clearable
          />
          <Select
            label={t('reports.filters.category')}
            placeholder={t('reports.filters.any')}
            data={CATEGORIES.map((v) => option(v, t(`ticket.category.${v}`)))}
            value={filters.category}
            onChange={(v) => set({ category: v })}
            clearable
          />
          <Select
            label={t('reports.filters.agent')}
            placeholder={t('reports.filters.anyAgent')}
            data={(agents.data ?? []).map((a) => option(a.id, a.name))}
            value={filters.agent}
            onChange={(v) => set({ agent: v })}
            clearable
            searchable
          />
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}
