/**
 * ProcessMining job. Which outputs it writes depends on `analysisType`:
 * - comprehensive: report (primary), process map, process model, enriched dataset, prediction model;
 * - discovery: report, process map, process model (PNML, BPMN and their pictures);
 * - performance: report, process map, prediction model;
 * - conformance: report, process map, enriched dataset (with anomaly flags).
 * `includeAnomalyDetection`, `includeProcessVariants`, `generateInsights` and
 * `performanceMetrics` switch analyses on or off; their defaults follow the analysis type.
 */
import path from 'node:path';
import { stat } from 'node:fs/promises';
import {
  analyzeLog,
  LogMeasures,
  type PerformanceMetricName,
} from '../analysis/index.js';
import type { ProducedArtifact } from '../job-execution.contract.js';
import { modelForConformance, runConformanceCheck } from './conformance-check.js';
import { discoverModel, renderProcessMap, trainAnalyticsModel, writeProcessModelArtifacts, type RenderedMap, type TrainedModel } from './engine-parts.js';
import { writeEnrichedCsv } from './enriched-csv.js';
import { htmlPage, keyFigures } from './html.js';
import {
  artifactTitle,
  prepareJobLog,
  booleanParameter,
  reportDetail,
  writeTextArtifact,
  type JobContext,
  type JobOutcome,
} from './job-context.js';
import { interactiveMapSection, MAP_FIT_WIDTH_PX, planReportMap, svgWidthPx, type ReportMap } from './report-map.js';
import { reportPageScripts } from './report-page-script.js';
import {
  activitySection,
  anomaliesSection,
  dfgSection,
  eventClassifierSection,
  insightsSection,
  jobWarningsSection,
  modelSection,
  performanceSection,
  processModelSection,
  qualitySection,
  reworkSection,
  summarySection,
  variantsSection,
} from './report-sections.js';
import { ENRICHMENTS, type EnrichmentName, type ProcessMiningAnalysisType } from './validate-parameters.js';
import { variantExplorerData, variantExplorerSection } from './variant-explorer.js';

const ALL_METRICS: readonly PerformanceMetricName[] = ['cycle_time', 'waiting_time', 'resource_utilization'];

interface ProcessMiningPlan {
  readonly analysisType: ProcessMiningAnalysisType;
  readonly includeAnomalyDetection: boolean;
  readonly includeProcessVariants: boolean;
  readonly generateInsights: boolean;
  readonly performanceMetrics: readonly PerformanceMetricName[];
  readonly writeEnrichedDataset: boolean;
  readonly trainModel: boolean;
  readonly checkConformance: boolean;
  readonly discoverModel: boolean;
}

export function planProcessMining(parameters: Readonly<Record<string, unknown>>): ProcessMiningPlan {
  const analysisType = (parameters['analysisType'] as ProcessMiningAnalysisType | undefined) ?? 'comprehensive';
  const defaults = {
    comprehensive: { anomalies: true, variants: true, insights: true, metrics: ALL_METRICS },
    discovery: { anomalies: false, variants: true, insights: false, metrics: [] },
    performance: { anomalies: false, variants: true, insights: true, metrics: ALL_METRICS },
    conformance: { anomalies: true, variants: true, insights: false, metrics: [] },
  }[analysisType];
  const metrics = parameters['performanceMetrics'];
  return {
    analysisType,
    includeAnomalyDetection: booleanParameter(parameters, 'includeAnomalyDetection', defaults.anomalies),
    includeProcessVariants: booleanParameter(parameters, 'includeProcessVariants', defaults.variants),
    generateInsights: booleanParameter(parameters, 'generateInsights', defaults.insights),
    performanceMetrics: Array.isArray(metrics) ? [...new Set(metrics as PerformanceMetricName[])] : defaults.metrics,
    writeEnrichedDataset: analysisType === 'comprehensive' || analysisType === 'conformance',
    trainModel: analysisType === 'comprehensive' || analysisType === 'performance',
    checkConformance: analysisType === 'conformance',
    discoverModel: analysisType === 'comprehensive' || analysisType === 'discovery',
  };
}

/** The map's default level drawn, with fewer activities until the drawing fits the report's window. */
async function fitReportMap(initial: ReportMap): Promise<{ reportMap: ReportMap; renderedMap: RenderedMap }> {
  let reportMap = initial;
  let renderedMap = await renderProcessMap(reportMap.defaultGraph);
  while ((svgWidthPx(renderedMap.svg) ?? 0) > MAP_FIT_WIDTH_PX && reportMap.page.defaults.activities > 1) {
    reportMap = reportMap.withDefaultActivities(reportMap.page.defaults.activities - 1);
    renderedMap = await renderProcessMap(reportMap.defaultGraph);
  }
  return { reportMap, renderedMap };
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'string') ? (value as string[]) : undefined;
}

