// bench/cpuUsage.ts: the CPU accounting bench:join prints, checked against real processes (/proc).
import { spawn } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { addWindow, cpuRows, cpuSnapshot, emptyWindows, machineBusyShare } from '../../bench/cpuUsage';

/**
 * Keeps this process busy until it has used `ms` of CPU time (not wall time: on a busy machine the
 * test still burns what it asserts).
 */
function spin(ms: number): number {
  const start = process.cpuUsage();
  let x = 0;
  while (process.cpuUsage(start).user / 1000 < ms) x += Math.sqrt(x + 1);
  return x;
}

describe('CPU accounting of the join benchmark', () => {
  it('charges the CPU a process used between two snapshots to its role, and descendants count as ours', async () => {
    const before = cpuSnapshot();
    // A child that burns CPU on its own (a descendant of this process) while this one does too.
    const child = spawn('sh', ['-c', 'while :; do :; done']);
    expect(spin(400)).toBeGreaterThan(0);
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
    // At least the 400 ms of CPU this process spun (less a clock tick); never more than all the
    // cores over the window.
    expect(windows.byRole.get('me')).toBeGreaterThanOrEqual(0.39);
    expect(windows.byRole.get('me')).toBeLessThanOrEqual(windows.seconds * os.cpus().length + 0.02);
    // The child ran meanwhile and is charged to its own role.
    expect(windows.byRole.get('child')).toBeGreaterThan(0);
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
    // 400 ms of CPU time can take many seconds of wall time on a loaded 2-core machine.
  }, 60_000);

  it('reports nothing for windows it did not measure', () => {
    const windows = emptyWindows();
    expect(cpuRows(windows)).toEqual([]);
    expect(machineBusyShare(windows)).toBeNaN();
  });
});
