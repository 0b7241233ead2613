import type { EventLog, ExactRepeats } from '../event-log.js';
import { caseOffsetsOf, pickExtraColumns } from '../event-log-columns.js';
import type { DataValidation, QualityWarning } from '../job-execution.contract.js';
import { parseTimestampInto, type ParsedTimestamp } from './timestamp.js';

/** Why a record was rejected; each invalid record is counted under its first reason in this order. */
export const INVALID_REASONS = ['missingCaseId', 'missingActivity', 'missingTimestamp', 'unparseableTimestamp'] as const;
export type InvalidReason = (typeof INVALID_REASONS)[number];

export const INFERRED_TIMESTAMPS_MESSAGE = 'Some timestamps had to be inferred';
export const IMPLAUSIBLE_TIMESTAMPS_MESSAGE =
  'Some timestamps are implausible (before 1970 or more than one day in the future); they were kept as recorded';
export const OUT_OF_ORDER_MESSAGE =
  'Some records are earlier than the previous record of the same case in the file; events were sorted by timestamp';
export const START_TIMESTAMP_PROBLEM_MESSAGE =
  'Some start timestamps could not be parsed or are later than the completion timestamp; unparseable ones were left empty';
export const FIELD_COUNT_MESSAGE = 'Some rows have a different number of fields than the header';

/**
 * Penalty weights of the data-quality score, per affected event as a share of all records.
 * Keep in step with the "Data quality" section of the mining README.
 */
export const QUALITY_PENALTY_WEIGHTS = {
  inferredTimestamps: 0.25,
  implausibleTimestamps: 0.5,
  outOfOrder: 0.1,
  startTimestampProblems: 0.25,
  fieldCountMismatch: 0.25,
} as const;

export interface IngestQuality {
  readonly validation: DataValidation;
  readonly warnings: QualityWarning[];
  /**
   * 0..100, one decimal:
   * `100 × validRecords / totalRecords − 100 × Σ weight × affectedEvents / totalRecords`,
   * clamped to [0, 100]; 0 for an empty source. Weights (`QUALITY_PENALTY_WEIGHTS`): inferred
   * (date-only) timestamps 0.25, implausible timestamps 0.5, out-of-order records 0.1, start
   * timestamp problems 0.25, rows with a wrong field count 0.25. Invalid records and removed
   * duplicates lower the score through the valid share.
   */
  readonly dataQualityScore: number;
  /** Invalid records by reason (`INVALID_REASONS`); the values sum to `validation.invalidRecords`. */
  readonly invalidReasons: Record<string, number>;
}

const FLAG_DATE_ONLY = 1;
const FLAG_OUT_OF_ORDER = 2;
const FLAG_START_PROBLEM = 4;
const FLAG_START_DATE_ONLY = 8;
const FLAG_FIELD_COUNT = 16;

const ONE_DAY_MS = 86_400_000;
const SMALL_SEGMENT = 32;

/**
 * V8 keeps short substrings as views into the chunk they were cut from; the interned tables
 * live as long as the log, so they get their own copy rather than pinning whole chunks.
 */
function ownCopy(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'utf8').toString('utf8');
}

function isMissing(value: string | null | undefined): value is null | undefined | '' {
  return value === null || value === undefined || value.length === 0;
}

/** The parsed timestamp of a field (text parsed into `into`), or null when it is missing. */
function parsedTimestampOf(field: TimestampField, into: ParsedTimestamp): ParsedTimestamp | null {
  if (typeof field !== 'string') return field ?? null;
  const text = field.trim();
  if (text.length === 0) return null;
  parseTimestampInto(text, into);
  return into;
}

/** `addKeyedRecord`'s key for a field the record does not have. */
export const ABSENT_KEY = -2;
// A key's state: not seen yet, blank once trimmed, not blank but not in the log yet, or its index.
const KEY_UNSEEN = -3;
const KEY_BLANK = -2;
const KEY_NOT_INDEXED = -1;

/** A reader's numbering of one column's distinct values (a ByteInterner's entries, say): the text of each key. */
export interface KeyedTexts {
  textOf(key: number): string;
}

