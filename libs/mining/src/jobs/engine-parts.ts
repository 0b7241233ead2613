/**
 * The jobs' single point of contact with the process-map renderer, process discovery and the
 * prediction models, so the job runners depend on one small, stable shape.
 */
import type { ProcessMapGraph as PrunedDfg, Variant } from '../analysis/index.js';
import { discoverProcessModel, discoverySettings, variantLogFromSequences, type DiscoveredProcessModel } from '../discovery/index.js';
import type { EventLog } from '../event-log.js';
import type { JobExecutionRequest, ProducedArtifact } from '../job-execution.contract.js';
import { trainModelFileOffThread } from '../prediction/index.js';
import { PROCESS_MAP_END, PROCESS_MAP_START, renderDotToSvg, renderProcessMapSvg, type ProcessMapGraph } from '../process-map/index.js';
import { artifactTitle, writeTextArtifact } from './job-context.js';

export interface RenderedMap {
  readonly svg: string;
  readonly nodeCount: number;
  readonly edgeCount: number;
}

/** The pruned DFG of the analyses in the renderer's input shape (activity names are unique, so they serve as ids). */
export function toProcessMapGraph(dfg: PrunedDfg): ProcessMapGraph {
  return {
    nodes: dfg.nodes.map((node) => ({ id: node.activity, label: node.activity, frequency: node.frequency })),
    edges: [
      ...dfg.startEdges.map((s) => ({ from: PROCESS_MAP_START, to: s.activity, frequency: s.count })),
      ...dfg.edges.map((e) => ({ from: e.source, to: e.target, frequency: e.count, meanSeconds: e.meanSeconds, medianSeconds: e.medianSeconds })),
      ...dfg.endEdges.map((s) => ({ from: s.activity, to: PROCESS_MAP_END, frequency: s.count })),
    ],
  };
}

/**
 * Starts creating the (shared) Graphviz instance in the background: compiling its
 * WebAssembly takes a few hundred milliseconds, which then overlaps with loading the log
 * instead of adding to the Rendering stage. Failures surface later, at the real render.
 */
export function warmUpProcessMapRenderer(): void {
  renderDotToSvg('digraph warm_up {}').catch(() => undefined);
}

export async function renderProcessMap(dfg: PrunedDfg): Promise<RenderedMap> {
  const svg = await renderProcessMapSvg(toProcessMapGraph(dfg), { label: 'frequency', direction: 'TB' });
  return { svg, nodeCount: dfg.nodes.length, edgeCount: dfg.edges.length };
}

export interface TrainedModel {
  /** The serialized model file content (JSON). */
  readonly json: string;
  /** Next-activity accuracy on the time-ordered holdout; null when there is no holdout. */
  readonly accuracy: number | null;
  readonly metrics: Readonly<Record<string, number>>;
  readonly trainingCases: number | null;
  readonly holdoutCases: number | null;
  readonly note: string;
}

/**
 * Trains the next-activity + remaining-time model and measures it on the time-ordered
 * holdout. Degenerate logs (fewer than two cases) still get a model file; their accuracy is
 * null and the note says why. Trained on the model thread, so the caller goes on meanwhile.
 */
export async function trainAnalyticsModel(log: EventLog): Promise<TrainedModel> {
  const model = await trainModelFileOffThread(log);
  const m = model.metrics;
  const metrics: Record<string, number> = {
    evaluatedPredictions: m.evaluatedPredictions,
    remainingTimeEvaluatedPredictions: m.remainingTimeEvaluatedPredictions,
    trainingCases: model.trainingCases,
    holdoutCases: model.holdoutCases,
  };
  if (m.top3Accuracy !== null) metrics['top3Accuracy'] = m.top3Accuracy;
  if (m.remainingTimeMaeSeconds !== null) metrics['meanAbsoluteErrorSeconds'] = m.remainingTimeMaeSeconds;
  if (m.baselineMaeSeconds !== null) metrics['baselineMeanAbsoluteErrorSeconds'] = m.baselineMaeSeconds;
  const note =
    m.unavailableReason !== null
      ? `Holdout metrics unavailable: ${m.unavailableReason}.`
      : `Measured on the ${model.holdoutCases} latest-starting cases (${Math.round(model.holdoutFraction * 100)}%), trained on the ${model.trainingCases} earlier ones; the shipped model counts all ${model.finalModelCases} cases.`;
  return {
    json: model.json,
    accuracy: m.accuracy,
    metrics,
    trainingCases: model.trainingCases,
    holdoutCases: model.holdoutCases,
    note,
  };
}

/**
 * Discovers the process model of the analysed log from its variants (as the variant analysis
 * found them), with the miner chosen by `parameters.discovery` (plain IM by default).
 */
export function discoverModel(variants: readonly Variant[], parameters: Readonly<Record<string, unknown>>, modelName: string): Promise<DiscoveredProcessModel> {
  const { variants: log, activities } = variantLogFromSequences(variants.map((v) => ({ activities: v.activities, count: v.caseCount })));
  return discoverProcessModel(log, activities, discoverySettings(parameters['discovery']), modelName);
}

/** The discovered model's files, written into `outputDir`: PNML and BPMN (models), their pictures (visualizations). */
export async function writeProcessModelArtifacts(
  outputDir: string,
  request: JobExecutionRequest,
  model: DiscoveredProcessModel,
): Promise<ProducedArtifact[]> {
  const f = model.figures;
  const metrics = { places: f.places, transitions: f.transitions, silentTransitions: f.silentTransitions, arcs: f.arcs, treeNodes: f.treeNodes };
  const title = (what: string): string => artifactTitle(request, `Process Model (${what})`);
  const files: { fileName: string; content: string; artifact: Omit<ProducedArtifact, 'fileName'> }[] = [
    { fileName: 'process-model.pnml', content: model.pnml, artifact: { type: 'ProcessModel', title: title('Petri net, PNML'), format: 'pnml', outputType: 'models', recordCount: f.transitions, metrics } },
    { fileName: 'process-model.bpmn', content: model.bpmnXml, artifact: { type: 'ProcessModel', title: title('BPMN 2.0'), format: 'bpmn', outputType: 'models', metrics } },
    { fileName: 'process-model-petri-net.svg', content: model.petriNetSvg, artifact: { type: 'ProcessModel', title: title('Petri net picture'), format: 'svg', outputType: 'visualizations' } },
    { fileName: 'process-model-bpmn.svg', content: model.bpmnSvg, artifact: { type: 'ProcessModel', title: title('BPMN picture'), format: 'svg', outputType: 'visualizations' } },
  ];
  for (const file of files) await writeTextArtifact(outputDir, file.fileName, file.content);
  return files.map((file) => ({ ...file.artifact, fileName: file.fileName }));
}
