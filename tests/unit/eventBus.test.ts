import { describe, expect, it } from 'vitest';
import { EventBus } from '../../server/events/bus';
import type { Logger } from '../../server/logger';

/** A logger that keeps what `error` was given. */
function recordingLogger() {
  const errors: Array<{ fields: Record<string, unknown>; message: string }> = [];
  const logger = {
    error: (fields: Record<string, unknown>, message: string) => errors.push({ fields, message }),
  } as unknown as Logger;
  return { logger, errors };
}

const read = { userId: 'u1', ticketId: 't1', lastReadSeq: 3 };

describe('EventBus', () => {
  it('runs every listener in order, the any-listeners after the typed ones, with the payload', () => {
    const { logger } = recordingLogger();
    const bus = new EventBus(logger);
    const calls: string[] = [];
    bus.onAny((type, payload) => void calls.push(`any ${type} ${(payload as typeof read).lastReadSeq}`));
    bus.on('ticket.read', (p) => void calls.push(`first ${p.lastReadSeq}`));
    bus.on('ticket.read', (p) => void calls.push(`second ${p.ticketId}`));
    bus.on('presence.changed', () => void calls.push('not this one'));
    bus.publish('ticket.read', read);
    expect(calls).toEqual(['first 3', 'second t1', 'any ticket.read 3']);
  });

  it('logs a listener that throws or rejects, with the event, and still runs the others', async () => {
    const { logger, errors } = recordingLogger();
    const bus = new EventBus(logger);
    const ran: string[] = [];
    bus.on('ticket.read', () => {
      throw new Error('thrown');
    });
    bus.on('ticket.read', async () => {
      throw new Error('rejected');
    });
    bus.on('ticket.read', () => void ran.push('typed'));
    bus.onAny(() => {
      throw new Error('thrown by any');
    });
    bus.onAny(async () => void ran.push('any'));
    expect(() => bus.publish('ticket.read', read)).not.toThrow();
    bus.publish('ticket.read', read);
    await new Promise((r) => setImmediate(r));
    expect(ran).toEqual(['typed', 'any', 'typed', 'any']);
    expect(errors.map((e) => [(e.fields.err as Error).message, e.fields.event, e.message])).toEqual(
      expect.arrayContaining([
        ['thrown', 'ticket.read', 'event listener failed'],
        ['rejected', 'ticket.read', 'event listener failed'],
        ['thrown by any', 'ticket.read', 'event listener failed'],
      ]),
    );
    expect(errors).toHaveLength(6);
  });

  it('names the event of a rejection for each event type', async () => {
    const { logger, errors } = recordingLogger();
    const bus = new EventBus(logger);
    bus.onAny(async () => {
      throw new Error('no');
    });
    bus.publish('ticket.read', read);
    bus.publish('presence.changed', { userId: 'u1', availability: 'auto', presence: 'online' } as never);
    await new Promise((r) => setImmediate(r));
    expect(errors.map((e) => e.fields.event)).toEqual(['ticket.read', 'presence.changed']);
  });

  it('stops calling a listener once it unsubscribed', () => {
    const { logger } = recordingLogger();
    const bus = new EventBus(logger);
    let calls = 0;
    const off = bus.on('ticket.read', () => void calls++);
    const offAny = bus.onAny(() => void calls++);
    bus.publish('ticket.read', read);
    off();
    offAny();
    bus.publish('ticket.read', read);
    expect(calls).toBe(2);
  });
});
