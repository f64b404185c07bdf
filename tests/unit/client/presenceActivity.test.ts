import { describe, expect, it } from 'vitest';
import { reportActivity } from '../../../client/src/lib/presenceActivity';

/** A window enough for the reporter: events, and a document whose visibility the test sets. */
function fakeWindow() {
  const target = new EventTarget() as EventTarget & { document: EventTarget & { visibilityState: string } };
  target.document = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  return target;
}

describe('reportActivity', () => {
  it('sends the first sign of life at once, then at most once per two seconds, and stops', () => {
    const win = fakeWindow();
    const sent: unknown[] = [];
    let now = 1_000;
    const stop = reportActivity(
      { emitVolatile: (event, payload) => void sent.push([event, payload]) },
      win as unknown as Window,
      () => now,
    );
    win.dispatchEvent(new Event('keydown'));
    win.dispatchEvent(new Event('pointermove'));
    expect(sent).toEqual([['presence:activity', {}]]);
    now += 1_999;
    win.dispatchEvent(new Event('pointerdown'));
    expect(sent).toHaveLength(1);
    now += 1;
    win.dispatchEvent(new Event('wheel'));
    expect(sent).toHaveLength(2);
    stop();
    now += 10_000;
    win.dispatchEvent(new Event('keydown'));
    expect(sent).toHaveLength(2);
  });

  it('reports nothing from a hidden tab, and reports coming back to it', () => {
    const win = fakeWindow();
    const sent: unknown[] = [];
    reportActivity({ emitVolatile: () => void sent.push(1) }, win as unknown as Window, () => 0);
    win.document.visibilityState = 'hidden';
    win.dispatchEvent(new Event('pointermove'));
    expect(sent).toHaveLength(0);
    win.document.visibilityState = 'visible';
    win.document.dispatchEvent(new Event('visibilitychange'));
    expect(sent).toHaveLength(1);
  });
});
