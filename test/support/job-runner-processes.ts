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
