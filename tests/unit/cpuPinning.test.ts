// bench/cpuPinning.ts: bench:join's --cores split, checked on real processes (/proc, taskset).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { coreSets, lowestPriority, pinTree, splitUnavailable } from '../../bench/cpuPinning';

/** A field of /proc/<pid>/status, e.g. Cpus_allowed_list. */
const status = (pid: number, field: string) =>
  fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((line) => line.startsWith(`${field}:`))
    ?.split(':')[1]
    ?.trim();

/** The pid of `parent`'s child, once it has one (the shell starts it at once). */
async function childOf(parent: number): Promise<number> {
  for (;;) {
    const children = fs.readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim();
    if (children) return Number(children.split(' ')[0]);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('cores split for bench:join', () => {
  const started: number[] = [];
  afterEach(() => {
    for (const pid of started.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('pins a process, its threads and its children to the given cores, and not this process', async () => {
    expect(splitUnavailable()).toBeNull();
    const mine = status(process.pid, 'Cpus_allowed_list');
    const shell = spawn('sh', ['-c', 'sleep 60 & wait']);
    started.push(shell.pid!);
    const sleeper = await childOf(shell.pid!);
    started.push(sleeper);

    const { browsers, server } = coreSets();
    pinTree(shell.pid!, server);
    expect(status(shell.pid!, 'Cpus_allowed_list')).toBe(server);
    expect(status(sleeper, 'Cpus_allowed_list')).toBe(server);
    expect(status(process.pid, 'Cpus_allowed_list')).toBe(mine);

    pinTree(shell.pid!, browsers);
    expect(status(sleeper, 'Cpus_allowed_list')).toBe(browsers);
    expect(browsers).not.toBe(server);
  });

  it('puts every thread of a process and of its children at the lowest priority', async () => {
    // A Node child has several threads (V8's, libuv's) besides its main one.
    const node = spawn(process.execPath, ['-e', 'console.log("up"); setInterval(() => {}, 1000)']);
    started.push(node.pid!);
    await new Promise((r) => node.stdout.once('data', r));
    const threads = fs.readdirSync(`/proc/${node.pid}/task`).map(Number);
    expect(threads.length).toBeGreaterThan(1);

    lowestPriority(node.pid!);
    for (const tid of threads) expect(os.getPriority(tid)).toBe(19);
    expect(os.getPriority(process.pid)).not.toBe(19);
  });
});
