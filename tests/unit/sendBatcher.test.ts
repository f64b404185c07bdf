import { afterEach, describe, expect, it, vi } from 'vitest';
import { sendPacingFor } from '../../server/tickets/messages';
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
  it('sends that arrive in one turn of the event loop go as one statement at its end', async () => {
    const { repo, issued } = statements();
    const batcher = new SendBatcher(repo, sendPacingFor('postgres'));
    const sends = ['t1', 't2', 't3'].map((id) => batcher.send(request(id)));
    // Nothing is issued during the turn itself …
    expect(issued).toEqual([]);
    // … and everything at its end, before the next turn's immediates (no timer involved).
    await settle();
    expect(issued.map((s) => s.ticketIds)).toEqual([['t1', 't2', 't3']]);
    // A send of a later turn goes alone, beside the one still running.
    const later = batcher.send(request('t4'));
    await settle();
    expect(issued.map((s) => s.ticketIds)).toEqual([['t1', 't2', 't3'], ['t4']]);
    for (const s of issued) s.end();
    expect((await Promise.all([...sends, later])).every((o) => o.matched)).toBe(true);
  });

  it('with one statement in flight, gives every send that waited to the next statement', async () => {
    const { repo, issued } = statements();
    const batcher = new SendBatcher(repo, { maxInFlight: 1 });
    const first = ['t1', 't2'].map((id) => batcher.send(request(id)));
    await settle();
    expect(issued.map((s) => s.ticketIds)).toEqual([['t1', 't2']]);
    // While the one statement runs, sends of later turns wait …
    const second = [batcher.send(request('t3'))];
    await settle();
    second.push(batcher.send(request('t4')), batcher.send(request('t5')));
    await settle();
    expect(issued.length).toBe(1);
    // … and go together as soon as it ends.
    issued[0]!.end();
    await settle();
    expect(issued.map((s) => s.ticketIds)).toEqual([
      ['t1', 't2'],
      ['t3', 't4', 't5'],
    ]);
    issued[1]!.end();
    expect((await Promise.all([...first, ...second])).every((o) => o.matched)).toBe(true);
  });

  it('on PostgreSQL, turns go side by side up to four statements, then the rest wait and are grouped', async () => {
    const { repo, issued } = statements();
    const batcher = new SendBatcher(repo, sendPacingFor('postgres'));
    const sends: Promise<unknown>[] = [];
    for (const id of ['t1', 't2', 't3', 't4', 't5', 't6']) {
      sends.push(batcher.send(request(id)));
      await settle();
    }
    expect(issued.map((s) => s.ticketIds)).toEqual([['t1'], ['t2'], ['t3'], ['t4']]);
    issued[0]!.end();
    await settle();
    expect(issued.at(-1)!.ticketIds).toEqual(['t5', 't6']);
    for (const s of issued.slice(1)) s.end();
    expect((await Promise.all(sends)).length).toBe(6);
  });

  it('a failed group is tried again send by send, so one bad send fails only itself', async () => {
    const stored: string[] = [];
    const repo = {
      insertMessagesIfUnchanged: async () => {
        throw new Error('the group failed');
      },
      insertMessageIfUnchanged: async (_expected: unknown, ticketId: string) => {
        if (ticketId === 'bad') throw new Error('bad send');
        stored.push(ticketId);
        return { matched: true };
      },
    } as unknown as TicketsRepository;
    const batcher = new SendBatcher(repo, { maxInFlight: 1 });
    const results = await Promise.allSettled(['t1', 'bad', 't2'].map((id) => batcher.send(request(id))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(stored).toEqual(['t1', 't2']);
  });

  describe('spaced statements (the embedded database)', () => {
    afterEach(() => {
      vi.useRealTimers();
    });
    // The clock and the spacing timer are the test's; turns of the event loop stay real.
    const fakeClock = () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      return () => Date.now();
    };

    it('the embedded database spaces its statements, PostgreSQL does not', () => {
      expect(sendPacingFor('pglite')).toMatchObject({ maxInFlight: 1 });
      expect(sendPacingFor('pglite').spacingMs).toBeGreaterThan(0);
      expect(sendPacingFor('postgres').spacingMs).toBe(0);
    });

    it('a send after a quiet moment goes at once; sends within the spacing wait and go as one', async () => {
      const now = fakeClock();
      const { repo, issued } = statements();
      const batcher = new SendBatcher(repo, { maxInFlight: 1, spacingMs: 15, now });
      const first = batcher.send(request('t1'));
      await settle();
      expect(issued.map((s) => s.ticketIds)).toEqual([['t1']]);
      issued[0]!.end();
      await first;
      // Two sends in later turns, 5 and 9 ms after the first statement started: neither goes yet.
      vi.advanceTimersByTime(5);
      const second = [batcher.send(request('t2'))];
      await settle();
      vi.advanceTimersByTime(4);
      second.push(batcher.send(request('t3')));
      await settle();
      expect(issued.length).toBe(1);
      // At 15 ms they go together.
      vi.advanceTimersByTime(5);
      await settle();
      expect(issued.length).toBe(1);
      vi.advanceTimersByTime(1);
      await settle();
      expect(issued.map((s) => s.ticketIds)).toEqual([['t1'], ['t2', 't3']]);
      issued[1]!.end();
      expect((await Promise.all(second)).every((o) => o.matched)).toBe(true);
      // After a quiet moment longer than the spacing, a send goes within its turn again.
      vi.advanceTimersByTime(100);
      const third = batcher.send(request('t4'));
      await settle();
      expect(issued.map((s) => s.ticketIds).at(-1)).toEqual(['t4']);
      issued[2]!.end();
      await third;
    });

    it('drain sends what waits for the spacing at once and resolves when every statement has ended', async () => {
      const now = fakeClock();
      const { repo, issued } = statements();
      // A spacing no test would wait out: only the drain can send the second send.
      const batcher = new SendBatcher(repo, { maxInFlight: 1, spacingMs: 60_000, now });
      const first = batcher.send(request('t1'));
      await settle();
      issued[0]!.end();
      await first;
      const second = batcher.send(request('t2'));
      await settle();
      expect(issued.length).toBe(1);
      let drained = false;
      const drain = batcher.drain().then(() => {
        drained = true;
      });
      await settle();
      expect(issued.map((s) => s.ticketIds)).toEqual([['t1'], ['t2']]);
      // Not drained while the statement runs.
      expect(drained).toBe(false);
      issued[1]!.end();
      await drain;
      expect((await second).matched).toBe(true);
      // Idle already: a drain resolves at once.
      await batcher.drain();
    });

    it('a statement slower than the spacing is followed at once by what waited for it', async () => {
      const now = fakeClock();
      const { repo, issued } = statements();
      const batcher = new SendBatcher(repo, { maxInFlight: 1, spacingMs: 15, now });
      const sends = [batcher.send(request('t1'))];
      await settle();
      sends.push(batcher.send(request('t2')));
      await settle();
      vi.advanceTimersByTime(40);
      expect(issued.length).toBe(1);
      issued[0]!.end();
      await settle();
      expect(issued.map((s) => s.ticketIds)).toEqual([['t1'], ['t2']]);
      issued[1]!.end();
      expect((await Promise.all(sends)).length).toBe(2);
    });
  });
});
