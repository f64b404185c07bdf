// Per-process CPU time and memory from Linux /proc, for benchmarks that measure processes they know
// by pid (the mediasoup workers, recorder FFmpegs, load generators): bench:record, bench:capacity.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

/** Clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`). */
export const CLK_TCK = (() => {
  try {
    return Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface ProcUsage {
  /** utime + stime, clock ticks. */
  ticks: number;
  rss: number;
  pss: number;
  alive: number;
}

export function readProc(pid: number): ProcUsage {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after it start past the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Field 3 (state) is fields[0], so utime (14) and stime (15) are fields[11] and fields[12].
    const ticks = Number(fields[11]) + Number(fields[12]);
    const kb = (text: string, key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    const rss = kb(fs.readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS') * 1024;
    let pss = Number.NaN;
    try {
      pss = kb(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss') * 1024;
    } catch {
      // smaps_rollup needs Linux ≥ 4.14 and may be unreadable; PSS is then reported as '-'.
    }
    return { ticks, rss, pss, alive: 1 };
  } catch {
    return { ticks: 0, rss: 0, pss: 0, alive: 0 };
  }
}

/**
 * Usage summed over `pids`. A process that has exited is missing from the sum, so its CPU would
 * look negative: `alive` says how many were read, and a sample where it dropped is flagged.
 */
export function readProcs(pids: readonly number[]): ProcUsage {
  const total: ProcUsage = { ticks: 0, rss: 0, pss: 0, alive: 0 };
  for (const pid of pids) {
    const u = readProc(pid);
    total.ticks += u.ticks;
    total.rss += u.rss;
    total.pss += u.pss;
    total.alive += u.alive;
  }
  return total;
}

/** CPU as % of one core between two readings `seconds` apart. */
export function cpuPercent(a: ProcUsage, b: ProcUsage, seconds: number): number {
  return ((b.ticks - a.ticks) / CLK_TCK / seconds) * 100;
}

const gc: () => void = (() => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

/** This process's RSS after two forced collections (RSS right after a burst of garbage overstates). */
export function nodeRssAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().rss;
}
