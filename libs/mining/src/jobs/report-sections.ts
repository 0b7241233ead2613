/** HTML sections for the reports, one per figure group; each reads the same JSON figures the job returns. */
import type {
  ActivityStatistics,
  AnomalyFigures,
  DirectlyFollowsGraph,
  Insight,
  LogSummary,
  PerformanceFigures,
  ReworkFigures,
  TimeWindowApplied,
  VariantAnalysis,
} from '../analysis/index.js';
import { formatDurationShort as duration } from '../format/duration.js';
import type { QualityWarning } from '../job-execution.contract.js';
import type { EventClassifierFigures } from '../log-transforms/index.js';
import type { ProcessModelFigures } from '../discovery/index.js';
import type { ConformanceFigures } from './conformance.js';
import { barChart, escapeHtml, inlineSvg, keyFigures, paragraph, section, table } from './html.js';
import type { QualityFigures } from './load-log.js';

/** Row caps: a summary report shows the head of each table, a detailed one much more. */
export interface ReportDetail {
  readonly rows: number;
}
export const DETAILED: ReportDetail = { rows: 200 };
export const SUMMARY: ReportDetail = { rows: 10 };

/** A duration figure that may be unknown: null stays null, so the report shows "–". */
function optionalDuration(seconds: number | null): string | null {
  return seconds === null ? null : duration(seconds);
}

export function summarySection(summary: LogSummary, timeWindow?: TimeWindowApplied): string {
  const spanSeconds =
    summary.firstTimestamp && summary.lastTimestamp ? (Date.parse(summary.lastTimestamp) - Date.parse(summary.firstTimestamp)) / 1000 : null;
  let body = keyFigures([
    { label: 'Cases', value: summary.caseCount },
    { label: 'Events', value: summary.eventCount },
    { label: 'Activities', value: summary.activityCount },
    { label: 'Resources', value: summary.resourceCount },
    { label: 'Events per case (mean)', value: summary.meanEventsPerCase },
    { label: 'Time span', value: spanSeconds === null ? null : duration(spanSeconds) },
  ]);
  body += table(['from', 'to'], [[summary.firstTimestamp, summary.lastTimestamp]], { caption: 'Time span (UTC)' });
  if (timeWindow) {
    body += table(
      ['mode', 'from', 'to', 'cases before', 'cases after', 'events before', 'events after'],
      [[timeWindow.mode, timeWindow.from, timeWindow.to, timeWindow.casesBefore, timeWindow.casesAfter, timeWindow.eventsBefore, timeWindow.eventsAfter]],
      { caption: 'Time window applied' },
    );
  }
  return section('Summary', body, 'summary');
}

export function activitySection(stats: ActivityStatistics, detail: ReportDetail): string {
  let body = barChart(
    'Events per activity',
    stats.activities.map((a) => ({ label: a.activity, value: a.eventFrequency })),
  );
  body += table(
    ['activity', 'events', 'cases', 'cases started', 'cases ended'],
    stats.activities.map((a) => [a.activity, a.eventFrequency, a.caseFrequency, a.startCount, a.endCount]),
    { maxRows: detail.rows },
  );
  body += '<h3>Start and end activities</h3>';
  body += table(['start activity', 'cases'], stats.startActivities.map((a) => [a.activity, a.count]), { maxRows: detail.rows });
  body += table(['end activity', 'cases'], stats.endActivities.map((a) => [a.activity, a.count]), { maxRows: detail.rows });
  return section('Activities', body, 'activities');
}

export function dfgSection(dfg: DirectlyFollowsGraph, detail: ReportDetail): string {
  const body = table(
    ['from', 'to', 'count', 'mean', 'median', 'min', 'max'],
    dfg.edges.map((e) => [
      e.source,
      e.target,
      e.count,
      duration(e.performance.meanSeconds),
      duration(e.performance.medianSeconds),
      duration(e.performance.minSeconds),
      duration(e.performance.maxSeconds),
    ]),
    { maxRows: detail.rows, caption: `${dfg.edges.length} directly-follows relations (time between completions)` },
  );
  return section('Directly-follows relations', body, 'dfg');
}

export function variantsSection(variants: VariantAnalysis, detail: ReportDetail): string {
  let body = keyFigures([{ label: 'Variants', value: variants.variantCount }]);
  body += barChart(
    'Cases per variant',
    variants.variants.map((v) => ({ label: v.id, value: v.caseCount, display: `${v.caseCount} (${v.coveragePercent}%)` })),
  );
  body += table(
    ['variant', 'cases', 'coverage %', 'cumulative %', 'mean duration', 'activities'],
    variants.variants.map((v) => [v.id, v.caseCount, v.coveragePercent, v.cumulativeCoveragePercent, duration(v.meanDurationSeconds), v.activities.join(' → ')]),
    { maxRows: detail.rows },
  );
  return section('Variants', body, 'variants');
}

