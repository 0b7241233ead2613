/**
 * The running example of van der Aalst's Process Mining book as test rows and EventLog.
 * The rows come from a JSON fixture (the same 42 rows as test/fixtures/running-example.csv)
 * so these tests do not depend on the CSV reader they help to check.
 */
import { readFileSync } from 'node:fs';
import type { EventLog } from '../event-log.js';
import { eventLogFromRows, type EventRow } from './event-log-from-rows.js';

const fixtureUrl = new URL('../../../../test/fixtures/running-example.rows.json', import.meta.url);

export function runningExampleRows(): EventRow[] {
  return JSON.parse(readFileSync(fixtureUrl, 'utf8')) as EventRow[];
}

export function runningExampleLog(): EventLog {
  return eventLogFromRows(runningExampleRows());
}

/** Rows grouped by case and ordered by time, computed without the columnar machinery. */
export function rowsByCase(rows: readonly EventRow[]): Map<string, EventRow[]> {
  const byCase = new Map<string, EventRow[]>();
  for (const row of rows) {
    const list = byCase.get(row.case) ?? [];
    list.push(row);
    byCase.set(row.case, list);
  }
  for (const list of byCase.values()) list.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  return byCase;
}
