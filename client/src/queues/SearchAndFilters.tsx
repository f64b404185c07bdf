import { Button, CloseButton, Group, Kbd, MultiSelect, Select, TextInput, useMatches } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueFilters, QueueSort } from '../../../signaling/shared/queues';
import { QUEUE_SORTS } from '../../../signaling/shared/queues';
import { useAgents } from '../tickets/queries';
import { useShortcuts } from '../tickets/useShortcuts';
import { activeFilterCount, LIST_FILTERS, type ListFilter } from './filters';

/** Typing settles for this long before the address (and so the search) follows. */
const TYPING_PAUSE_MS = 300;

function useFilterLabel() {
  const { t } = useTranslation();
  return (name: ListFilter, value: string): string => {
    switch (name) {
      case 'status':
        return value === 'active' ? t('queues.filters.active') : t(`ticket.status.${value as 'open'}`);
      case 'priority':
        return `${value} · ${t(`ticket.priorityName.${value as 'P1'}`)}`;
      case 'category':
        return t(`ticket.category.${value as 'other'}`);
      case 'channel':
        return t(`ticket.channel.${value as 'chat'}`);
      case 'sla':
        return t(`queues.sla.${value as 'ok'}`);
      default:
        return value;
    }
  };
}

/**
 * The search box ("/" focuses it, Esc clears it) and the filter and sort controls. Each change
 * goes to the address through `onChange`, so the page can be shared and stepped back through.
 */
export function SearchAndFilters({
  filters,
  sort,
  onChange,
  onSearch,
}: {
  filters: QueueFilters;
  sort: QueueSort;
  onChange: (filters: QueueFilters, sort: QueueSort) => void;
  /** While typing: replaces the address entry instead of adding one per key. */
  onSearch: (q: string) => void;
}) {
  const { t } = useTranslation();
  const label = useFilterLabel();
  const agents = useAgents();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(filters.q ?? '');
  const typed = useRef(filters.q ?? '');

  // The address changed elsewhere (a saved view, the back button): the box follows it.
  useEffect(() => {
    if ((filters.q ?? '') !== typed.current) {
      typed.current = filters.q ?? '';
      setText(filters.q ?? '');
    }
  }, [filters.q]);

  useEffect(() => {
    if (text === typed.current) return;
    const timer = setTimeout(() => {
      typed.current = text;
      onSearch(text);
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, onSearch]);

  useShortcuts({ '/': () => input.current?.focus() }, true);

  const set = (name: ListFilter, values: string[]) => {
    const next = { ...filters, [name]: values.length ? values : undefined };
    if (!values.length) delete next[name];
    onChange(next, sort);
  };
  const multi = (name: ListFilter) => (
    <MultiSelect
      key={name}
      label={t(`queues.filters.${name}`)}
      placeholder={filters[name]?.length ? undefined : t('queues.filters.any')}
      data={(LIST_FILTERS[name] as readonly string[]).map((value) => ({ value, label: label(name, value) }))}
      value={filters[name] ?? []}
      onChange={(values) => set(name, values)}
      clearable
      size="sm"
      w={{ base: '100%', xs: 170 }}
      comboboxProps={{ withinPortal: true }}
    />
  );

  const assigneeOptions = [
    { value: 'me', label: t('queues.assignee.me') },
    { value: 'none', label: t('queues.assignee.none') },
    ...(agents.data ?? []).map((a) => ({ value: a.id, label: `${a.name} (${a.tier})` })),
  ];
  const filterCount = activeFilterCount(filters);
  // A phone shows the search and the sort; the filters open on demand instead of filling the screen.
  const phone = useMatches({ base: true, sm: false });
  const [shown, setShown] = useState(false);
  const showFilters = !phone || shown;

  return (
    <Group gap="xs" align="flex-end" wrap="wrap" role="search" aria-label={t('queues.search.region')}>
      <TextInput
        ref={input}
        type="search"
        label={t('queues.search.label')}
        placeholder={t('queues.search.placeholder')}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && text) {
            e.preventDefault();
            setText('');
          } else if (e.key === 'Enter') {
            typed.current = text;
            onSearch(text);
          }
        }}
        rightSection={
          text ? (
            <CloseButton size="sm" aria-label={t('queues.search.clear')} onClick={() => setText('')} />
          ) : (
            <Kbd size="xs" aria-hidden="true">
              /
            </Kbd>
          )
        }
        size="sm"
        w={{ base: '100%', md: 360 }}
        maxLength={200}
        data-testid="queue-search"
      />
      <Select
        label={t('queues.filters.sort')}
        data={QUEUE_SORTS.map((value) => ({ value, label: t(`queues.sort.${value}`) }))}
        value={sort}
        onChange={(value) => value && onChange(filters, value as QueueSort)}
        allowDeselect={false}
        size="sm"
        w={{ base: '100%', xs: 190 }}
      />
      {phone && (
        <Button variant="default" size="sm" onClick={() => setShown((v) => !v)} aria-expanded={shown}>
          {t('queues.filters.toggle', { count: filterCount })}
        </Button>
      )}
      {showFilters && multi('status')}
      {showFilters && multi('priority')}
      {showFilters && multi('tier')}
      {showFilters && multi('category')}
      {showFilters && multi('channel')}
      {showFilters && multi('sla')}
      {showFilters && (
        <Select
          label={t('queues.filters.assignee')}
          placeholder={t('queues.filters.any')}
          data={assigneeOptions}
          value={filters.assignee ?? null}
          onChange={(value) => {
            const next = { ...filters };
            if (value) next.assignee = value;
            else delete next.assignee;
            onChange(next, sort);
          }}
          clearable
          searchable
          size="sm"
          w={{ base: '100%', xs: 190 }}
        />
      )}
      {filterCount > 0 && (
        <Button variant="subtle" size="xs" onClick={() => onChange(filters.q ? { q: filters.q } : {}, sort)}>
          {t('queues.filters.clear', { count: filterCount })}
        </Button>
      )}
    </Group>
  );
}