export function performanceSection(performance: PerformanceFigures, detail: ReportDetail): string {
  const parts: string[] = [];
  const { cycleTime, waitingTime, serviceTime, resourceUtilization } = performance;
  if (cycleTime) {
    parts.push('<h3>Cycle time</h3>');
    parts.push(
      keyFigures([
        { label: 'Mean', value: optionalDuration(cycleTime.meanSeconds) },
        { label: 'Median', value: optionalDuration(cycleTime.medianSeconds) },
        { label: '90th percentile', value: optionalDuration(cycleTime.p90Seconds) },
        { label: 'Min', value: optionalDuration(cycleTime.minSeconds) },
        { label: 'Max', value: optionalDuration(cycleTime.maxSeconds) },
      ]),
    );
    parts.push(paragraph(`Basis: ${cycleTime.basis === 'start' ? 'earliest start to last completion' : 'first to last completion'} of ${cycleTime.caseCount} cases.`));
  }
  if (waitingTime) {
    parts.push('<h3>Waiting time per activity</h3>', paragraph(waitingTime.definition));
    parts.push(barChart('Mean waiting time before each activity', waitingTime.perActivity.map((a) => ({ label: a.activity, value: a.meanSeconds, display: duration(a.meanSeconds) }))));
    parts.push(
      table(
        ['activity', 'measured waits', 'mean', 'median', 'max'],
        waitingTime.perActivity.map((a) => [a.activity, a.count, duration(a.meanSeconds), duration(a.medianSeconds), duration(a.maxSeconds)]),
        { maxRows: detail.rows },
      ),
    );
  }
  if (serviceTime) {
    parts.push('<h3>Service time per activity</h3>', paragraph(`Service time: ${serviceTime.definition}.`));
    parts.push(barChart('Mean service time of each activity', serviceTime.perActivity.map((a) => ({ label: a.activity, value: a.meanSeconds, display: duration(a.meanSeconds) }))));
    parts.push(
      table(
        ['activity', 'measured', 'mean', 'median', '90th percentile', 'max'],
        serviceTime.perActivity.map((a) => [a.activity, a.count, duration(a.meanSeconds), duration(a.medianSeconds), duration(a.p90Seconds), duration(a.maxSeconds)]),
        { maxRows: detail.rows },
      ),
    );
  } else if (serviceTime === null) {
    parts.push('<h3>Service time per activity</h3>', paragraph('No start timestamps: service time cannot be measured (–).'));
  }
  if (resourceUtilization) parts.push(resourcesBody(resourceUtilization, detail));
  if (parts.length === 0) parts.push(paragraph('No performance metrics were requested.'));
  return section('Performance', parts.join('\n'), 'performance');
}

function resourcesBody(resources: NonNullable<PerformanceFigures['resourceUtilization']>, detail: ReportDetail): string {
  return [
    '<h3>Resource workload</h3>',
    barChart('Events per resource', resources.resources.map((r) => ({ label: r.resource, value: r.eventCount }))),
    table(
      ['resource', 'events', 'cases', 'share %', 'first', 'last', 'active span'],
      resources.resources.map((r) => [r.resource, r.eventCount, r.caseCount, r.eventSharePercent, r.firstTimestamp, r.lastTimestamp, duration(r.activeSpanSeconds)]),
      { maxRows: detail.rows },
    ),
    paragraph(`Events without a resource: ${resources.eventsWithoutResource}.`),
    '<h3>Handover of work</h3>',
    table(['from', 'to', 'count'], resources.handovers.map((h) => [h.from, h.to, h.count]), { maxRows: detail.rows }),
  ].join('\n');
}

export function resourcesSection(resources: NonNullable<PerformanceFigures['resourceUtilization']>, detail: ReportDetail): string {
  return section('Resources', resourcesBody(resources, detail), 'resources');
}

export function reworkSection(rework: ReworkFigures, detail: ReportDetail): string {
  let body = keyFigures([
    { label: 'Cases with rework', value: rework.reworkCaseCount },
    { label: 'Share of cases %', value: rework.reworkCasePercent },
  ]);
  body += table(['activity', 'cases repeating it', 'extra occurrences'], rework.perActivity.map((a) => [a.activity, a.caseCount, a.extraOccurrences]), {
    maxRows: detail.rows,
  });
  return section('Rework', body, 'rework');
}

