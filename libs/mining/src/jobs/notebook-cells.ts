/**
 * Declarative notebook cells. Filters narrow the current log; calculators read it. Cells
 * run in order, each on the log left by the filters before it. Cells are data, never code:
 * nothing submitted by a user is evaluated.
 */
import {
  activityStatistics,
  analyzeVariants,
  caseDurations,
  computeDfgCore,
  countActivities,
  cycleTime,
  directlyFollowsGraph,
  filterByTimeWindow,
  selectEvents,
  type TimeWindow,
} from '../analysis/index.js';
import type { EventLog } from '../event-log.js';
import { InvalidJobParametersError, type NotebookCellType } from './validate-parameters.js';

export type NotebookCell = { readonly type: NotebookCellType; readonly title?: string } & Readonly<Record<string, unknown>>;

/** A table every cell produces, for the HTML notebook and for clients. */
export interface CellTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
}

export interface CellResult {
  readonly index: number;
  readonly type: NotebookCellType;
  readonly title: string;
  readonly kind: 'filter' | 'calculator';
  readonly input: { readonly cases: number; readonly events: number };
  readonly output: { readonly cases: number; readonly events: number };
  /** Calculator value or filter effect, plain JSON. */
  readonly result: Readonly<Record<string, unknown>>;
  readonly table: CellTable;
  readonly durationMs: number;
}

function attributeValues(log: EventLog, attribute: string): (i: number) => string | null {
  if (attribute === 'activity') return (i) => log.activities[log.eventActivity[i]!]!;
  if (attribute === 'resource') return (i) => (log.eventResource[i]! >= 0 ? log.resources[log.eventResource[i]!]! : null);
  const column = log.extraColumns.find((c) => c.name === attribute);
  if (!column) {
    const known = ['activity', 'resource', ...log.extraColumns.map((c) => c.name)];
    throw new InvalidJobParametersError([{ field: 'parameters.cells', message: `filter.attribute: the dataset has no attribute "${attribute}" (known: ${known.join(', ')})` }]);
  }
  return (i) => column.values[i] ?? null;
}

/** Keeps the cases for which `keepCase(begin, end)` holds. */
function keepCases(log: EventLog, keepCase: (begin: number, end: number, c: number) => boolean): EventLog {
  const keep = new Uint8Array(log.eventCount);
  for (let c = 0; c < log.caseCount; c++) {
    const begin = log.caseOffsets[c]!;
    const end = log.caseOffsets[c + 1]!;
    if (keepCase(begin, end, c)) keep.fill(1, begin, end);
  }
  return selectEvents(log, keep);
}

function hasActivity(log: EventLog, activity: string): (begin: number, end: number) => boolean {
  const id = log.activities.indexOf(activity);
  return (begin, end) => {
    if (id < 0) return false;
    for (let i = begin; i < end; i++) if (log.eventActivity[i] === id) return true;
    return false;
  };
}

function applyFilter(log: EventLog, cell: NotebookCell): { log: EventLog; result: Record<string, unknown> } {
  switch (cell.type) {
    case 'filter.timeWindow': {
      const window: TimeWindow = {
        ...(typeof cell['startDate'] === 'string' && { startDate: cell['startDate'] }),
        ...(typeof cell['endDate'] === 'string' && { endDate: cell['endDate'] }),
        mode: (cell['mode'] as TimeWindow['mode']) ?? 'events',
      };
      const filtered = filterByTimeWindow(log, window);
      return { log: filtered.log, result: { ...filtered.applied } };
    }
    case 'filter.attribute': {
      const attribute = String(cell['attribute']);
      const values = new Set((cell['values'] as string[]) ?? []);
      const include = (cell['mode'] ?? 'include') === 'include';
      const scope = (cell['scope'] ?? 'events') as 'events' | 'cases';
      const valueOf = attributeValues(log, attribute);
      const matches = (i: number): boolean => {
        const v = valueOf(i);
        return v !== null && values.has(v);
      };
      let filtered: EventLog;
      if (scope === 'events') {
        const keep = new Uint8Array(log.eventCount);
        for (let i = 0; i < log.eventCount; i++) keep[i] = matches(i) === include ? 1 : 0;
        filtered = selectEvents(log, keep);
      } else {
        filtered = keepCases(log, (begin, end) => {
          let any = false;
          for (let i = begin; i < end && !any; i++) any = matches(i);
          return any === include;
        });
      }
      return { log: filtered, result: { attribute, values: [...values], mode: include ? 'include' : 'exclude', scope } };
    }
    case 'filter.variant': {
      const variants = analyzeVariants(log, caseDurations(log).seconds);
      const all = variants.analysis.variants;
      const wanted = new Set<number>();
      if (Array.isArray(cell['variantIds'])) {
        for (const id of cell['variantIds'] as string[]) {
          const index = all.findIndex((v) => v.id === id);
          if (index >= 0) wanted.add(index);
        }
      } else {
        for (let v = 0; v < Math.min(Number(cell['top']), all.length); v++) wanted.add(v);
      }
      const filtered = keepCases(log, (_b, _e, c) => wanted.has(variants.caseVariantIndex[c]!));
      return { log: filtered, result: { variantIds: [...wanted].sort((a, b) => a - b).map((v) => all[v]!.id), variantsBefore: all.length } };
    }
    case 'filter.activityPresent':
    case 'filter.activityAbsent': {
      const activity = String(cell['activity']);
      const present = hasActivity(log, activity);
      const wantPresent = cell.type === 'filter.activityPresent';
      return { log: keepCases(log, (begin, end) => present(begin, end) === wantPresent), result: { activity } };
    }
    default:
      throw new RangeError(`not a filter cell: ${cell.type}`);
  }
}

