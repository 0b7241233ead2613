/** The job runner processes of a node, read from /proc (Linux), for suites that kill one. */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of the job runner processes a node process forked (children running job-runner-process.js). */
export function jobProcessesOf(parentPid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parentPid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('job-runner-process.js')) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** CPU time (user + system, clock ticks) of a process so far; null once it is gone. */
function cpuTicksOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime
  } catch {
    return null;
  }
}

/** CPU a runner spends starting (loading the engine) is about 0.35 s; past this it is computing a job. */
const PAST_ANY_START_TICKS = 100;

/**
 * The node's job runner that is computing a job, found by its CPU time, without the job having
 * reported progress (a CPU-bound job reports it only between its steps): a runner seen idle
 * (under a tick in 100 ms) whose CPU then grows by 3 ticks or more, or one that has used more
 * CPU than any runner's start costs (a fresh runner may go from its start straight into the
 * job). For suites where one job runs at a time, on logs that take seconds of CPU.
 */
export async function busyJobProcessOf(parentPid: number, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Map<number, { ticks: number; at: number; idleTicks: number | null }>();
  for (;;) {
    for (const pid of jobProcessesOf(parentPid)) {
      const ticks = cpuTicksOf(pid);
      if (ticks === null) continue;
      if (ticks >= PAST_ANY_START_TICKS) return pid;
      const last = seen.get(pid);
      if (!last) {
        seen.set(pid, { ticks, at: Date.now(), idleTicks: null });
        continue;
      }
      if (last.idleTicks !== null && ticks - last.idleTicks >= 3) return pid;
      if (last.idleTicks === null && Date.now() - last.at >= 100) {
        // Over at least 100 ms: idle if it used under a tick, else look again from here.
        seen.set(pid, { ticks, at: Date.now(), idleTicks: ticks - last.ticks < 1 ? ticks : null });
      }
    }
    if (Date.now() > deadline) throw new Error(`no busy job runner of process ${parentPid} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
