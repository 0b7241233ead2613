/** A registered event log that jobs read. Datasets are reference data, not job history. */
import type { ColumnMapping } from '../../mining/src/event-log.js';
import type { DatasetFormat, DataValidation, QualityWarning } from '../../mining/src/job-execution.contract.js';

export interface Dataset {
  readonly datasetId: string;
  readonly tenantId: string;
  readonly projectId: string;
  readonly name: string;
  readonly format: DatasetFormat;
  readonly sizeBytes: number;
  /** Source records (CSV data rows / XES events). */
  readonly rowCount: number;
  readonly sourceColumns: readonly string[];
  readonly columnMapping: ColumnMapping;
  readonly cases: number;
  readonly events: number;
  readonly activities: number;
  readonly dataValidation: DataValidation;
  readonly warnings: readonly QualityWarning[];
  readonly dataQualityScore: number;
  readonly createdBy: string;
  readonly createdAt: string;
  /** Job that produced it (DataEnrichment), if any. */
  readonly sourceJobId: string | null;
  /** File inside the artifact store's dataset folder. */
  readonly fileName: string;
  /** The log as read at import (Apache Arrow IPC), beside `fileName`; absent on datasets registered before. */
  readonly ingestedFileName?: string;
}
