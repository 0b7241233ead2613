/** The job runner processes of a node, read from /proc (Linux), for suites that kill one. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from './wait-for.js';

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

/** Where a service with this DATA_DIR keeps a project's job artifacts, one folder per attempt (`<jobId>.attempt-<revision>`). */
export function projectArtifactsFolder(dataDir: string, tenantId: string, projectId: string): string {
  return path.join(dataDir, 'files', 'artifacts', tenantId, projectId);
}

/**
 * Holds (SIGSTOP) a node's runner once it has the job: its runner makes the attempt's folder
 * as it begins. The job then stays mid-job however fast the engine gets, until the suite lets
 * it go (SIGCONT) or kills it. For nodes that run one job at a time (one runner); returns its pid.
 */
export async function holdRunnerOnceItHas(nodePid: number, artifactsFolder: string, jobId: string): Promise<number> {
  await waitFor(async () => existsSync(artifactsFolder)
    && readdirSync(artifactsFolder).some((name) => name.startsWith(`${jobId}.attempt-`)), 30_000, 10, `job ${jobId}'s attempt folder`);
  const held = await holdJobRunnersOf(nodePid);
  if (held.length !== 1) throw new Error(`expected one job runner of process ${nodePid}, found ${held.length}`);
  return held[0];
}
