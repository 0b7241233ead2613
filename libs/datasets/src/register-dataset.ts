/**
 * Turns a file into a registered dataset: detect its format, ingest it once to
 * measure rows, columns, cases and quality, then move it into the dataset folder.
 * Used by the upload endpoint and by DataEnrichment jobs.
 */
import { randomUUID } from 'node:crypto';
import { open, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactStore } from '../../artifacts/src/artifact-store.js';
import type { ColumnMapping } from '../../mining/src/event-log.js';
import { detectFormat, ingestEventLog, MalformedEventLogError, type IngestLimits } from '../../mining/src/ingest/index.js';
import { inspectJsonValue } from '../../storage/src/storable-text.js';
import type { Dataset } from './dataset.js';
import type { PostgresDatasetRegistry } from './postgres-dataset-registry.js';

export interface DatasetSource {
  readonly tenantId: string;
  readonly projectId: string;
  /** The uploaded file; moved (not copied) into the dataset folder on success, removed on failure. */
  readonly filePath: string;
  readonly originalName: string;
  readonly name: string;
  readonly columns: Partial<ColumnMapping>;
  readonly createdBy: string;
  readonly sourceJobId: string | null;
  /** Stops reading an oversized log early (EventLogTooLargeError). */
  readonly limits?: IngestLimits;
}

const EXTENSIONS = { csv: 'csv', 'csv.gz': 'csv.gz', xes: 'xes', 'xes.gz': 'xes.gz' } as const;

export async function registerDatasetFromFile(
  files: ArtifactStore, registry: PostgresDatasetRegistry, source: DatasetSource,
): Promise<Dataset> {
  try {
    const head = Buffer.alloc(512);
    const handle = await open(source.filePath, 'r');
    const { bytesRead } = await handle.read(head, 0, head.length, 0).finally(() => handle.close());
    const format = detectFormat(source.originalName, head.subarray(0, bytesRead));
    const ingested = await ingestEventLog({ path: source.filePath, format, columns: source.columns }, { limits: source.limits });
    // Column names (and the values quoted in warnings) are stored: a NUL in the file is the file's fault.
    const unstorable = inspectJsonValue([ingested.columns.sourceColumns, ingested.quality.warnings]);
    if (unstorable.length > 0) throw new MalformedEventLogError(format, `a column name or value ${unstorable[0].message}`);
    const datasetId = randomUUID();
    const target = files.datasetPath(source.tenantId, source.projectId, datasetId, EXTENSIONS[format]);
    await mkdir(path.dirname(target), { recursive: true });
    const sizeBytes = await files.sizeOf(source.filePath);
    await rename(source.filePath, target);
    const v = ingested.quality.validation;
    const dataset: Dataset = {
      datasetId, tenantId: source.tenantId, projectId: source.projectId, name: source.name, format, sizeBytes,
      rowCount: v.totalRecords,
      sourceColumns: ingested.columns.sourceColumns,
      columnMapping: ingested.columns.mapping,
      cases: ingested.log.caseCount,
      events: ingested.log.eventCount,
      activities: ingested.log.activities.length,
      dataValidation: v,
      warnings: ingested.quality.warnings,
      dataQualityScore: ingested.quality.dataQualityScore,
      createdBy: source.createdBy,
      createdAt: new Date().toISOString(),
      sourceJobId: source.sourceJobId,
      fileName: path.basename(target),
    };
    await registry.register(dataset);
    return dataset;
  } finally {
    await rm(source.filePath, { force: true });
  }
}

export function datasetFilePath(files: ArtifactStore, dataset: Dataset): string {
  return path.join(files.datasetDir(dataset.tenantId, dataset.projectId), dataset.fileName);
}