/**
 * What the builder made of a reader's keyed values of one column: per key, blank once
 * trimmed, or its index in the log once a valid record used it.
 */
class KeyedValues {
  private states = new Int32Array(1024).fill(KEY_UNSEEN);

  constructor(private readonly source: KeyedTexts, private readonly target: Interner) {}

  isBlank(key: number): boolean {
    if (key === ABSENT_KEY) return true;
    if (key >= this.states.length) {
      const larger = new Int32Array(Math.max(2 * this.states.length, key + 1)).fill(KEY_UNSEEN);
      larger.set(this.states);
      this.states = larger;
    }
    let state = this.states[key];
    if (state === KEY_UNSEEN) {
      state = this.source.textOf(key).trim().length === 0 ? KEY_BLANK : KEY_NOT_INDEXED;
      this.states[key] = state;
    }
    return state === KEY_BLANK;
  }

  /** The log index of a key that is not blank (`isBlank` asked first), interned on its first use. */
  indexOf(key: number): number {
    let state = this.states[key];
    if (state < 0) {
      state = this.target.intern(this.source.textOf(key).trim());
      this.states[key] = state;
    }
    return state;
  }
}

class Interner {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  intern(value: string): number {
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.values.length;
      const owned = ownCopy(value);
      this.index.set(owned, id);
      this.values.push(owned);
    }
    return id;
  }
}

/**
 * A timestamp as a reader hands it over: its text, already parsed (NaN when it is not a
 * timestamp), or null/undefined when the field is absent or blank.
 */
export type TimestampField = string | ParsedTimestamp | null | undefined;

export interface EventLogBuilderOptions {
  /** Whether the source maps a start-timestamp column (the log then gets `eventStart`). */
  readonly hasStartTimestamps: boolean;
  /** Reference time for "in the future" checks. */
  readonly now: Date;
  /** Called every `milestoneEvery` records read (valid or not). */
  readonly onMilestone?: (recordsRead: number) => void;
  readonly milestoneEvery?: number;
}

/**
 * Collects source records one at a time, validates them, and builds the sorted, de-duplicated
 * columnar EventLog plus the quality report.
 *
 * - Case order is first appearance among valid records (so a CSV and an XES export of the same
 *   log, which list cases in the same order, give identical logs). Activity and resource
 *   indexes are likewise in order of first appearance.
 * - Events are sorted stably by (case, timestamp, source record).
 * - A duplicate is an exact repeat of (case, activity, timestamp, resource, lifecycle transition)
 *   of an earlier valid record (a start and a complete at the same instant are two events); the
 *   earliest is kept in the log, the repeats are kept aside in `log.exactRepeats`.
 * - Warning counts refer to events kept in the log.
 */
export class EventLogBuilder {
  private totalRecords = 0;
  private readonly invalidCounts = new Map<InvalidReason, number>();
  private readonly cases = new Interner();
  private readonly activities = new Interner();
  private readonly resources = new Interner();
  private readonly lifecycles = new Interner();
  private readonly extraColumns: { name: string; values: (string | null)[] }[] = [];
  private readonly extraColumnIndex = new Map<string, number>();

  // Columns of the valid records, in source order, grown by doubling.
  private capacity = 4096;
  private count = 0;
  private recordCase = new Uint32Array(this.capacity);
  private recordActivity = new Uint32Array(this.capacity);
  private recordResource = new Int32Array(this.capacity);
  private recordLifecycle = new Int32Array(this.capacity);
  private recordTimestamp = new Float64Array(this.capacity);
  private recordStart: Float64Array | null;
  private recordRow = new Uint32Array(this.capacity);
  private recordFlags = new Uint8Array(this.capacity);
  private caseLastTimestamp = new Float64Array(1024);

  private keyed: Record<'cases' | 'activities' | 'resources' | 'lifecycles', KeyedValues> | null = null;
  private readonly parsed: ParsedTimestamp = { epochMs: Number.NaN, dateOnly: false };
  private readonly parsedStart: ParsedTimestamp = { epochMs: Number.NaN, dateOnly: false };
  private readonly milestoneEvery: number;

