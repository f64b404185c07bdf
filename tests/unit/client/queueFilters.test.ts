import { describe, expect, it } from 'vitest';
import {
  activeFilterCount,
  readQueueState,
  sameFilters,
  searchQuery,
  writeQueueState,
} from '../../../client/src/queues/filters';

// The queue's address is its state: what a shared link or the back button restores.
describe('queue filters in the address', () => {
  it('reads what it wrote', () => {
    const state = {
      filters: {
        q: '视频 refund',
        status: ['active' as const],
        priority: ['P1' as const, 'P2' as const],
        assignee: 'me',
      },
      sort: 'oldest' as const,
      viewId: 'v1',
      page: 3,
    };
    const params = writeQueueState(state);
    expect(params.get('q')).toBe('视频 refund');
    expect(params.get('priority')).toBe('P1,P2');
    expect(readQueueState(params)).toEqual(state);
  });

  it('drops what the server would refuse instead of failing the page', () => {
    const state = readQueueState(
      new URLSearchParams('priority=P1,P9,P1&status=bogus&sort=random&page=-2&q=%20%20&sla=breached'),
    );
    expect(state).toEqual({
      filters: { priority: ['P1'], sla: ['breached'] },
      sort: 'updated',
      viewId: null,
      page: 1,
    });
  });

  it('leaves defaults out of the address and puts everything in the API query', () => {
    expect(writeQueueState({ filters: {}, sort: 'updated', viewId: null, page: 1 }).toString()).toBe('');
    const query = new URLSearchParams(searchQuery({ category: ['payment', 'account'] }, 'updated', 50, 100));
    expect(Object.fromEntries(query)).toEqual({
      category: 'payment,account',
      sort: 'updated',
      limit: '50',
      offset: '100',
    });
  });

  it('compares filters by meaning and counts the filters applied', () => {
    expect(sameFilters({ status: ['open'], q: 'x' }, { q: 'x', status: ['open'] })).toBe(true);
    expect(sameFilters({ status: ['open'] }, { status: ['new'] })).toBe(false);
    expect(activeFilterCount({ q: 'x', status: ['open'], tier: ['L1'], assignee: 'none' })).toBe(3);
  });
});
