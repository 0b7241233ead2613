/**
 * Measurements of the machine and of a job's process, read from the OS: CPU as the
 * share of time spent between two samples, memory as resident set size. The job's
 * process is measured from outside (/proc) so the figures stay true even while it is
 * busy and cannot report itself.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
const PAGE_SIZE = 4096;

export interface ProcessSample {
  readonly cpuSeconds: number;
  readonly rssBytes: number;
  /** Bytes the process caused to be written to storage (write_bytes); null when /proc/<pid>/io is not readable. */
  readonly bytesWritten: number | null;
  readonly at: number;
}

/**
 * Reads /proc/<pid>; null when the process is gone or /proc is unavailable. Blocking reads
 * on purpose: /proc is served from memory, and three small reads cost less than three
 * round trips through the thread pool.
 */
export function sampleProcess(pid: number): ProcessSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const statm = readFileSync(`/proc/${pid}/statm`, 'utf8');
    let io: string | null = null;
    try {
      io = readFileSync(`/proc/${pid}/io`, 'utf8');
    } catch {
      // not readable here (another user's process, a hardened /proc): bytes written stay unmeasured
    }
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssPages = Number(statm.split(' ')[1]);
    return {
      cpuSeconds: (utime + stime) / CLOCK_TICKS_PER_SECOND,
      rssBytes: rssPages * PAGE_SIZE,
      bytesWritten: io === null ? null : writeBytesOf(io),
      at: Date.now(),
    };
  } catch {
    return null;
  }
}

/** `write_bytes` of a /proc/<pid>/io text; null when absent. */
export function writeBytesOf(io: string): number | null {
  const match = /^write_bytes: (\d+)$/m.exec(io);
  return match ? Number(match[1]) : null;
}

/** CPU percent of one core between two samples of the same process. */
export function cpuPercentBetween(earlier: ProcessSample, later: ProcessSample): number {
  const wall = (later.at - earlier.at) / 1000;
  return wall > 0 ? Math.max(0, ((later.cpuSeconds - earlier.cpuSeconds) / wall) * 100) : 0;
}

interface CpuTimes { idle: number; total: number }

function machineCpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

/** Machine CPU utilisation (0..100 of all cores) since the previous call. */
export class MachineCpuMeter {
  private previous = machineCpuTimes();

  sample(): number {
    const now = machineCpuTimes();
    const total = now.total - this.previous.total;
    const idle = now.idle - this.previous.idle;
    this.previous = now;
    return total > 0 ? Math.min(100, Math.max(0, (1 - idle / total) * 100)) : 0;
  }
}
