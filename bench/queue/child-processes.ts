/**
 * Every process the queue benchmark starts is tracked here, so none outlives the run: a
 * normal stop asks with SIGTERM (SIGKILL after a grace period), and on the way out (also
 * after a failure or Ctrl-C) whatever is still alive is killed.
 */
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

const live = new Set<ChildProcess>();

export function trackChild<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export async function stopChild(child: ChildProcess, graceMs = 20_000): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export function killTrackedChildren(): void {
  for (const child of live) if (!hasExited(child)) child.kill('SIGKILL');
}

process.once('exit', killTrackedChildren);

/** Calls `onLine` for each complete line the stream writes. */
export function forEachLine(stream: Readable, onLine: (line: string) => void): void {
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      onLine(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  });
}
