/**
 * `analysisType: "conformance"` for ProcessMining and Analysis jobs: which model the log is
 * checked against, and the check itself (figures plus the report section). Two modes:
 * - `model`: an accepting Petri net from `parameters.model` (inline PNML/BPMN) or
 *   `parameters.modelId` (an uploaded model the node resolved into `request.processModel`);
 * - `expectedPath`: the expected path and allowed start/end activities.
 * With neither, the log is checked against the model discovered from it (Inductive Miner).
 */
import { readFile } from 'node:fs/promises';
import type { Variant } from '../analysis/index.js';
import { checkModelConformance, type ModelConformanceFigures, type ModelDescription } from '../conformance/index.js';
import { discoverySettings, mineProcessTree, variantLogFromSequences } from '../discovery/index.js';
import type { EventLog } from '../event-log.js';
import type { JobExecutionRequest } from '../job-execution.contract.js';
import { importProcessModel, type ProcessModelFormat } from '../models/import-process-model.js';
import type { AcceptingPetriNet } from '../models/petri-net.js';
import { processTreeToPetriNet } from '../models/tree-to-petri-net.js';
import { checkConformance, type ConformanceFigures, type ConformanceModel } from './conformance.js';
import { modelConformanceSection } from './model-conformance-section.js';
import { conformanceSection, type ReportDetail } from './report-sections.js';
import { InvalidJobParametersError } from './validate-parameters.js';

export type ConformanceTarget =
  | { readonly mode: 'model'; readonly net: AcceptingPetriNet; readonly description: ModelDescription }
  | { readonly mode: 'expectedPath'; readonly model: ConformanceModel; readonly basis: 'explicit' | 'inferred' };

export type ConformanceResult =
  | ModelConformanceFigures
  | (ConformanceFigures & { readonly mode: 'expectedPath'; readonly basis: 'explicit' | 'inferred' });

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'string') ? (value as string[]) : undefined;
}

function modelTarget(net: AcceptingPetriNet, description: Omit<ModelDescription, 'places' | 'transitions'>): ConformanceTarget {
  return { mode: 'model', net, description: { ...description, places: net.net.places.length, transitions: net.net.transitions.length } };
}

/** The one place that decides what a conformance job checks against. */
export async function modelForConformance(request: JobExecutionRequest, variants: readonly Variant[]): Promise<ConformanceTarget> {
  const parameters = request.parameters;
  const inline = parameters['model'] as { format: ProcessModelFormat; content: string } | undefined;
  if (inline) return modelTarget(importProcessModel(inline.format, inline.content), { source: 'inline', format: inline.format });
  if (parameters['modelId'] !== undefined) {
    const file = request.processModel;
    if (!file) throw new InvalidJobParametersError([{ field: 'parameters.modelId', message: 'names no model of this project' }]);
    const net = importProcessModel(file.format, await readFile(file.path, 'utf8'));
    return modelTarget(net, { source: 'upload', format: file.format, modelId: file.modelId, name: file.name });
  }
  const declared: ConformanceModel = {
    ...(stringList(parameters['expectedPath']) && { expectedPath: stringList(parameters['expectedPath'])! }),
    ...(stringList(parameters['allowedStartActivities']) && { allowedStartActivities: stringList(parameters['allowedStartActivities'])! }),
    ...(stringList(parameters['allowedEndActivities']) && { allowedEndActivities: stringList(parameters['allowedEndActivities'])! }),
  };
  if (Object.keys(declared).length > 0) return { mode: 'expectedPath', model: declared, basis: 'explicit' };
  // Neither a model nor an expected path: the model discovered from this log (the job's
  // `discovery` options, plain IM by default; IM's model fits every trace of its own log).
  const settings = discoverySettings(parameters['discovery']);
  const { variants: variantLog, activities } = variantLogFromSequences(variants.map((v) => ({ activities: v.activities, count: v.caseCount })));
  const net = processTreeToPetriNet(mineProcessTree(variantLog, activities, { noiseThreshold: settings.noiseThreshold }));
  return modelTarget(net, { source: 'discovered', format: null, name: settings.algorithm === 'inductive' ? 'Inductive Miner' : `Inductive Miner – infrequent (${settings.noiseThreshold})` });
}

/** Case ids listed per deviating variant. */
const EXAMPLE_CASE_IDS = 5;

/** `caseVariantIndex`: per case of `log`, its index in `variants` (from the variant analysis of the same log). */
export function runConformanceCheck(
  target: ConformanceTarget, log: EventLog, variants: readonly Variant[], caseVariantIndex: Uint32Array, detail: ReportDetail,
): { figures: ConformanceResult; section: string } {
  if (target.mode === 'model') {
    const examples = variants.map((): string[] => []);
    for (let c = 0; c < caseVariantIndex.length; c++) {
      const list = examples[caseVariantIndex[c]!]!;
      if (list.length < EXAMPLE_CASE_IDS) list.push(log.caseIds[c]!);
    }
    const traces = variants.map((v, i) => ({ variantId: v.id, activities: v.activities, caseCount: v.caseCount, exampleCaseIds: examples[i]! }));
    const figures = checkModelConformance(target.net, target.description, traces);
    return { figures, section: modelConformanceSection(figures, detail) };
  }
  const checked = checkConformance(log, target.model, variants);
  return { figures: { ...checked, mode: 'expectedPath', basis: target.basis }, section: conformanceSection(checked, detail) };
}
