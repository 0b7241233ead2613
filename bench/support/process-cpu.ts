/**
 * CPU time of the processes a benchmark runs, from /proc (Linux): the service process, its
 * PostgreSQL backends (found by the application_name its connections carry, PGAPPNAME)
 * and the benchmark itself. On a shared 2-core machine latency follows the CPU all of them
 * spend, so these per-request figures compare runs better than latency does.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';

const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of a process in ms (0 once it is gone). */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Backend pids of the connections named `applicationName` (a PostgreSQL server on this machine). */
export async function backendPids(url: string, applicationName: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = await client.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [applicationName]);
    return rows.rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

/** CPU ms per request of the service, its PostgreSQL backends (null without a server) and this process, over one measurement. */
export interface CpuPerRequest {
  cpuService: number;
  cpuPostgres: number | null;
  cpuLoad: number;
}

/**
 * Starts counting; the returned function takes the request count and gives the figures.
 * Backends the pool opened meanwhile count from 0; one it closed meanwhile is missed (a pool keeps them while busy).
 */
export async function startCpuCount(servicePid: number, postgres: { url: string; applicationName: string } | null) {
  const backends = postgres ? await backendPids(postgres.url, postgres.applicationName) : [];
  const before = { service: processCpuMs(servicePid), postgres: backends.map(processCpuMs), load: process.cpuUsage() };
  return async (requests: number): Promise<CpuPerRequest> => {
    const after = postgres ? await backendPids(postgres.url, postgres.applicationName) : [];
    const postgresMs = after.reduce((sum, pid) => {
      const index = backends.indexOf(pid);
      return sum + processCpuMs(pid) - (index === -1 ? 0 : before.postgres[index]);
    }, 0);
    const load = process.cpuUsage(before.load);
    const perRequest = (ms: number) => Math.round((ms / Math.max(requests, 1)) * 1000) / 1000;
    return {
      cpuService: perRequest(processCpuMs(servicePid) - before.service),
      cpuPostgres: postgres ? perRequest(postgresMs) : null,
      cpuLoad: perRequest((load.user + load.system) / 1000),
    };
  };
}
