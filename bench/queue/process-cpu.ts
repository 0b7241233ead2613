/**
 * CPU time of process trees, read from /proc/<pid>/stat: utime + stime of each live process
 * of the tree, plus cutime + cstime (the CPU of children that already ended and were reaped,
 * e.g. a job's child process or a closed PostgreSQL backend). A difference of two readings is
 * the CPU the tree used in between.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat { readonly pid: number; readonly parentPid: number; readonly ownTicks: number; readonly ticks: number }

function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // ended meanwhile
  }
  // The command name (field 2) is in parentheses and may hold spaces: fields count from the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
  const ownTicks = Number(fields[11]) + Number(fields[12]);
  return { pid, parentPid: Number(fields[1]), ownTicks, ticks: ownTicks + Number(fields[13]) + Number(fields[14]) };
}

/** Milliseconds of CPU the processes `pids` used themselves so far, without any child's (null when none is alive). */
export function processOwnCpuMs(pids: readonly number[]): number | null {
  let ticks = 0;
  let alive = false;
  for (const pid of pids) {
    const stat = readProcStat(pid);
    if (!stat) continue;
    alive = true;
    ticks += stat.ownTicks;
  }
  return alive ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : null;
}

/** Milliseconds of CPU used so far by the trees rooted at `rootPids` (null when no root is alive). */
export function processTreeCpuMs(rootPids: readonly number[]): number | null {
  if (rootPids.length === 0) return null;
  const children = new Map<number, number[]>();
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (!stat) continue;
    stats.set(stat.pid, stat);
    const siblings = children.get(stat.parentPid) ?? [];
    siblings.push(stat.pid);
    children.set(stat.parentPid, siblings);
  }
  let ticks = 0;
  let alive = false;
  const pending = [...rootPids];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    const stat = stats.get(pid);
    if (!stat) continue;
    alive = true;
    ticks += stat.ticks;
    pending.push(...(children.get(pid) ?? []));
  }
  return alive ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : null;
}

/** The resolution of the readings above, in ms (one clock tick). */
export const CPU_READING_RESOLUTION_MS = 1000 / CLOCK_TICKS_PER_SECOND;