function calculate(log: EventLog, cell: NotebookCell): { result: Record<string, unknown>; table: CellTable } {
  switch (cell.type) {
    case 'calc.caseCount':
      return {
        result: { caseCount: log.caseCount, eventCount: log.eventCount },
        table: { columns: ['cases', 'events'], rows: [[log.caseCount, log.eventCount]] },
      };
    case 'calc.durationStatistics': {
      const figures = cycleTime(caseDurations(log));
      return {
        result: { ...figures },
        table: {
          columns: ['statistic', 'seconds'],
          rows: [
            ['cases', figures.caseCount],
            ['mean', figures.meanSeconds],
            ['median', figures.medianSeconds],
            ['p90', figures.p90Seconds],
            ['min', figures.minSeconds],
            ['max', figures.maxSeconds],
          ],
        },
      };
    }
    case 'calc.activityFrequency': {
      const stats = activityStatistics(log);
      return {
        result: { activities: stats.activities },
        table: {
          columns: ['activity', 'events', 'cases', 'starts', 'ends'],
          rows: stats.activities.map((a) => [a.activity, a.eventFrequency, a.caseFrequency, a.startCount, a.endCount]),
        },
      };
    }
    case 'calc.dfg': {
      const dfg = directlyFollowsGraph(log, countActivities(log), computeDfgCore(log));
      const top = typeof cell['top'] === 'number' ? cell['top'] : dfg.edges.length;
      const edges = dfg.edges.slice(0, top);
      return {
        result: { edgeCount: dfg.edges.length, edges, startEdges: dfg.startEdges, endEdges: dfg.endEdges },
        table: {
          columns: ['source', 'target', 'count', 'mean seconds', 'median seconds'],
          rows: edges.map((e) => [e.source, e.target, e.count, e.performance.meanSeconds, e.performance.medianSeconds]),
        },
      };
    }
    case 'calc.variantTable': {
      const analysis = analyzeVariants(log, caseDurations(log).seconds).analysis;
      const top = typeof cell['top'] === 'number' ? cell['top'] : 10;
      const variants = analysis.variants.slice(0, top);
      return {
        result: { variantCount: analysis.variantCount, variants },
        table: {
          columns: ['variant', 'cases', 'coverage %', 'mean duration seconds', 'activities'],
          rows: variants.map((v) => [v.id, v.caseCount, v.coveragePercent, v.meanDurationSeconds, v.activities.join(' → ')]),
        },
      };
    }
    default:
      throw new RangeError(`not a calculator cell: ${cell.type}`);
  }
}

export function runNotebookCells(log: EventLog, cells: readonly NotebookCell[], onCell?: (index: number) => void): CellResult[] {
  let current = log;
  return cells.map((cell, index) => {
    const started = performance.now();
    const input = { cases: current.caseCount, events: current.eventCount };
    const isFilter = cell.type.startsWith('filter.');
    let result: Record<string, unknown>;
    let table: CellTable;
    if (isFilter) {
      const filtered = applyFilter(current, cell);
      current = filtered.log;
      result = { ...filtered.result, casesRemoved: input.cases - current.caseCount, eventsRemoved: input.events - current.eventCount };
      table = {
        columns: ['', 'cases', 'events'],
        rows: [
          ['before', input.cases, input.events],
          ['after', current.caseCount, current.eventCount],
        ],
      };
    } else {
      ({ result, table } = calculate(current, cell));
    }
    onCell?.(index);
    return {
      index,
      type: cell.type,
      title: typeof cell.title === 'string' ? cell.title : cell.type,
      kind: isFilter ? 'filter' : 'calculator',
      input,
      output: { cases: current.caseCount, events: current.eventCount },
      result,
      table,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
  });
}
