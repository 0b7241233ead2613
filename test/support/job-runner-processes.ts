/** The job runner processes of a node, read from /proc (Linux), for suites that kill one. */
import { readdirSync, readFileSync } from 'node:fs';
import { sampleProcess } from '../../libs/execution-node/src/process-usage.js';

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

/** CPU a runner spends starting (loading the engine) is about 0.35 s; past this it is computing a job. */
const PAST_ANY_START_SECONDS = 1;
/** Three clock ticks (0.01 s each; a figure between two and three): more than an idle runner's timers ever use. */
const COMPUTING_SECONDS = 0.025;

/**
 * The node's job runner that is computing a job, found by its CPU time, without the job having
 * reported progress (a CPU-bound job reports it only between its steps): a runner seen idle
 * (under a tick in 100 ms) whose CPU then grows by 3 ticks or more, or one that has used more
 * CPU than any runner's start costs (a fresh runner may go from its start straight into the
 * job). For suites where one job runs at a time, on logs that take seconds of CPU.
 */
export async function busyJobProcessOf(parentPid: number, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Map<number, { cpu: number; at: number; idleCpu: number | null }>();
  for (;;) {
    for (const pid of jobProcessesOf(parentPid)) {
      const cpu = sampleProcess(pid)?.cpuSeconds;
      if (cpu === undefined) continue;
      if (cpu >= PAST_ANY_START_SECONDS) return pid;
      const last = seen.get(pid);
      if (!last) {
        seen.set(pid, { cpu, at: Date.now(), idleCpu: null });
        continue;
      }
      if (last.idleCpu !== null && cpu - last.idleCpu >= COMPUTING_SECONDS) return pid;
      if (last.idleCpu === null && Date.now() - last.at >= 100) {
        // Over at least 100 ms: idle if it used not one tick, else look again from here.
        seen.set(pid, { cpu, at: Date.now(), idleCpu: cpu - last.cpu < 0.005 ? cpu : null });
      }
    }
    if (Date.now() > deadline) throw new Error(`no busy job runner of process ${parentPid} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Holds (SIGSTOP) every job runner of a node, waiting for at least one to exist: a job the
 * node is running stays mid-job however fast the engine gets, until the suite lets it go
 * (SIGCONT) or kills it with its node. Returns the held pids.
 */
export async function holdJobRunnersOf(parentPid: number, timeoutMs = 10_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pids = jobProcessesOf(parentPid);
    if (pids.length > 0) {
      for (const pid of pids) process.kill(pid, 'SIGSTOP');
      return pids;
    }
    if (Date.now() > deadline) throw new Error(`no job runner of process ${parentPid} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
