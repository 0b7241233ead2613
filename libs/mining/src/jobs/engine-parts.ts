/**
 * The jobs' single point of contact with the process-map renderer and the prediction
 * models, so the job runners depend on one small, stable shape.
 */
import { instance } from '@viz-js/viz';
import type { ProcessMapGraph } from '../analysis/index.js';
import type { EventLog } from '../event-log.js';
import { formatDurationShort } from '../format/duration.js';
import { serializeModel, trainAnalyticsModel as trainPredictionModel } from '../prediction/index.js';

export interface RenderedMap {
  readonly svg: string;
  readonly nodeCount: number;
  readonly edgeCount: number;
}

function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ')}"`;
}

export async function renderProcessMap(graph: ProcessMapGraph): Promise<RenderedMap> {
  const lines = ['digraph process {', 'rankdir=TB;', 'node [shape=box, style="rounded,filled", fillcolor="#e8eef6", fontname="Helvetica", fontsize=11];', 'edge [fontname="Helvetica", fontsize=9];'];
  lines.push('"__start" [shape=circle, label="", width=0.25, fillcolor="#2a9d8f", class="start"];');
  lines.push('"__end" [shape=doublecircle, label="", width=0.2, fillcolor="#e76f51", class="end"];');
  graph.nodes.forEach((node, i) => lines.push(`n${i} [label=${dotString(`${node.activity}\n${node.frequency}`)}, class="activity"];`));
  const id = new Map(graph.nodes.map((node, i) => [node.activity, `n${i}`]));
  const maxCount = Math.max(1, ...graph.edges.map((e) => e.count));
  for (const e of graph.edges) {
    const width = 1 + (3 * e.count) / maxCount;
    lines.push(`${id.get(e.source)} -> ${id.get(e.target)} [label=${dotString(`${e.count} · ${formatDurationShort(e.meanSeconds)}`)}, penwidth=${width.toFixed(2)}];`);
  }
  for (const s of graph.startEdges) lines.push(`"__start" -> ${id.get(s.activity)} [label=${dotString(String(s.count))}, style=dashed];`);
  for (const s of graph.endEdges) lines.push(`${id.get(s.activity)} -> "__end" [label=${dotString(String(s.count))}, style=dashed];`);
  lines.push('}');
  const viz = await instance();
  return { svg: viz.renderString(lines.join('\n'), { format: 'svg' }), nodeCount: graph.nodes.length, edgeCount: graph.edges.length };
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
 * null and the note says why.
 */
export function trainAnalyticsModel(log: EventLog): TrainedModel {
  const model = trainPredictionModel(log);
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
    json: serializeModel(model),
    accuracy: m.accuracy,
    metrics,
    trainingCases: model.trainingCases,
    holdoutCases: model.holdoutCases,
    note,
  };
}