  constructor(private readonly options: EventLogBuilderOptions) {
    this.recordStart = options.hasStartTimestamps ? new Float64Array(this.capacity) : null;
    this.milestoneEvery = options.milestoneEvery ?? 10_000;
  }

  get recordsRead(): number {
    return this.totalRecords;
  }

  /** The index of an extra column, creating it (null for every earlier record) when new. */
  extraColumn(name: string): number {
    let index = this.extraColumnIndex.get(name);
    if (index === undefined) {
      index = this.extraColumns.length;
      this.extraColumnIndex.set(name, index);
      this.extraColumns.push({ name, values: new Array<string | null>(this.count).fill(null) });
    }
    return index;
  }

  get extraColumnNames(): string[] {
    return this.extraColumns.map((column) => column.name);
  }

  /**
   * Adds one source record (in source order).
   * @param extraValues values by extra-column index (see `extraColumn`); shorter arrays mean null.
   * @param timestamp, start as text, or parsed by the reader (a parsed one must come from a
   *   field that is not blank when trimmed, or be null).
   * @param lifecycle the lifecycle transition (also part of the duplicate key).
   * @param fieldCountMismatch the CSV row had a different number of fields than the header.
   */
  addRecord(
    caseId: string | null | undefined,
    activity: string | null | undefined,
    timestampField: TimestampField,
    resource: string | null | undefined,
    startField: TimestampField,
    extraValues: readonly (string | null | undefined)[] | null,
    lifecycle: string | null | undefined,
    fieldCountMismatch = false,
  ): void {
    const row = this.countRecord();
    caseId = caseId?.trim();
    activity = activity?.trim();
    if (isMissing(caseId)) return this.reject('missingCaseId');
    if (isMissing(activity)) return this.reject('missingActivity');
    const parsed = parsedTimestampOf(timestampField, this.parsed);
    if (parsed === null) return this.reject('missingTimestamp');
    if (Number.isNaN(parsed.epochMs)) return this.reject('unparseableTimestamp');
    const casesBefore = this.cases.values.length;
    const caseIndex = this.cases.intern(caseId);
    resource = resource?.trim();
    lifecycle = lifecycle?.trim();
    this.addValid(
      row, caseIndex, caseIndex >= casesBefore, this.activities.intern(activity),
      isMissing(resource) ? -1 : this.resources.intern(resource),
      isMissing(lifecycle) ? -1 : this.lifecycles.intern(lifecycle),
      parsed, startField, extraValues, fieldCountMismatch,
    );
  }

  /**
   * `addRecord` for a reader that interns the case, activity, resource and transition values
   * itself (`useKeyedValues`): each comes as its key in that reader's numbering, or
   * `ABSENT_KEY` when the record has no such field. What a key's text trims to, and its index
   * in the log, are worked out once per key, not once per record. The same log as `addRecord`
   * with the keys' texts.
   */
  addKeyedRecord(
    caseKey: number,
    activityKey: number,
    timestampField: TimestampField,
    resourceKey: number,
    startField: TimestampField,
    extraValues: readonly (string | null | undefined)[] | null,
    lifecycleKey: number,
    fieldCountMismatch = false,
  ): void {
    const keyed = this.keyed!;
    const row = this.countRecord();
    if (keyed.cases.isBlank(caseKey)) return this.reject('missingCaseId');
    if (keyed.activities.isBlank(activityKey)) return this.reject('missingActivity');
    const parsed = parsedTimestampOf(timestampField, this.parsed);
    if (parsed === null) return this.reject('missingTimestamp');
    if (Number.isNaN(parsed.epochMs)) return this.reject('unparseableTimestamp');
    const casesBefore = this.cases.values.length;
    const caseIndex = keyed.cases.indexOf(caseKey);
    this.addValid(
      row, caseIndex, caseIndex >= casesBefore, keyed.activities.indexOf(activityKey),
      keyed.resources.isBlank(resourceKey) ? -1 : keyed.resources.indexOf(resourceKey),
      keyed.lifecycles.isBlank(lifecycleKey) ? -1 : keyed.lifecycles.indexOf(lifecycleKey),
      parsed, startField, extraValues, fieldCountMismatch,
    );
  }

