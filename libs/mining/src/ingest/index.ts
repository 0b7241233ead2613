export { ingestEventLog, EventLogTooLargeError, MalformedEventLogError, PROGRESS_EVERY_RECORDS, XES_COLUMN_MAPPING } from './ingest.js';
export type { IngestSource, IngestOptions, IngestLimits, IngestProgress, IngestResult } from './ingest.js';
export { detectFormat } from './detect-format.js';
export { detectColumns, ColumnMappingError, COLUMN_CANDIDATES, REQUIRED_FIELDS } from './columns.js';
export { parseTimestamp, parseTimestampInto } from './timestamp.js';
export type { ParsedTimestamp } from './timestamp.js';
export { CsvRecordParser, detectDelimiter } from './csv-reader.js';
export {
  INVALID_REASONS,
  INFERRED_TIMESTAMPS_MESSAGE,
  IMPLAUSIBLE_TIMESTAMPS_MESSAGE,
  OUT_OF_ORDER_MESSAGE,
  START_TIMESTAMP_PROBLEM_MESSAGE,
  FIELD_COUNT_MESSAGE,
  QUALITY_PENALTY_WEIGHTS,
  computeDataQualityScore,
} from './log-builder.js';
export type { IngestQuality, InvalidReason } from './log-builder.js';
