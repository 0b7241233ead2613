/**
 * The sections of the results' `figures` each job type writes (libs/mining: analysis.types.ts,
 * the job builders in src/jobs/, libs/mining/README.md), as OpenAPI schemas. A section only
 * some job types write in full declares the rest optional (DataEnrichment writes `variants`
 * with its count alone). The process tree (recursive) stays an open object.
 */
import { ANOMALY_FLAG } from '../../../../../libs/mining/src/analysis/analysis.types.js';
import {
  anyObject, arrayOf, boolean, dateTime, enumOf, integer, nullable, number, numbersByName, object, ref, string, strings, type Schema,
} from './json-schema-parts.js';

const activityCount = object({ activity: string, count: number });
const durationStatistics = object({
  count: number, meanSeconds: number, medianSeconds: number, minSeconds: number, maxSeconds: number, stdevSeconds: nullable(number),
});
const dfgEdge = object({ source: string, target: string, count: number, performance: durationStatistics });
const variant = object({
  id: string, activities: strings, caseCount: number, coveragePercent: number, cumulativeCoveragePercent: number, meanDurationSeconds: number,
});
const waitingTime = object({
  approximation: boolean, definition: string,
  perActivity: arrayOf(object({ activity: string, count: number, meanSeconds: number, medianSeconds: number, maxSeconds: number })),
});
const serviceTime = object({
  definition: string,
  perActivity: arrayOf(object({ activity: string, count: number, meanSeconds: number, medianSeconds: number, p90Seconds: number, maxSeconds: number })),
});
const resourceUtilization = object({
  resources: arrayOf(object({
    resource: string, eventCount: number, caseCount: number, eventSharePercent: number,
    firstTimestamp: dateTime, lastTimestamp: dateTime, activeSpanSeconds: number,
  })),
  eventsWithoutResource: number,
  handovers: arrayOf(object({ from: string, to: string, count: number })),
});
const insight = object({
  kind: enumOf(['bottleneck', 'top_variants', 'rework_hotspot', 'slow_activity']), message: string,
  figures: { type: 'object', additionalProperties: { oneOf: [number, string] } },
});
const anomalyKinds = Object.keys(ANOMALY_FLAG);
const countsByKind = object(Object.fromEntries(anomalyKinds.map((kind) => [kind, number])));

const tokenCounts = { missing: number, remaining: number, consumed: number, produced: number };
const modelConformance = object({
  mode: enumOf(['model']),
  model: object(
    { source: enumOf(['inline', 'upload', 'discovered']), format: nullable(enumOf(['pnml', 'bpmn'])), places: number, transitions: number },
    { modelId: string, name: string },
  ),
  caseCount: number,
  tokenReplay: object({
    logFitness: nullable(number), averageTraceFitness: nullable(number), fittingTraces: number, fittingTracePercent: nullable(number), ...tokenCounts,
  }),
  alignments: object({
    fitness: nullable(number), averageTraceFitness: nullable(number), computedTraces: number, skippedTraces: number, reason: nullable(string),
  }),
  precision: nullable(number),
  deviations: object({
    perActivity: arrayOf(object({
      activity: string, inModel: boolean, logMoves: nullable(number), modelMoves: nullable(number), forcedFirings: number, eventsNotInModel: number,
    })),
    cases: arrayOf(object({
      variantId: string, caseCount: number, exampleCaseIds: strings, activities: strings,
      tokenReplay: object({ fitness: number, ...tokenCounts }), alignmentFitness: nullable(number),
      logMoves: nullable(strings), modelMoves: nullable(strings),
    })),
    deviatingVariants: number, deviatingCases: number,
  }),
}, {}, 'Against a Petri net or BPMN model (given, uploaded or discovered from the log)');
const expectedPathConformance = object({
  mode: enumOf(['expectedPath']), basis: string,
  model: object({}, { expectedPath: strings, allowedStartActivities: strings, allowedEndActivities: strings }),
  caseCount: number, conformingCaseCount: number, conformingCasePercent: number, meanFitness: nullable(number),
  meanViolationsPerCase: number, casesWithInvalidStart: number, casesWithInvalidEnd: number,
  skippedActivities: arrayOf(activityCount), unexpectedActivities: arrayOf(activityCount),
  violationsPerCaseDistribution: arrayOf(object({ violations: number, caseCount: number })),
  variants: arrayOf(object({
    variantId: string, caseCount: number, activities: strings, conforming: boolean, fitness: nullable(number), violationCount: number,
    skippedActivities: strings, unexpectedActivities: strings, invalidStart: boolean, invalidEnd: boolean,
  })),
}, {}, 'Against an expected path and/or allowed start and end activities');

