// bench/cpuUsage.ts: the CPU accounting bench:join prints, checked against real processes (/proc).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { addWindow, cpuRows, cpuSnapshot, emptyWindows, machineBusyShare } from '../../bench/cpuUsage';

/** Keeps this process's thread busy for `ms` (CPU time, not a timer). */
function spin(ms: number): void {
  const until = Date.now() + ms;
  let x = 0;
  while (Date.now() < until) x += Math.sqrt(x + 1);
  expect(x).toBeGreaterThan(0);
}

describe('CPU accounting of the join benchmark', () => {
  it('charges the CPU a process used between two snapshots to its role, and descendants count as ours', async () => {
    const before = cpuSnapshot();
    // A child that burns CPU on its own (a descendant of this process) while this one does too.
    const child = spawn('sh', ['-c', 'while :; do :; done']);
    spin(400);
    await new Promise((r) => setTimeout(r, 300));
    const after = cpuSnapshot();
    child.kill('SIGKILL');

    const windows = emptyWindows();
    const seen: Array<{ pid: number; ours: boolean }> = [];
    addWindow(windows, before, after, (pid, _commandLine, ours) => {
      seen.push({ pid, ours });
      if (pid === process.pid) return 'me';
      if (pid === child.pid) return 'child';
      return ours ? 'ours' : 'others';
    });

    expect(seen.find((s) => s.pid === process.pid)?.ours).toBe(true);
    expect(seen.find((s) => s.pid === child.pid)?.ours).toBe(true);
    // At least most of the 400 ms this thread spun; never more than the window itself (plus a tick).
    expect(windows.byRole.get('me')).toBeGreaterThanOrEqual(0.25);
    expect(windows.byRole.get('me')).toBeLessThanOrEqual(windows.seconds + 0.02);
    // The child ran for the whole window on its own core share.
    expect(windows.byRole.get('child')).toBeGreaterThan(0.1);
    const busy = machineBusyShare(windows);
    expect(busy).toBeGreaterThan(0);
    expect(busy).toBeLessThanOrEqual(1);

    const rows = cpuRows(windows);
    expect(rows[0]).toEqual(['process', 'CPU (% of one core)']);
    const roles = rows.map((r) => r[0]);
    expect(roles).toContain('me');
    expect(roles).toContain('child');
    expect(rows.at(-1)?.[0]).toMatch(/^whole machine \(\d+ cores\)$/);
    expect(rows.at(-1)?.[1]).toMatch(/^\d+ % busy$/);
  });

  it('reports nothing for windows it did not measure', () => {
    const windows = emptyWindows();
    expect(cpuRows(windows)).toEqual([]);
    expect(machineBusyShare(windows)).toBeNaN();
  });
});
