import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Unread } from '../../../client/src/notifications/api';
import { bumpUnread, clearUnread, UNREAD_KEY } from '../../../client/src/notifications/queries';

// The unread counts are a query kept current by pushes. A read of the counts that started before a
// push's change reached the server answers with the counts from before it; it must not undo the
// push (seen in the e2e notifications test: the toast of a new message, then no count in the title).

/** A query of the counts whose reads answer only when the test says, in order. */
function countsQuery() {
  const answers: Array<(unread: Unread) => void> = [];
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const observer = new QueryObserver<Unread>(client, {
    queryKey: UNREAD_KEY,
    queryFn: ({ signal }) =>
      new Promise<Unread>((resolve, reject) => {
        answers.push(resolve);
        signal.addEventListener('abort', () => reject(signal.reason));
      }),
  });
  const stop = observer.subscribe(() => {});
  return { client, answers, stop, counts: () => client.getQueryData<Unread>(UNREAD_KEY) };
}

const none: Unread = { total: 0, tickets: [] };
const oneOn = (ticketId: string): Unread => ({
  total: 1,
  tickets: [{ ticketId, count: 1, lastSeq: 7, unopened: false }],
});

describe('unread counts under pushes', () => {
  it('a read that started before a new message was pushed does not take its count away', async () => {
    const { client, answers, stop, counts } = countsQuery();
    expect(answers).toHaveLength(1); // the page's first read, still on its way
    bumpUnread(client, 't1', 7);
    expect(counts()?.total).toBe(1);
    // The first read answers late, with the counts from before the message.
    answers[0]!(none);
    await new Promise((r) => setTimeout(r, 0));
    expect(counts()?.total).toBe(1);
    // It was asked again, and the server's new answer has the message.
    expect(answers).toHaveLength(2);
    answers[1]!(oneOn('t1'));
    await new Promise((r) => setTimeout(r, 0));
    expect(counts()).toEqual(oneOn('t1'));
    stop();
  });

  it('a read on its way does not bring back a ticket just read elsewhere; with none on its way, nothing is asked', async () => {
    const { client, answers, stop, counts } = countsQuery();
    answers[0]!(oneOn('t1'));
    await new Promise((r) => setTimeout(r, 0));
    // Nothing reading: a push changes the counts here and asks the server nothing.
    clearUnread(client, 't1');
    expect(counts()?.total).toBe(0);
    expect(answers).toHaveLength(1);
    // A read starts (e.g. the minute's refetch), then the ticket is read in another tab.
    void client.refetchQueries({ queryKey: UNREAD_KEY });
    expect(answers).toHaveLength(2);
    bumpUnread(client, 't1', 8);
    clearUnread(client, 't1');
    answers[1]!(oneOn('t1'));
    await new Promise((r) => setTimeout(r, 0));
    expect(counts()?.total).toBe(0);
    expect(answers.length).toBeGreaterThan(2);
    answers.at(-1)!(none);
    await new Promise((r) => setTimeout(r, 0));
    expect(counts()).toEqual(none);
    stop();
  });
});
