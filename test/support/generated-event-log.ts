/**
 * A generated event log (CSV, XES-style column names) of a chosen size, for suites that
 * need jobs longer than the running example's: written into the caller's temporary
 * folder, never committed. Cases interleave 20 activities and 30 resources an hour apart.
 */
import { createWriteStream } from 'node:fs';

export async function writeGeneratedEventLog(file: string, cases: number, eventsPerCase: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('case:concept:name,concept:name,time:timestamp,org:resource\n');
  const t0 = Date.parse('2024-01-01T00:00:00Z');
  for (let c = 0; c < cases; c++) {
    let chunk = '';
    for (let e = 0; e < eventsPerCase; e++) {
      const activity = `activity ${(e * 7 + (c % 5)) % 20}`;
      chunk += `case ${c},${activity},${new Date(t0 + c * 60_000 + e * 3_600_000).toISOString()},resource ${(c + e) % 30}\n`;
    }
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve(undefined))));
}
