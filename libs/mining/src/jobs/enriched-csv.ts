/**
 * Writes the enriched dataset: one row per event of the analysed log (sorted by case, then
 * time), the core fields under XES-style names so the file re-ingests without a mapping,
 * the source's extra columns, then the requested enrichment columns. Written in blocks
 * through one file handle so a million rows never sit in memory as one string.
 */
import { open } from 'node:fs/promises';
import { ANOMALY_FLAG, type AnomalyKind, type CaseEnrichment } from '../analysis/index.js';
import type { EventLog } from '../event-log.js';
import type { EnrichmentName } from './validate-parameters.js';

export const ENRICHED_CORE_COLUMNS = {
  caseId: 'case:concept:name',
  activity: 'concept:name',
  timestamp: 'time:timestamp',
  resource: 'org:resource',
  startTimestamp: 'start_timestamp',
} as const;

const ANOMALY_KINDS = Object.keys(ANOMALY_FLAG) as AnomalyKind[];
const ROWS_PER_WRITE = 20_000;

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function isoOrEmpty(epochMs: number): string {
  return Number.isFinite(epochMs) ? new Date(epochMs).toISOString() : '';
}

/** Seconds with millisecond precision, without float noise (0.1 + 0.2 style tails). */
function seconds(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '';
}

export interface EnrichedCsvSummary {
  readonly rowCount: number;
  readonly columns: readonly string[];
  readonly addedColumns: readonly string[];
}

export async function writeEnrichedCsv(
  filePath: string,
  log: EventLog,
  perCase: CaseEnrichment,
  enrichments: ReadonlySet<EnrichmentName>,
  onBlock?: (rowsWritten: number) => void,
): Promise<EnrichedCsvSummary> {
  const hasResource = log.eventResource.some((r) => r >= 0);
  const coreColumns: string[] = [ENRICHED_CORE_COLUMNS.caseId, ENRICHED_CORE_COLUMNS.activity, ENRICHED_CORE_COLUMNS.timestamp];
  if (hasResource) coreColumns.push(ENRICHED_CORE_COLUMNS.resource);
  if (log.eventStart) coreColumns.push(ENRICHED_CORE_COLUMNS.startTimestamp);

  const addedColumns: string[] = [];
  if (enrichments.has('caseDuration')) addedColumns.push('case_duration_seconds');
  if (enrichments.has('variant')) addedColumns.push('variant_id');
  if (enrichments.has('rework')) addedColumns.push('rework_flag');
  if (enrichments.has('anomalies')) addedColumns.push('anomaly_flag', ...ANOMALY_KINDS.map((kind) => `anomaly_${kind}`));
  if (enrichments.has('timeSincePrevious')) addedColumns.push('seconds_since_previous_event');

  // Extra source columns keep their names unless they clash with a core or added column
  // (e.g. a source that already had `variant_id`): those get a `source_` prefix.
  const taken = new Set([...coreColumns, ...addedColumns]);
  const extraNames = log.extraColumns.map((column) => {
    let name = column.name;
    while (taken.has(name)) name = `source_${name}`;
    taken.add(name);
    return name;
  });
  const columns = [...coreColumns, ...extraNames, ...addedColumns];

  // Per-case cells are the same on every row of a case: render them once.
  const caseCells: string[] = new Array(log.caseCount);
  for (let c = 0; c < log.caseCount; c++) {
    let cells = '';
    if (enrichments.has('caseDuration')) cells += `,${seconds(perCase.caseDurationSeconds[c]!)}`;
    if (enrichments.has('variant')) cells += `,${perCase.variantIds[c]}`;
    if (enrichments.has('rework')) cells += `,${perCase.caseRework[c]}`;
    if (enrichments.has('anomalies')) {
      const flags = perCase.caseAnomalyFlags[c]!;
      cells += `,${flags === 0 ? 0 : 1}`;
      for (const kind of ANOMALY_KINDS) cells += (flags & ANOMALY_FLAG[kind]) !== 0 ? ',1' : ',0';
    }
    caseCells[c] = cells;
  }
  const caseIdCells = log.caseIds.map(csvField);
  const activityCells = log.activities.map(csvField);
  const resourceCells = log.resources.map(csvField);
  const withSincePrevious = enrichments.has('timeSincePrevious');

  const handle = await open(filePath, 'w');
  try {
    let block = columns.map(csvField).join(',') + '\n';
    for (let i = 0; i < log.eventCount; i++) {
      const c = log.eventCase[i]!;
      let row = `${caseIdCells[c]},${activityCells[log.eventActivity[i]!]},${isoOrEmpty(log.eventTimestamp[i]!)}`;
      if (hasResource) {
        const r = log.eventResource[i]!;
        row += r >= 0 ? `,${resourceCells[r]}` : ',';
      }
      if (log.eventStart) row += `,${isoOrEmpty(log.eventStart[i]!)}`;
      for (const column of log.extraColumns) {
        const value = column.values[i];
        row += value === null || value === undefined ? ',' : `,${csvField(value)}`;
      }
      row += caseCells[c]!;
      if (withSincePrevious) row += `,${seconds(perCase.eventSecondsSincePrevious[i]!)}`;
      block += row + '\n';
      if ((i + 1) % ROWS_PER_WRITE === 0) {
        await handle.write(block);
        block = '';
        onBlock?.(i + 1);
      }
    }
    if (block.length > 0) await handle.write(block);
  } finally {
    await handle.close();
  }
  return { rowCount: log.eventCount, columns, addedColumns };
}
