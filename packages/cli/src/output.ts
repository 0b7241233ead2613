/** How pmjobs shows things: tables and bars for people, JSON for scripts; bars only on a terminal. */
import { SingleBar } from 'cli-progress';
import Table from 'cli-table3';

export interface OutputMode {
  readonly json: boolean;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printTable(head: readonly string[], rows: readonly (readonly unknown[])[]): void {
  // No colours: the table reads the same in a terminal, a pipe or a log file.
  const table = new Table({ head: [...head], style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map((cell) => (cell === null || cell === undefined ? '-' : String(cell))));
  process.stdout.write(`${table.toString()}\n`);
}

export function printFields(fields: readonly (readonly [string, unknown])[]): void {
  const width = Math.max(...fields.map(([name]) => name.length));
  for (const [name, value] of fields) process.stdout.write(`${name.padEnd(width)}  ${value === null || value === undefined ? '-' : String(value)}\n`);
}

/** A bar on stderr while it is a terminal and the output is not JSON; otherwise nothing is drawn. */
export function progressBar(mode: OutputMode, format: string): SingleBar | null {
  if (mode.json || !process.stderr.isTTY) return null;
  return new SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: false, etaBuffer: 20 });
}

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '-';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
