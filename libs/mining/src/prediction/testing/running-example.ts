/** The running example of van der Aalst's Process Mining book, read from the shared data folder. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EventLog } from '../../event-log.js';
import { eventLogFromRows, type EventRow } from '../../testing/event-log-from-rows.js';

export function runningExamplePath(): string {
  return path.resolve(process.cwd(), '../shared/data/running-example.csv');
}

/** The file has no quoted fields, so a plain split reads it. */
export function runningExampleLog(): EventLog {
  const [header, ...lines] = readFileSync(runningExamplePath(), 'utf8').trim().split(/\r?\n/);
  const columns = header!.split(',');
  const column = (name: string): number => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`running example lacks column ${name}`);
    return index;
  };
  const caseColumn = column('case:concept:name');
  const activityColumn = column('concept:name');
  const timestampColumn = column('time:timestamp');
  const resourceColumn = column('org:resource');
  const rows: EventRow[] = lines.map((line) => {
    const fields = line.split(',');
    return {
      case: fields[caseColumn]!,
      activity: fields[activityColumn]!,
      timestamp: fields[timestampColumn]!.replace(' ', 'T'),
      resource: fields[resourceColumn]!,
    };
  });
  return eventLogFromRows(rows);
}
