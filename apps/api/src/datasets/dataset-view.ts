import type { Dataset } from '../../../../libs/datasets/src/dataset.js';
import { formatBytes } from '../../../../libs/human-format/src/human-format.js';

/** A dataset as the API shows it (no storage details). */
export function datasetView(d: Dataset) {
  return {
    datasetId: d.datasetId,
    name: d.name,
    format: d.format,
    size: formatBytes(d.sizeBytes),
    sizeBytes: d.sizeBytes,
    rowCount: d.rowCount,
    columns: d.sourceColumns,
    columnMapping: d.columnMapping,
    cases: d.cases,
    events: d.events,
    activities: d.activities,
    dataQualityScore: d.dataQualityScore,
    dataValidation: d.dataValidation,
    warnings: d.warnings,
    sourceJobId: d.sourceJobId,
    createdBy: d.createdBy,
    createdAt: d.createdAt,
  };
}
