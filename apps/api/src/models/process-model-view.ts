import type { ProcessModel } from '../../../../libs/process-models/src/process-model.js';

/** A process model as the API shows it (no storage details). */
export function processModelView(m: ProcessModel) {
  return {
    modelId: m.modelId,
    name: m.name,
    format: m.format,
    places: m.places,
    transitions: m.transitions,
    activities: m.activities,
    silentTransitions: m.silentTransitions,
    sizeBytes: m.sizeBytes,
    uploadedAt: m.uploadedAt,
  };
}