export async function runProcessMiningJob(context: JobContext): Promise<JobOutcome> {
  const { request, progress, loaded } = context;
  const parameters = request.parameters;
  const plan = planProcessMining(parameters);
  const detail = reportDetail(parameters);
  const { log, timeWindow, eventClassifier, warnings } = prepareJobLog(context);

  progress.enter('Discovering');
  const measures = new LogMeasures(log);
  // The miner starts on its thread as soon as the variants are known and mines while this one
  // runs the other analyses; the model's pictures are laid out on the Graphviz thread after it.
  const discovering = plan.discoverModel ? discoverModel(measures.variants.analysis.variants, parameters, artifactTitle(request, 'Process Model')) : null;
  discovering?.catch(() => undefined); // awaited below; a failure must not count as unhandled meanwhile
  // The model needs only the log, so its thread starts now, beside the miner's, and trains while
  // this one runs the analyses, rather than later, when the Graphviz thread lays out the map.
  const training: Promise<TrainedModel> | null = plan.trainModel ? trainAnalyticsModel(log) : null;
  training?.catch(() => undefined); // awaited below, as `discovering`
  const analysis = analyzeLog(log, {
    performanceMetrics: plan.performanceMetrics,
    includeAnomalyDetection: plan.includeAnomalyDetection,
    generateInsights: plan.generateInsights,
    ...(stringList(parameters['allowedStartActivities']) && { expectedStartActivities: stringList(parameters['allowedStartActivities'])! }),
    ...(stringList(parameters['allowedEndActivities']) && { expectedEndActivities: stringList(parameters['allowedEndActivities'])! }),
  }, measures);
  // The map's slider levels; the default level is the static map and figures.processMap.
  const initialReportMap = planReportMap(analysis.log, analysis.figures.dfg, analysis.measures);

  progress.enter('Measuring');
  const conformance = plan.checkConformance
    ? runConformanceCheck(await modelForConformance(request, analysis.figures.variants.variants), analysis.log, analysis.figures.variants.variants, analysis.perCase.caseVariantIndex, detail)
    : null;

  progress.enter('Rendering');
  const rendering = fitReportMap(initialReportMap);
  rendering.catch(() => undefined); // awaited below, as `discovering`
  const figures = analysis.figures;
  const out = request.outputDir;

  // The largest output is written while the Graphviz thread lays out the map and the model.
  let enriched: { readonly artifact: ProducedArtifact; readonly addedColumns: readonly string[] } | null = null;
  if (plan.writeEnrichedDataset) {
    progress.enter('Writing outputs');
    const enrichments = new Set<EnrichmentName>(ENRICHMENTS.filter((e) => e !== 'anomalies' || figures.anomalies !== null));
    const summary = await writeEnrichedCsv(path.join(out, 'enriched-data.csv'), analysis.log, analysis.perCase, enrichments, (rows) =>
      progress.within(rows / Math.max(1, log.eventCount)),
    );
    enriched = {
      addedColumns: summary.addedColumns,
      artifact: {
        type: 'EnrichedDataset',
        title: artifactTitle(request, 'Enriched Data'),
        format: 'csv',
        fileName: 'enriched-data.csv',
        outputType: 'data',
        recordCount: summary.rowCount,
      },
    };
  }
  const { reportMap, renderedMap } = await rendering;
  const processModel = discovering === null ? null : await discovering;
  const model = training === null ? null : await training;
  const mapGraph = reportMap.defaultGraph;
  const mapNote =
    mapGraph.droppedActivities > 0 || mapGraph.droppedEdges > 0
      ? `Showing the ${mapGraph.nodes.length} most frequent of ${mapGraph.totalActivities} activities and ${mapGraph.edges.length} of ${mapGraph.totalEdges} directly-follows edges (edge labels: how often; hover for mean and median times). Open the report in a browser with scripts for the sliders and the performance view.`
      : `All ${mapGraph.nodes.length} activities and ${mapGraph.edges.length} directly-follows edges (edge labels: how often; hover for mean and median times).`;
  const title = artifactTitle(request, 'Report');
  const sections = [
    keyFigures([
      { label: 'Analysis type', value: plan.analysisType },
      { label: 'Data quality score', value: loaded.quality.dataQualityScore },
    ]),
    jobWarningsSection(warnings),
    plan.generateInsights && figures.insights ? insightsSection(figures.insights) : '',
    summarySection(figures.summary, timeWindow),
    eventClassifierSection(eventClassifier),
    interactiveMapSection(renderedMap.svg, mapNote),
    processModel ? processModelSection(processModel.figures, processModel.petriNetSvg, processModel.bpmnSvg) : '',
    activitySection(figures.activityStatistics, detail),
    plan.includeProcessVariants ? variantsSection(figures.variants, detail) : '',
    plan.includeProcessVariants ? variantExplorerSection() : '',
    dfgSection(figures.dfg, detail),
    plan.performanceMetrics.length > 0 ? performanceSection(figures.performance, detail) : '',
    reworkSection(figures.rework, detail),
    figures.anomalies ? anomaliesSection(figures.anomalies, detail) : '',
    conformance ? conformance.section : '',
    model
      ? modelSection({
          nextActivityAccuracy: model.accuracy,
          remainingTimeMaeSeconds: model.metrics['meanAbsoluteErrorSeconds'] ?? null,
          trainingCases: model.trainingCases,
          holdoutCases: model.holdoutCases,
          note: model.note,
        })
      : '',
    qualitySection(loaded.quality),
  ];
  const scripts = await reportPageScripts({
    map: reportMap.page,
    variants: plan.includeProcessVariants ? variantExplorerData(figures.variants, analysis.log, analysis.perCase) : null,
  });
  const html = htmlPage(
    title,
    `${figures.summary.caseCount} cases · ${figures.summary.eventCount} events · ${figures.summary.activityCount} activities`,
    sections.join('\n'),
    scripts,
  );

  progress.enter('Writing outputs');
  const artifacts: ProducedArtifact[] = [];
  await writeTextArtifact(out, 'report.html', html);
  artifacts.push({ type: 'ProcessMiningReport', title, format: 'html', fileName: 'report.html', outputType: 'reports', primary: true, recordCount: log.eventCount });
  await writeTextArtifact(out, 'process-map.svg', renderedMap.svg);
  artifacts.push({
    type: 'ProcessMap',
    title: artifactTitle(request, 'Process Map'),
    format: 'svg',
    fileName: 'process-map.svg',
    outputType: 'visualizations',
    recordCount: renderedMap.nodeCount,
    metrics: { activities: renderedMap.nodeCount, edges: renderedMap.edgeCount, droppedActivities: mapGraph.droppedActivities, droppedEdges: mapGraph.droppedEdges },
  });
  if (processModel) artifacts.push(...(await writeProcessModelArtifacts(out, request, processModel)));
  if (enriched) artifacts.push(enriched.artifact);
  if (model) {
    await writeTextArtifact(out, 'analytics-model.json', model.json);
    artifacts.push({
      type: 'AnalyticsModel',
      title: artifactTitle(request, 'Prediction Model'),
      format: 'json',
      fileName: 'analytics-model.json',
      outputType: 'models',
      ...(model.accuracy !== null && { accuracy: model.accuracy }),
      metrics: model.metrics,
    });
  }
  const sizes: Record<string, number> = {};
  for (const artifact of artifacts) sizes[artifact.fileName] = (await stat(path.join(out, artifact.fileName))).size;

  return {
    artifacts,
    warnings,
    figures: {
      analysisType: plan.analysisType,
      eventClassifier,
      analyses: {
        includeAnomalyDetection: plan.includeAnomalyDetection,
        includeProcessVariants: plan.includeProcessVariants,
        generateInsights: plan.generateInsights,
        performanceMetrics: plan.performanceMetrics,
      },
      ...figures,
      ...(timeWindow && { timeWindow }),
      variants: plan.includeProcessVariants ? figures.variants : { variantCount: figures.variants.variantCount, variants: [] },
      processMap: {
        nodes: mapGraph.nodes,
        edges: mapGraph.edges,
        startEdges: mapGraph.startEdges,
        endEdges: mapGraph.endEdges,
        totalActivities: mapGraph.totalActivities,
        totalEdges: mapGraph.totalEdges,
        droppedActivities: mapGraph.droppedActivities,
        droppedEdges: mapGraph.droppedEdges,
      },
      ...(conformance && { conformance: conformance.figures }),
      ...(processModel && { processModel: processModel.figures }),
      model: model
        ? { accuracy: model.accuracy, metrics: model.metrics, trainingCases: model.trainingCases, holdoutCases: model.holdoutCases, note: model.note }
        : null,
      ...(enriched && { enrichedDataset: { addedColumns: enriched.addedColumns } }),
      artifactSizes: sizes,
    },
  };
}
