// The queue's filters and sort in the address bar (`/queue?q=视频&status=active&sort=oldest&view=…`),
// so a view can be shared, reloaded and stepped back through. Pure: the page reads and writes
// URLSearchParams through these.
import { CHANNELS, PRIORITIES, STATUSES, TIERS } from '../../../signaling/shared/domain';
import {
  QUEUE_CATEGORIES,
  QUEUE_SORTS,
  type QueueFilters,
  type QueueSort,
  SLA_STATES,
} from '../../../signaling/shared/queues';

export const LIST_FILTERS = {
  status: [...STATUSES, 'active'] as const,
  priority: PRIORITIES,
  tier: TIERS,
  category: QUEUE_CATEGORIES,
  channel: CHANNELS,
  sla: SLA_STATES,
} as const;
export type ListFilter = keyof typeof LIST_FILTERS;
export const LIST_FILTER_NAMES = Object.keys(LIST_FILTERS) as ListFilter[];

export interface QueueState {
  filters: QueueFilters;
  sort: QueueSort;
  /** The saved view these filters came from, if any (its tab is shown as chosen). */
  viewId: string | null;
  page: number;
}

const allowed = <T extends string>(values: readonly T[], raw: string | null): T[] =>
  (raw ?? '')
    .split(',')
    .filter((v): v is T => (values as readonly string[]).includes(v))
    .filter((v, i, all) => all.indexOf(v) === i);

export function readQueueState(params: URLSearchParams): QueueState {
  const filters: QueueFilters = {};
  const q = params.get('q')?.trim();
  if (q) filters.q = q.slice(0, 200);
  for (const name of LIST_FILTER_NAMES) {
    const values = allowed(LIST_FILTERS[name] as readonly string[], params.get(name));
    if (values.length) (filters as Record<string, string[]>)[name] = values;
  }
  const assignee = params.get('assignee');
  if (assignee) filters.assignee = assignee;
  const sort = params.get('sort');
  const page = Number(params.get('page'));
  return {
    filters,
    sort: (QUEUE_SORTS as readonly string[]).includes(sort ?? '') ? (sort as QueueSort) : 'updated',
    viewId: params.get('view'),
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

export function writeQueueState(state: QueueState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.viewId) params.set('view', state.viewId);
  if (state.filters.q) params.set('q', state.filters.q);
  for (const name of LIST_FILTER_NAMES) {
    const values = state.filters[name];
    if (values?.length) params.set(name, values.join(','));
  }
  if (state.filters.assignee) params.set('assignee', state.filters.assignee);
  if (state.sort !== 'updated') params.set('sort', state.sort);
  if (state.page > 1) params.set('page', String(state.page));
  return params;
}

/** The query string the search API takes for these filters (lists as `a,b`). */
export function searchQuery(filters: QueueFilters, sort: QueueSort, limit: number, offset: number): string {
  const params = writeQueueState({ filters, sort, viewId: null, page: 1 });
  params.set('sort', sort);
  params.set('limit', String(limit));
  params.set('offset', String(offset));
  return params.toString();
}

/** Whether two filter sets ask the same thing (a saved view's tab stays chosen while they do). */
export function sameFilters(a: QueueFilters, b: QueueFilters): boolean {
  return searchQuery(a, 'updated', 1, 0) === searchQuery(b, 'updated', 1, 0);
}

export const activeFilterCount = (filters: QueueFilters) =>
  LIST_FILTER_NAMES.filter((name) => filters[name]?.length).length + (filters.assignee ? 1 : 0);
