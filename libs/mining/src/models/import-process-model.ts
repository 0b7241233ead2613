/** One entry for model import: PNML or BPMN XML into an `AcceptingPetriNet` (throws `ModelImportError`). */
import { importBpmn } from './bpmn-import.js';
import type { AcceptingPetriNet } from './petri-net.js';
import { importPnml } from './pnml-import.js';

export const PROCESS_MODEL_FORMATS = ['pnml', 'bpmn'] as const;
export type ProcessModelFormat = (typeof PROCESS_MODEL_FORMATS)[number];

export function importProcessModel(format: ProcessModelFormat, xml: string): AcceptingPetriNet {
  return format === 'pnml' ? importPnml(xml) : importBpmn(xml);
}

/** What a model holds, as the models API and `figures.conformance.model` describe it. */
export function describeNet(model: AcceptingPetriNet): { places: number; transitions: number; activities: string[]; silentTransitions: number } {
  const labels = model.net.transitions.map((t) => t.label);
  return {
    places: model.net.places.length,
    transitions: model.net.transitions.length,
    activities: [...new Set(labels.filter((l): l is string => l !== null))].sort(),
    silentTransitions: labels.filter((l) => l === null).length,
  };
}