export function anomaliesSection(anomalies: AnomalyFigures, detail: ReportDetail): string {
  let body = keyFigures([
    { label: 'Anomalous cases', value: anomalies.anomalousCaseCount },
    ...Object.entries(anomalies.countsByKind).map(([kind, count]) => ({ label: kind.replace(/_/g, ' '), value: count })),
  ]);
  if (anomalies.caseDurationFences) {
    const f = anomalies.caseDurationFences;
    body += paragraph(`Case-duration outliers lie outside [${duration(f.lowerFenceSeconds)}, ${duration(f.upperFenceSeconds)}] (Q1 ${duration(f.q1Seconds)}, Q3 ${duration(f.q3Seconds)}, 1.5 × IQR).`);
  }
  body += paragraph(anomalies.rareVariants.note);
  body += paragraph(
    `Expected start activities (${anomalies.startEndBasis}): ${anomalies.expectedStartActivities.join(', ') || '–'}; expected end activities: ${anomalies.expectedEndActivities.join(', ') || '–'}.`,
  );
  body += table(['case', 'kind', 'reason'], anomalies.anomalies.map((a) => [a.caseId, a.kind, a.reason]), { maxRows: detail.rows });
  return section('Anomalies', body, 'anomalies');
}

export function insightsSection(insights: readonly Insight[]): string {
  const body =
    insights.length === 0
      ? paragraph('No notable findings.')
      : `<ul class="insights">${insights.map((i) => `<li><strong>${escapeHtml(i.kind.replace(/_/g, ' '))}:</strong> ${escapeHtml(i.message)}</li>`).join('')}</ul>`;
  return section('Insights', body, 'insights');
}

export function conformanceSection(conformance: ConformanceFigures, detail: ReportDetail): string {
  const model = conformance.model;
  const described: string[] = [];
  if (model.expectedPath) described.push(`expected path: ${model.expectedPath.join(' → ')}`);
  if (model.allowedStartActivities) described.push(`allowed start activities: ${model.allowedStartActivities.join(', ')}`);
  if (model.allowedEndActivities) described.push(`allowed end activities: ${model.allowedEndActivities.join(', ')}`);
  let body = paragraph(`Checked against ${described.join('; ')}.`);
  body += keyFigures([
    { label: 'Conforming cases', value: conformance.conformingCaseCount },
    { label: 'Conforming %', value: conformance.conformingCasePercent },
    { label: 'Mean fitness', value: conformance.meanFitness },
    { label: 'Violations per case (mean)', value: conformance.meanViolationsPerCase },
    { label: 'Invalid start', value: conformance.casesWithInvalidStart },
    { label: 'Invalid end', value: conformance.casesWithInvalidEnd },
  ]);
  body += paragraph(
    'Fitness = 1 − (skipped path steps + events off the path) / (trace length + path length): 1 means the case follows the expected path exactly.',
  );
  body += table(['violations', 'cases'], conformance.violationsPerCaseDistribution.map((d) => [d.violations, d.caseCount]), { caption: 'Violations per case' });
  body += table(['activity', 'skipped (cases)'], conformance.skippedActivities.map((a) => [a.activity, a.count]), { maxRows: detail.rows });
  body += table(['activity', 'off the path (events)'], conformance.unexpectedActivities.map((a) => [a.activity, a.count]), { maxRows: detail.rows });
  body += table(
    ['variant', 'cases', 'conforming', 'fitness', 'violations', 'skipped', 'off the path'],
    conformance.variants.map((v) => [v.variantId, v.caseCount, v.conforming ? 'yes' : 'no', v.fitness, v.violationCount, v.skippedActivities.join(', '), v.unexpectedActivities.join(', ')]),
    { maxRows: detail.rows, caption: 'Per variant' },
  );
  return section('Conformance', body, 'conformance');
}

export function qualitySection(quality: QualityFigures): string {
  const v = quality.dataValidation;
  let body = keyFigures([
    { label: 'Data quality score', value: quality.dataQualityScore },
    { label: 'Records read', value: v.totalRecords },
    { label: 'Valid records', value: v.validRecords },
    { label: 'Duplicates removed', value: v.duplicatesRemoved },
    { label: 'Invalid records', value: v.invalidRecords },
  ]);
  body += table(['warning', 'events'], quality.warnings.map((w) => [w.message, w.count]), { caption: 'Warnings' });
  body += table(['processing error', 'records'], quality.processingErrors.map((e) => [e.message, e.count]), { caption: 'Rejected records' });
  const m = quality.columnMapping;
  body += table(
    ['field', 'source column'],
    [
      ['case id', m.caseId],
      ['activity', m.activity],
      ['timestamp', m.timestamp],
      ['resource', m.resource ?? null],
      ['start timestamp', m.startTimestamp ?? null],
    ],
    { caption: 'Column mapping' },
  );
  return section('Data quality', body, 'quality');
}

