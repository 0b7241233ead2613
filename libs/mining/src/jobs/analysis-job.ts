/**
 * Analysis job: one focused analysis chosen by `analysisType`, written as an HTML report
 * (primary output); every figure goes into `figures` (the core stores those as JSON).
 */
import {
  analyzeLog,
  resourceUtilization,
  type AnalysisOptions,
  type PerformanceMetricName,
} from '../analysis/index.js';
import { formatDurationShort as duration } from '../format/duration.js';
import type { ProducedArtifact } from '../job-execution.contract.js';
import { modelForConformance, runConformanceCheck } from './conformance-check.js';
import { discoverModel, writeProcessModelArtifacts } from './engine-parts.js';
import { htmlPage, keyFigures, paragraph, section, table } from './html.js';
import { artifactTitle, prepareJobLog, reportDetail, writeTextArtifact, type JobContext, type JobOutcome } from './job-context.js';
import {
  activitySection,
  dfgSection,
  eventClassifierSection,
  insightsSection,
  jobWarningsSection,
  performanceSection,
  processModelSection,
  qualitySection,
  resourcesSection,
  summarySection,
  variantsSection,
} from './report-sections.js';
import type { AnalysisType } from './validate-parameters.js';

const ALL_METRICS: readonly PerformanceMetricName[] = ['cycle_time', 'waiting_time', 'resource_utilization'];
const BOTTLENECK_ROWS = 20;

export async function runAnalysisJob(context: JobContext): Promise<JobOutcome> {
  const { request, progress, loaded } = context;
  const parameters = request.parameters;
  const analysisType = parameters['analysisType'] as AnalysisType;
  const detail = reportDetail(parameters);
  const { log, timeWindow, eventClassifier, warnings } = prepareJobLog(context);

  progress.enter('Discovering');
  const requestedMetrics = Array.isArray(parameters['performanceMetrics']) ? (parameters['performanceMetrics'] as PerformanceMetricName[]) : undefined;
  const options: AnalysisOptions = {
    performanceMetrics:
      analysisType === 'performance' ? (requestedMetrics ?? ALL_METRICS) : analysisType === 'bottlenecks' ? ['waiting_time'] : (requestedMetrics ?? []),
    generateInsights: analysisType === 'bottlenecks',
  };
  const analysis = analyzeLog(log, options);
  const all = analysis.figures;

  progress.enter('Measuring');
  const figures: Record<string, unknown> = { analysisType, eventClassifier, ...(timeWindow && { timeWindow }), summary: all.summary };
  const sections: string[] = [jobWarningsSection(warnings), summarySection(all.summary, timeWindow), eventClassifierSection(eventClassifier)];
  const modelArtifacts: ProducedArtifact[] = [];
  switch (analysisType) {
    case 'statistics': {
      const first = all.summary.firstTimestamp;
      const last = all.summary.lastTimestamp;
      const timeSpan = {
        firstTimestamp: first,
        lastTimestamp: last,
        spanSeconds: first && last ? (Date.parse(last) - Date.parse(first)) / 1000 : null,
      };
      const eventsPerActivity = all.activityStatistics.activities.map((a) => ({ activity: a.activity, count: a.eventFrequency }));
      Object.assign(figures, { activityStatistics: all.activityStatistics, timeSpan, eventsPerActivity });
      sections.push(activitySection(all.activityStatistics, detail));
      break;
    }
    case 'variants':
      figures['variants'] = all.variants;
      sections.push(variantsSection(all.variants, detail));
      break;
    case 'performance':
      figures['performance'] = all.performance;
      figures['dfg'] = all.dfg;
      sections.push(performanceSection(all.performance, detail), dfgSection(all.dfg, detail));
      break;
    case 'bottlenecks': {
      const slowestTransitions = [...all.dfg.edges]
        .sort((a, b) => b.performance.meanSeconds - a.performance.meanSeconds || b.count - a.count)
        .slice(0, BOTTLENECK_ROWS);
      const waitingPerActivity = all.performance.waitingTime?.perActivity ?? [];
      const insights = (all.insights ?? []).filter((i) => i.kind === 'bottleneck' || i.kind === 'slow_activity');
      Object.assign(figures, {
        bottlenecks: { slowestTransitions, waitingTime: all.performance.waitingTime ?? null, serviceTime: all.performance.serviceTime ?? null, insights },
      });
      sections.push(
        section(
          'Slowest transitions',
          table(
            ['from', 'to', 'count', 'mean', 'median', 'max'],
            slowestTransitions.map((e) => [e.source, e.target, e.count, duration(e.performance.meanSeconds), duration(e.performance.medianSeconds), duration(e.performance.maxSeconds)]),
          ) + paragraph(`Transitions ranked by mean time between completions; the waiting time per activity shows where cases queue.`),
          'bottlenecks',
        ),
        performanceSection(
          {
            ...(all.performance.waitingTime && { waitingTime: all.performance.waitingTime }),
            ...(all.performance.serviceTime !== undefined && { serviceTime: all.performance.serviceTime }),
          },
          detail,
        ),
        insightsSection(insights),
      );
      if (waitingPerActivity.length === 0) sections.push(paragraph('No waiting times could be measured (every case has a single event).'));
      break;
    }
    case 'conformance': {
      const conformance = runConformanceCheck(
        await modelForConformance(request, all.variants.variants), analysis.log, all.variants.variants, analysis.perCase.caseVariantIndex, detail,
      );
      figures['conformance'] = conformance.figures;
      sections.push(conformance.section);
      break;
    }
    case 'discovery': {
      const model = await discoverModel(all.variants.variants, parameters, artifactTitle(request, 'Process Model'));
      figures['processModel'] = model.figures;
      sections.push(processModelSection(model.figures, model.petriNetSvg, model.bpmnSvg));
      modelArtifacts.push(...(await writeProcessModelArtifacts(request.outputDir, request, model)));
      break;
    }
    case 'resources': {
      const resources = all.performance.resourceUtilization ?? resourceUtilization(log);
      figures['resources'] = resources;
      sections.push(resourcesSection(resources, detail));
      break;
    }
  }

  progress.enter('Rendering');
  sections.push(qualitySection(loaded.quality));
  const title = artifactTitle(request, 'Analysis');
  const html = htmlPage(title, `Analysis: ${analysisType} · ${all.summary.caseCount} cases, ${all.summary.eventCount} events`, [
    keyFigures([{ label: 'Analysis', value: analysisType }]),
    ...sections,
  ].join('\n'));

  progress.enter('Writing outputs');
  const fileName = 'analysis-report.html';
  await writeTextArtifact(request.outputDir, fileName, html);
  return {
    artifacts: [{ type: 'AnalysisResult', title, format: 'html', fileName, outputType: 'reports', primary: true, recordCount: log.eventCount }, ...modelArtifacts],
    warnings,
    figures,
  };
}
