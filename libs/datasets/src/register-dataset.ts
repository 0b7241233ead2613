/**
 * Turns a file into a registered dataset: detect its format, read it once to measure
 * rows, columns, cases and quality (in the caller's process or, through a
 * DatasetImporter, in an import process), then move it into the dataset folder.
 * Used by the upload endpoint and by DataEnrichment jobs.
 */
import { randomUUID } from 'node:crypto';
import { open, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactStore } from '../../artifacts/src/artifact-store.js';
import type { ColumnMapping } from '../../mining/src/event-log.js';
import { detectFormat, MalformedEventLogError, type IngestLimits } from '../../mining/src/ingest/index.js';
import { inspectJsonValue } from '../../storage/src/storable-text.js';
import type { Dataset } from './dataset.js';
import { readAndDescribe, type DatasetDescription, type DescribeDataset, type DescribeRequest } from './import/dataset-description.js';
import type { DatasetFormat } from '../../mining/src/job-execution.contract.js';
import { repeatsFileOf } from '../../mining/src/ingest/ingested-log-file.js';
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

/** Reads the log in this process: for callers that are already off the API's event loop. */
export const describeInThisProcess: DescribeDataset = readAndDescribe;

/** The log as read at import, next to the dataset's file (an Apache Arrow IPC file). */
const INGESTED_SUFFIX = '.events.arrow';

const EXTENSIONS = { csv: 'csv', 'csv.gz': 'csv.gz', xes: 'xes', 'xes.gz': 'xes.gz' } as const;

export async function registerDatasetFromFile(
  files: ArtifactStore, registry: PostgresDatasetRegistry, source: DatasetSource, describe: DescribeDataset = describeInThisProcess,
): Promise<Dataset> {
  return registerDescribedFile(files, registry, source, async (ingestedLogPath) => {
    const head = Buffer.alloc(FORMAT_HEAD_BYTES);
    const handle = await open(source.filePath, 'r');
    const { bytesRead } = await handle.read(head, 0, head.length, 0).finally(() => handle.close());
    const format = detectFormat(source.originalName, head.subarray(0, bytesRead));
    return { format, description: await describe(describeRequestOf(source, format, ingestedLogPath)) };
  });
}

/** Bytes of a file's start that tell its format (detectFormat). */
export const FORMAT_HEAD_BYTES = 512;

/** What an import process is asked to read for `source`. */
export function describeRequestOf(source: DatasetSource, format: DatasetFormat, ingestedLogPath: string): DescribeRequest {
  return { path: source.filePath, format, columns: source.columns, ingestedLogPath, ...(source.limits && { limits: source.limits }) };
}

/**
 * Registers `source` once `describe` has read it (writing the log as read to the path it is
 * given): moves the file and that log into the dataset folder and stores the dataset. Every
 * file is removed when anything fails, `describe` included.
 */
export async function registerDescribedFile(
  files: ArtifactStore, registry: PostgresDatasetRegistry, source: DatasetSource,
  describe: (ingestedLogPath: string) => Promise<{ readonly format: DatasetFormat; readonly description: DatasetDescription }>,
): Promise<Dataset> {
  const ingestedTemporary = `${source.filePath}${INGESTED_SUFFIX}`;
  try {
    const { format, description: described } = await describe(ingestedTemporary);
    // Column names (and the values quoted in warnings) are stored: a NUL in the file is the file's fault.
    const unstorable = inspectJsonValue([described.sourceColumns, described.warnings]);
    if (unstorable.length > 0) throw new MalformedEventLogError(format, `a column name or value ${unstorable[0].message}`);
    const datasetId = randomUUID();
    const target = files.datasetPath(source.tenantId, source.projectId, datasetId, EXTENSIONS[format]);
    await mkdir(path.dirname(target), { recursive: true });
    const sizeBytes = await files.sizeOf(source.filePath);
    await rename(source.filePath, target);
    const ingestedFileName = `${datasetId}${INGESTED_SUFFIX}`;
    const ingestedTarget = path.join(path.dirname(target), ingestedFileName);
    await rename(ingestedTemporary, ingestedTarget);
    await rename(repeatsFileOf(ingestedTemporary), repeatsFileOf(ingestedTarget)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error; // written only when the log has exact repeats
    });
    const dataset: Dataset = {
      datasetId, tenantId: source.tenantId, projectId: source.projectId, name: source.name, format, sizeBytes,
      rowCount: described.dataValidation.totalRecords,
      ...described,
      createdBy: source.createdBy,
      createdAt: new Date().toISOString(),
      sourceJobId: source.sourceJobId,
      fileName: path.basename(target),
      ingestedFileName,
    };
    await registry.register(dataset);
    return dataset;
  } finally {
    await rm(source.filePath, { force: true });
    await rm(ingestedTemporary, { force: true });
    await rm(repeatsFileOf(ingestedTemporary), { force: true });
  }
}

export function datasetFilePath(files: ArtifactStore, dataset: Dataset): string {
  return path.join(files.datasetDir(dataset.tenantId, dataset.projectId), dataset.fileName);
}

/** The dataset's log as read at import; null for a dataset registered before those were kept. */
export function ingestedLogPath(files: ArtifactStore, dataset: Dataset): string | null {
  return dataset.ingestedFileName ? path.join(files.datasetDir(dataset.tenantId, dataset.projectId), dataset.ingestedFileName) : null;
}