export function modelSection(model: ModelReportFigures | null): string {
  if (!model) return '';
  const rows: [string, string | number | null][] = [
    ['next-activity accuracy (holdout)', model.nextActivityAccuracy],
    ['remaining-time mean absolute error', model.remainingTimeMaeSeconds === null ? null : duration(model.remainingTimeMaeSeconds)],
    ['training cases', model.trainingCases],
    ['holdout cases', model.holdoutCases],
  ];
  return section('Prediction model', table(['metric', 'value'], rows) + paragraph(model.note), 'model');
}

export interface ModelReportFigures {
  readonly nextActivityAccuracy: number | null;
  readonly remainingTimeMaeSeconds: number | null;
  readonly trainingCases: number | null;
  readonly holdoutCases: number | null;
  readonly note: string;
}

/** Which event classifier the figures rest on, and how the lifecycle transitions paired up. */
export function eventClassifierSection(classifier: EventClassifierFigures): string {
  let body = keyFigures([
    { label: 'Event classifier', value: classifier.classifier },
    { label: 'Source events', value: classifier.eventsBefore },
    { label: 'Events analysed', value: classifier.eventsAfter },
  ]);
  body += paragraph(`${classifier.classifier}: ${classifier.reason}.`);
  const lifecycle = classifier.lifecycle;
  if (lifecycle) {
    body += table(
      ['start/complete pairs', 'completions without start', 'unmatched starts', 'other transitions'],
      [[lifecycle.pairedInstances, lifecycle.completesWithoutStart, lifecycle.unmatchedStarts, lifecycle.otherTransitions]],
      { caption: 'Lifecycle transitions (other transitions and unmatched starts are no activity instances)' },
    );
    body += table(['transition', 'events'], lifecycle.transitions.map((t) => [t.transition, t.count]), { caption: 'Events per transition' });
  }
  return section('Event classifier', body, 'event-classifier');
}

/** Warnings about the job's own result (an empty result after filtering), shown first. */
export function jobWarningsSection(warnings: readonly QualityWarning[]): string {
  if (warnings.length === 0) return '';
  return section('Warnings', `<ul class="warnings">${warnings.map((w) => `<li>${escapeHtml(w.message)}</li>`).join('')}</ul>`, 'warnings');
}

const ALGORITHM_NAMES: Readonly<Record<ProcessModelFigures['algorithm'], string>> = {
  inductive: 'Inductive Miner (IM)',
  'inductive-infrequent': 'Inductive Miner – infrequent (IMf)',
};

/** The discovered process model: its figures, the tree in pm4py's notation, the Petri net and the BPMN diagram. */
export function processModelSection(model: ProcessModelFigures, petriNetSvg: string, bpmnSvg: string): string {
  let body = keyFigures([
    { label: 'Algorithm', value: ALGORITHM_NAMES[model.algorithm] },
    { label: 'Noise threshold', value: model.noiseThreshold },
    { label: 'Tree nodes', value: model.treeNodes },
    { label: 'Places', value: model.places },
    { label: 'Transitions', value: model.transitions },
    { label: 'Silent transitions', value: model.silentTransitions },
    { label: 'Arcs', value: model.arcs },
    { label: 'Sound workflow net', value: 'yes, by construction' },
  ]);
  body += paragraph(
    `Mined from ${model.variantsMined} variants (${model.casesMined} cases). ` +
      'The net of a process tree is a block-structured workflow net: sound by construction.',
  );
  body += '<h3>Process tree</h3>';
  body += `<pre style="white-space:pre-wrap;font-size:12px">${escapeHtml(model.treeText)}</pre>`;
  body += paragraph('-> sequence, X exclusive choice, + parallel, * loop (do, redo), tau a silent step.');
  body += `<h3>Petri net</h3><div class="map">${inlineSvg(petriNetSvg)}</div>`;
  body += `<h3>BPMN</h3><div class="map">${inlineSvg(bpmnSvg)}</div>`;
  return section('Process model', body, 'process-model');
}
