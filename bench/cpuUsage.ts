// Where this machine's CPU went during a benchmark's timed windows (Linux /proc; elsewhere the
// snapshots are empty and the report says so). Used by bench:join, whose latency on a small
// machine is set by how much CPU the two browsers, the server and the worker leave each other.
//
// A snapshot reads /proc/stat (all cores) and /proc/<pid>/stat of every process (user + system
// time, in clock ticks of 10 ms); two snapshots give each process's CPU time in between. Taking
// one costs a few milliseconds of the driver's CPU, so it is taken just before a window opens and
// just after it closes, never during it. Processes are grouped by what they are for the benchmark:
// the ones this driver started (by ancestry) are named by role, everything else is "other".
import fs from 'node:fs';
import os from 'node:os';

/** Clock ticks per second of /proc (USER_HZ); 100 on every Linux this project runs on. */
const TICKS_PER_SECOND = 100;

interface ProcessTimes {
  ppid: number;
  ticks: number;
}

export interface CpuSnapshot {
  at: number;
  /** Busy and total ticks of all cores together (`/proc/stat` line `cpu`); null off Linux. */
  machine: { busy: number; total: number } | null;
  processes: Map<number, ProcessTimes>;
}

/** CPU time per role over one or more windows, in core-seconds, and the windows' length. */
export interface CpuWindows {
  seconds: number;
  machineBusy: number;
  machineTotal: number;
  byRole: Map<string, number>;
}

export function emptyWindows(): CpuWindows {
  return { seconds: 0, machineBusy: 0, machineTotal: 0, byRole: new Map() };
}

export function cpuSnapshot(): CpuSnapshot {
  const snapshot: CpuSnapshot = { at: Date.now(), machine: null, processes: new Map() };
  let stat: string;
  try {
    stat = fs.readFileSync('/proc/stat', 'utf8');
  } catch {
    return snapshot; // not Linux
  }
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice
  const fields = stat.split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busy = user + nice + system + irq + softirq + steal;
  snapshot.machine = { busy, total: busy + idle + iowait };
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const times = readProcessTimes(Number(name));
    if (times) snapshot.processes.set(Number(name), times);
  }
  return snapshot;
}

function readProcessTimes(pid: number): ProcessTimes | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces: the fields start after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // rest[0] state, [1] ppid, … [11] utime, [12] stime
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null; // gone meanwhile
  }
}

/**
 * The role of a process in the benchmark, from its command line and whether it descends from this
 * process (the driver), e.g. Chromium's processes by their `--type`, Node by its script.
 */
export type RoleOf = (pid: number, commandLine: string, ours: boolean) => string;

/** Adds the CPU time between `before` and `after` to `into`, per role. */
export function addWindow(into: CpuWindows, before: CpuSnapshot, after: CpuSnapshot, roleOf: RoleOf): void {
  if (!before.machine || !after.machine) return;
  into.seconds += (after.at - before.at) / 1000;
  into.machineBusy += after.machine.busy - before.machine.busy;
  into.machineTotal += after.machine.total - before.machine.total;
  const root = process.pid;
  const isOurs = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
      if (p === root) return true;
      p = after.processes.get(p)?.ppid ?? before.processes.get(p)?.ppid ?? 0;
    }
    return false;
  };
  for (const [pid, now] of after.processes) {
    // A process started inside the window counts from zero.
    const ticks = now.ticks - (before.processes.get(pid)?.ticks ?? 0);
    if (ticks <= 0) continue;
    // Read at the end of the window: a renderer forked from Chromium's zygote shows its own
    // command line (`--type=renderer`) only once it has started.
    const role = roleOf(pid, commandLineOf(pid), isOurs(pid));
    into.byRole.set(role, (into.byRole.get(role) ?? 0) + ticks / TICKS_PER_SECOND);
  }
}

function commandLineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/**
 * Rows for `formatTable`: each role's CPU as a share of one core over the windows, largest first,
 * then the whole machine's busy share of all its cores.
 */
export function cpuRows(windows: CpuWindows): string[][] {
  if (windows.seconds === 0 || windows.machineTotal === 0) return [];
  const rows = [...windows.byRole]
    .filter(([, coreSeconds]) => coreSeconds / windows.seconds >= 0.005)
    .sort((a, b) => b[1] - a[1])
    .map(([role, coreSeconds]) => [role, `${Math.round((100 * coreSeconds) / windows.seconds)} %`]);
  return [
    ['process', 'CPU (% of one core)'],
    ...rows,
    [
      `whole machine (${os.cpus().length} cores)`,
      `${Math.round((100 * windows.machineBusy) / windows.machineTotal)} % busy`,
    ],
  ];
}

/** The machine's busy share (0–1) over the windows; NaN when nothing was measured. */
export function machineBusyShare(windows: CpuWindows): number {
  return windows.machineTotal > 0 ? windows.machineBusy / windows.machineTotal : Number.NaN;
}

/**
 * Core-milliseconds per run of each kind of process, for two series side by side (Livedesk and
 * the bare page of bench:join): a table and the figures by role.
 */
export function cpuPerRun(
  ours: CpuWindows,
  ourRuns: number,
  theirs: CpuWindows,
  theirRuns: number,
): { rows: string[][]; byRole: Record<string, { livedesk: number; baseline: number }> } {
  const byRole: Record<string, { livedesk: number; baseline: number }> = {};
  if (ourRuns === 0 || theirRuns === 0) return { rows: [], byRole };
  for (const role of new Set([...ours.byRole.keys(), ...theirs.byRole.keys()])) {
    byRole[role] = {
      livedesk: Math.round((1000 * (ours.byRole.get(role) ?? 0)) / ourRuns),
      baseline: Math.round((1000 * (theirs.byRole.get(role) ?? 0)) / theirRuns),
    };
  }
  const rows = Object.entries(byRole)
    .filter(([, v]) => v.livedesk + v.baseline >= 10)
    .sort((a, b) => b[1].livedesk - a[1].livedesk)
    .map(([role, v]) => [
      role,
      `${v.livedesk} ms`,
      `${v.baseline} ms`,
      v.baseline > 0 ? `${(v.livedesk / v.baseline).toFixed(2)} ×` : '—',
    ]);
  return { rows: [['process', 'Livedesk', 'bare page', 'ratio'], ...rows], byRole };
}