  /** Where `addKeyedRecord`'s keys come from: the reader's numbering of the four columns' values. */
  useKeyedValues(values: { cases: KeyedTexts; activities: KeyedTexts; resources: KeyedTexts; lifecycles: KeyedTexts }): void {
    this.keyed = {
      cases: new KeyedValues(values.cases, this.cases),
      activities: new KeyedValues(values.activities, this.activities),
      resources: new KeyedValues(values.resources, this.resources),
      lifecycles: new KeyedValues(values.lifecycles, this.lifecycles),
    };
  }

  /** Counts a source record; returns its 0-based row. */
  private countRecord(): number {
    const row = this.totalRecords++;
    if (this.options.onMilestone !== undefined && this.totalRecords % this.milestoneEvery === 0) {
      this.options.onMilestone(this.totalRecords);
    }
    return row;
  }

  private addValid(
    row: number, caseIndex: number, isNewCase: boolean, activityIndex: number, resourceIndex: number, lifecycleIndex: number,
    parsed: ParsedTimestamp, startField: TimestampField, extraValues: readonly (string | null | undefined)[] | null,
    fieldCountMismatch: boolean,
  ): void {
    if (this.count === this.capacity) this.grow();
    const index = this.count++;
    const timestamp = parsed.epochMs;
    let flags = parsed.dateOnly ? FLAG_DATE_ONLY : 0;
    if (fieldCountMismatch) flags |= FLAG_FIELD_COUNT;

    if (caseIndex >= this.caseLastTimestamp.length) {
      const larger = new Float64Array(this.caseLastTimestamp.length * 2);
      larger.set(this.caseLastTimestamp);
      this.caseLastTimestamp = larger;
    }
    if (!isNewCase && timestamp < this.caseLastTimestamp[caseIndex]) flags |= FLAG_OUT_OF_ORDER;
    this.caseLastTimestamp[caseIndex] = timestamp;

    this.recordCase[index] = caseIndex;
    this.recordActivity[index] = activityIndex;
    this.recordResource[index] = resourceIndex;
    this.recordLifecycle[index] = lifecycleIndex;
    this.recordTimestamp[index] = timestamp;
    this.recordRow[index] = row;
    if (this.recordStart !== null) {
      let start = Number.NaN;
      const parsedStart = parsedTimestampOf(startField, this.parsedStart);
      if (parsedStart !== null) {
        if (!Number.isNaN(parsedStart.epochMs)) {
          start = parsedStart.epochMs;
          if (parsedStart.dateOnly) flags |= FLAG_START_DATE_ONLY;
          if (start > timestamp) flags |= FLAG_START_PROBLEM;
        } else {
          flags |= FLAG_START_PROBLEM;
        }
      }
      this.recordStart[index] = start;
    }
    this.recordFlags[index] = flags;

    const columns = this.extraColumns;
    for (let column = 0; column < columns.length; column++) {
      const value = extraValues !== null && column < extraValues.length ? extraValues[column] : null;
      columns[column].values.push(isMissing(value) ? null : value);
    }
  }

  private reject(reason: InvalidReason): void {
    this.invalidCounts.set(reason, (this.invalidCounts.get(reason) ?? 0) + 1);
  }

  private grow(): void {
    this.capacity *= 2;
    const capacity = this.capacity;
    const grow = <T extends Uint32Array | Int32Array | Float64Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.recordCase = grow(this.recordCase, (n) => new Uint32Array(n));
    this.recordActivity = grow(this.recordActivity, (n) => new Uint32Array(n));
    this.recordResource = grow(this.recordResource, (n) => new Int32Array(n));
    this.recordLifecycle = grow(this.recordLifecycle, (n) => new Int32Array(n));
    this.recordTimestamp = grow(this.recordTimestamp, (n) => new Float64Array(n));
    if (this.recordStart !== null) this.recordStart = grow(this.recordStart, (n) => new Float64Array(n));
    this.recordRow = grow(this.recordRow, (n) => new Uint32Array(n));
    this.recordFlags = grow(this.recordFlags, (n) => new Uint8Array(n));
  }

