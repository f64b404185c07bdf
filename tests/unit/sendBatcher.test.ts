import { describe, expect, it } from 'vitest';
import { sendsInFlightFor } from '../../server/tickets/messages';
import type { SendOutcome, SendRequest, TicketsRepository } from '../../server/tickets/repository';
import { SendBatcher } from '../../server/tickets/sendBatcher';

/**
 * The statements a SendBatcher issues, each held open until the test ends it: the grouping is the
 * unit's own logic (the statements themselves run against both databases in messagePath.test.ts).
 */
function statements() {
  const issued: Array<{ ticketIds: string[]; end: () => void }> = [];
  const run = (requests: readonly SendRequest[]) =>
    new Promise<SendOutcome[]>((resolve) => {
      issued.push({
        ticketIds: requests.map((r) => r.ticketId),
        end: () => resolve(requests.map(() => ({ matched: true }))),
      });
    });
  const repo = {
    insertMessagesIfUnchanged: (requests: readonly SendRequest[]) => run(requests),
    insertMessageIfUnchanged: (_expected: unknown, ticketId: string) =>
      run([{ ticketId } as SendRequest]).then((outcomes) => outcomes[0]!),
  } as unknown as TicketsRepository;
  return { repo, issued };
}

const request = (ticketId: string): SendRequest => ({
  expected: undefined,
  ticketId,
  values: { authorId: 'a', kind: 'public', body: 'hi', clientMessageId: ticketId },
});
const settle = () => new Promise((r) => setImmediate(r));

describe('SendBatcher', () => {
  it('on the embedded database, gives every send that waited to the next statement', async () => {
    const { repo, issued } = statements();
    const batcher = new SendBatcher(repo, sendsInFlightFor('pglite'));
    const sends = ['t1', 't2', 't3', 't4', 't5'].map((id) => batcher.send(request(id)));
    await settle();
    expect(issued.map((s) => s.ticketIds)).toEqual([['t1']]);
    issued[0]!.end();
    await settle();
    expect(issued.map((s) => s.ticketIds)).toEqual([['t1'], ['t2', 't3', 't4', 't5']]);
    issued[1]!.end();
    expect((await Promise.all(sends)).every((o) => o.matched)).toBe(true);
  });

  it('on PostgreSQL, the first sends go alone side by side and only the rest are grouped', async () => {
    const { repo, issued } = statements();
    const batcher = new SendBatcher(repo, sendsInFlightFor('postgres'));
    const sends = ['t1', 't2', 't3', 't4', 't5', 't6'].map((id) => batcher.send(request(id)));
    await settle();
    expect(issued.map((s) => s.ticketIds)).toEqual([['t1'], ['t2'], ['t3'], ['t4']]);
    issued[0]!.end();
    await settle();
    expect(issued.at(-1)!.ticketIds).toEqual(['t5', 't6']);
    for (const s of issued.slice(1)) s.end();
    expect((await Promise.all(sends)).length).toBe(6);
  });
});
