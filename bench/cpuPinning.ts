// Keeps the browsers' CPU and the server's apart on one machine (Linux, `taskset` of util-linux):
// `bench:join --cores split`. On a production desk the two people's browsers run on their own
// computers and never take the server's CPU, nor the server's (a busy chat's included) theirs; on
// one small machine they share the cores, and then a background load on the server slows the
// browsers' own work (drawing, codecs) as much as the server's answers. Split, the driver and
// Chromium run on the first core and the server (its worker threads, its mediasoup worker) on
// the others, so what a chat costs the call is what it costs on the server.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { cpuSnapshot } from './cpuUsage';

/** Why the cores cannot be split here, or null when they can. */
export function splitUnavailable(): string | null {
  if (process.platform !== 'linux') return 'pinning to cores needs Linux';
  if (os.availableParallelism() < 2) return 'pinning to cores needs at least 2 cores';
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return '`taskset` (util-linux) is missing';
  }
  return null;
}

/** The first core, and the rest of them (taskset's list syntax). */
export function coreSets(): { browsers: string; server: string } {
  const count = os.availableParallelism();
  return { browsers: '0', server: count === 2 ? '1' : `1-${count - 1}` };
}

/** `root` and every process under it, as /proc shows them now. */
function processTree(root: number): number[] {
  const { processes } = cpuSnapshot();
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of processes) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree: number[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/**
 * Pins `root`, every thread of it and every process under it to `cores`. Threads and processes
 * they start later inherit the setting. A process that ended meanwhile is skipped.
 */
export function pinTree(root: number, cores: string): void {
  for (const pid of processTree(root)) {
    try {
      execFileSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' });
    } catch {
      // gone meanwhile
    }
  }
}

/**
 * Every thread of `root` and of the processes under it at the lowest priority (nice 19): a load
 * generator that stands for other people's computers then runs on what the rest leaves over.
 * Per thread, since Linux keeps a nice value per thread.
 */
export function lowestPriority(root: number): void {
  for (const pid of processTree(root)) {
    let threads: string[];
    try {
      threads = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // gone meanwhile
    }
    for (const tid of threads) {
      try {
        os.setPriority(Number(tid), 19);
      } catch {
        // gone meanwhile
      }
    }
  }
}
