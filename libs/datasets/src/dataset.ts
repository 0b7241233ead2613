/** A registered event log that jobs read. Datasets are reference data, not job history. */
import type { DatasetFormat } from '../../mining/src/job-execution.contract.js';
import type { DatasetDescription } from './import/dataset-description.js';

/** What reading its log told (columns, counts, quality), plus where it lives and who made it. */
export interface Dataset extends DatasetDescription {
  readonly datasetId: string;
  readonly tenantId: string;
  readonly projectId: string;
  readonly name: string;
  readonly format: DatasetFormat;
  readonly sizeBytes: number;
  /** Source records (CSV data rows / XES events). */
  readonly rowCount: number;
  readonly createdBy: string;
  readonly createdAt: string;
  /** Job that produced it (DataEnrichment), if any. */
  readonly sourceJobId: string | null;
  /** File inside the artifact store's dataset folder. */
  readonly fileName: string;
  /** The log as read at import (Apache Arrow IPC), beside `fileName`; absent on datasets registered before. */
  readonly ingestedFileName?: string;
}