  /** Sorts, removes duplicates and assembles the log and its quality report. */
  build(): { log: EventLog; quality: IngestQuality } {
    const count = this.count;
    const caseCount = this.cases.values.length;
    const timestamps = this.recordTimestamp;

    // Bucket by case (stable: records enter their bucket in source order) ...
    const offsets = caseOffsetsOf(this.recordCase, count, caseCount);
    const order = new Uint32Array(count);
    const fill = offsets.slice(0, caseCount);
    for (let i = 0; i < count; i++) order[fill[this.recordCase[i]]++] = i;

    // ... then sort each case by timestamp, ties by source order.
    for (let c = 0; c < caseCount; c++) sortSegment(order, offsets[c], offsets[c + 1], timestamps);

    // Drop exact duplicates: candidates share case and timestamp, so they are adjacent.
    const kept = new Uint32Array(count);
    const repeated: number[] = [];
    const repeatOf: number[] = [];
    const caseOffsets = new Uint32Array(caseCount + 1);
    let keptCount = 0;
    for (let c = 0; c < caseCount; c++) {
      caseOffsets[c] = keptCount;
      const end = offsets[c + 1];
      let runStart = keptCount;
      for (let k = offsets[c]; k < end; k++) {
        const record = order[k];
        if (keptCount === caseOffsets[c] || timestamps[kept[keptCount - 1]] !== timestamps[record]) runStart = keptCount;
        let original = -1;
        for (let j = runStart; j < keptCount; j++) {
          const earlier = kept[j];
          if (
            this.recordActivity[earlier] === this.recordActivity[record] &&
            this.recordResource[earlier] === this.recordResource[record] &&
            this.recordLifecycle[earlier] === this.recordLifecycle[record]
          ) {
            original = j;
            break;
          }
        }
        if (original < 0) kept[keptCount++] = record;
        else {
          repeated.push(record);
          repeatOf.push(original);
        }
      }
    }
    caseOffsets[caseCount] = keptCount;

    const eventCase = new Uint32Array(keptCount);
    const eventActivity = new Uint32Array(keptCount);
    const eventResource = new Int32Array(keptCount);
    const eventTimestamp = new Float64Array(keptCount);
    const eventStart = this.recordStart === null ? null : new Float64Array(keptCount);
    const eventRow = new Uint32Array(keptCount);
    const hasLifecycle = this.lifecycles.values.length > 0;
    const eventLifecycle = hasLifecycle ? new Int32Array(keptCount) : null;
    const earliestPlausible = 0;
    const latestPlausible = this.options.now.getTime() + ONE_DAY_MS;
    let inferred = 0;
    let implausible = 0;
    let outOfOrder = 0;
    let startProblems = 0;
    let fieldCountMismatch = 0;
    for (let e = 0; e < keptCount; e++) {
      const record = kept[e];
      eventCase[e] = this.recordCase[record];
      eventActivity[e] = this.recordActivity[record];
      eventResource[e] = this.recordResource[record];
      const timestamp = timestamps[record];
      eventTimestamp[e] = timestamp;
      eventRow[e] = this.recordRow[record];
      if (eventLifecycle !== null) eventLifecycle[e] = this.recordLifecycle[record];
      let start = Number.NaN;
      if (eventStart !== null) {
        start = this.recordStart![record];
        eventStart[e] = start;
      }
      const flags = this.recordFlags[record];
      if (flags & (FLAG_DATE_ONLY | FLAG_START_DATE_ONLY)) inferred++;
      if (
        timestamp < earliestPlausible ||
        timestamp > latestPlausible ||
        start < earliestPlausible ||
        start > latestPlausible
      ) {
        implausible++;
      }
      if (flags & FLAG_OUT_OF_ORDER) outOfOrder++;
      if (flags & FLAG_START_PROBLEM) startProblems++;
      if (flags & FLAG_FIELD_COUNT) fieldCountMismatch++;
    }
    const extraColumns = pickExtraColumns(this.extraColumns, kept, keptCount);
    const exactRepeats: ExactRepeats | null =
      repeated.length === 0
        ? null
        : {
            count: repeated.length,
            original: Uint32Array.from(repeatOf),
            row: Uint32Array.from(repeated, (record) => this.recordRow[record]),
            start: this.recordStart === null ? null : Float64Array.from(repeated, (record) => this.recordStart![record]),
            extraValues: this.extraColumns.map(({ values }) => repeated.map((record) => values[record] ?? null)),
          };

    const log: EventLog = {
      eventCount: keptCount,
      caseCount,
      caseIds: this.cases.values,
      activities: this.activities.values,
      resources: this.resources.values,
      eventCase,
      eventActivity,
      eventResource,
      eventTimestamp,
      eventStart,
      eventRow,
      caseOffsets,
      extraColumns,
      ...(hasLifecycle && { lifecycles: this.lifecycles.values, eventLifecycle }),
      exactRepeats,
    };

    const invalidReasons: Record<string, number> = {};
    let invalidRecords = 0;
    for (const reason of INVALID_REASONS) {
      const n = this.invalidCounts.get(reason) ?? 0;
      if (n > 0) invalidReasons[reason] = n;
      invalidRecords += n;
    }
    const validation: DataValidation = {
      totalRecords: this.totalRecords,
      validRecords: keptCount,
      duplicatesRemoved: count - keptCount,
      invalidRecords,
    };
    const warnings: QualityWarning[] = [];
    const warn = (message: string, n: number): void => {
      if (n > 0) warnings.push({ type: 'DataQuality', message, count: n });
    };
    warn(INFERRED_TIMESTAMPS_MESSAGE, inferred);
    warn(IMPLAUSIBLE_TIMESTAMPS_MESSAGE, implausible);
    warn(OUT_OF_ORDER_MESSAGE, outOfOrder);
    warn(START_TIMESTAMP_PROBLEM_MESSAGE, startProblems);
    warn(FIELD_COUNT_MESSAGE, fieldCountMismatch);

    const dataQualityScore = computeDataQualityScore(validation, {
      inferredTimestamps: inferred,
      implausibleTimestamps: implausible,
      outOfOrder,
      startTimestampProblems: startProblems,
      fieldCountMismatch,
    });
    return { log, quality: { validation, warnings, dataQualityScore, invalidReasons } };
  }
}