/** Each section, by its key in `figures`. */
export const JOB_FIGURES_SECTIONS: Readonly<Record<string, Schema>> = {
  quality: object(
    {
      dataQualityScore: number, dataValidation: ref('DataValidationDto'),
      warnings: arrayOf(ref('CountedIssueDto')), processingErrors: arrayOf(ref('CountedIssueDto')),
    },
    {
      columnMapping: anyObject('Which source column became case, activity, timestamp, …'), sourceColumns: strings,
      duplicates: object({ checkDuplicates: boolean, exactRepeats: number, removed: number }),
    },
    'Every job type: what the ingest found',
  ),
  analyses: object(
    { includeAnomalyDetection: boolean, includeProcessVariants: boolean, generateInsights: boolean, performanceMetrics: strings },
    {}, 'ProcessMining: which analyses were switched on',
  ),
  activityStatistics: object({
    activities: arrayOf(object({ activity: string, eventFrequency: number, caseFrequency: number, startCount: number, endCount: number })),
    startActivities: arrayOf(activityCount), endActivities: arrayOf(activityCount),
  }),
  dfg: object({ nodes: arrayOf(activityCount), edges: arrayOf(dfgEdge), startEdges: arrayOf(activityCount), endEdges: arrayOf(activityCount) }),
  variants: object({ variantCount: number }, { variants: arrayOf(variant) }, 'DataEnrichment: the count alone'),
  performance: object({}, {
    cycleTime: object({
      basis: enumOf(['start', 'completion']), caseCount: number, meanSeconds: nullable(number), medianSeconds: nullable(number),
      p90Seconds: nullable(number), minSeconds: nullable(number), maxSeconds: nullable(number),
    }),
    waitingTime, serviceTime: nullable(serviceTime), resourceUtilization,
  }, 'Only the requested metrics'),
  rework: object(
    { reworkCaseCount: number, reworkCasePercent: nullable(number) },
    { perActivity: arrayOf(object({ activity: string, caseCount: number, extraOccurrences: number })) },
    'DataEnrichment: the counts alone',
  ),
  anomalies: nullable(object({ anomalousCaseCount: number, countsByKind }, {
    anomalies: arrayOf(object({ caseId: string, kind: enumOf(anomalyKinds), reason: string })),
    caseDurationFences: nullable(object({
      quantileMethod: string, q1Seconds: number, q3Seconds: number, iqrSeconds: number, lowerFenceSeconds: number, upperFenceSeconds: number,
    })),
    rareVariants: object({ applied: boolean, thresholdPercent: number, note: string }),
    expectedStartActivities: strings, expectedEndActivities: strings, startEndBasis: enumOf(['explicit', 'inferred']),
  }, 'null unless anomaly detection ran; DataEnrichment: the counts alone')),
  insights: nullable({ ...arrayOf(insight), description: 'null unless insights were generated' }),
  processMap: object({
    nodes: arrayOf(object({
      activity: string, frequency: number, caseFrequency: number, startCount: number, endCount: number,
      serviceTime: nullable(object({ count: number, meanSeconds: number, medianSeconds: number })),
    })),
    edges: arrayOf(object({ source: string, target: string, count: number, meanSeconds: number, medianSeconds: number })),
    startEdges: arrayOf(activityCount), endEdges: arrayOf(activityCount),
    totalActivities: number, totalEdges: number, droppedActivities: number, droppedEdges: number,
  }, {}, 'ProcessMining: the map as drawn'),
  processModel: object({
    algorithm: string, noiseThreshold: number, tree: anyObject('The process tree: {kind: activity, label} | {kind: tau} | {kind: operator, operator, children}'), treeText: string, treeNodes: number,
    places: number, transitions: number, silentTransitions: number, arcs: number, sound: boolean,
    soundness: object({
      basis: enumOf(['construction']), workflowNet: boolean, reachableMarkings: nullable(number), stateCapReached: boolean,
      maxStates: nullable(number), deadTransitions: strings, problems: strings,
    }, {}, 'Sound by construction: a process tree\'s net is not explored'), variantsMined: number, casesMined: number,
  }, {}, 'The discovered model (see libs/mining/README.md, Process discovery)'),
  conformance: {
    description: 'mode model: against a Petri net or BPMN model; expectedPath: against a path (see libs/mining/README.md)',
    oneOf: [modelConformance, expectedPathConformance],
  },
  model: nullable(object(
    { accuracy: nullable(number), metrics: anyObject(), trainingCases: number, holdoutCases: number },
    { note: nullable(string) },
    'ProcessMining: the prediction model; null when none was trained',
  )),
  enrichedDataset: object({ addedColumns: strings }),
  artifactSizes: { ...numbersByName, description: 'Bytes per artifact file' },
  timeSpan: object({ firstTimestamp: nullable(dateTime), lastTimestamp: nullable(dateTime), spanSeconds: nullable(number) }, {}, 'Analysis statistics'),
  eventsPerActivity: { ...arrayOf(activityCount), description: 'Analysis statistics' },
  bottlenecks: object(
    { slowestTransitions: arrayOf(dfgEdge), waitingTime: nullable(waitingTime), serviceTime: nullable(serviceTime), insights: arrayOf(insight) },
    {}, 'Analysis bottlenecks',
  ),
  resources: { ...resourceUtilization, description: 'Analysis resources' },
  enrichment: object({ enrichments: strings, columns: strings, addedColumns: strings, rowCount: integer }, {}, 'DataEnrichment: the columns written'),
  notebook: object({ cellCount: integer, finalCases: number, finalEvents: number }, {}, 'Notebook'),
  cells: {
    ...arrayOf(object({
      index: integer, type: string, title: string, kind: enumOf(['filter', 'calculator']),
      input: object({ cases: number, events: number }), output: object({ cases: number, events: number }),
      result: anyObject('Calculator value or filter effect'),
      table: object({ columns: strings, rows: arrayOf(arrayOf({ oneOf: [string, number], nullable: true })) }),
      durationMs: number,
    })),
    description: 'Notebook: each cell in order',
  },
};