/** See `IngestQuality.dataQualityScore`. */
export function computeDataQualityScore(
  validation: DataValidation,
  affected: Readonly<Record<keyof typeof QUALITY_PENALTY_WEIGHTS, number>>,
): number {
  const total = validation.totalRecords;
  if (total === 0) return 0;
  let penalty = 0;
  for (const key of Object.keys(QUALITY_PENALTY_WEIGHTS) as (keyof typeof QUALITY_PENALTY_WEIGHTS)[]) {
    penalty += QUALITY_PENALTY_WEIGHTS[key] * affected[key];
  }
  const score = (100 * (validation.validRecords - penalty)) / total;
  return Math.round(Math.min(100, Math.max(0, score)) * 10) / 10;
}

/** Stable sort of `order[start..end)` by timestamp (entries are already in source order). */
function sortSegment(order: Uint32Array, start: number, end: number, timestamps: Float64Array): void {
  let sorted = true;
  for (let k = start + 1; k < end; k++) {
    if (timestamps[order[k]] < timestamps[order[k - 1]]) {
      sorted = false;
      break;
    }
  }
  if (sorted) return;
  if (end - start <= SMALL_SEGMENT) {
    for (let k = start + 1; k < end; k++) {
      const record = order[k];
      const timestamp = timestamps[record];
      let j = k - 1;
      while (j >= start && timestamps[order[j]] > timestamp) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = record;
    }
    return;
  }
  const segment = Array.from(order.subarray(start, end));
  segment.sort((a, b) => timestamps[a] - timestamps[b] || a - b);
  order.set(segment, start);
}
