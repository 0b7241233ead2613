/** An uploaded process model (PNML or BPMN) conformance jobs check against. Reference data, like datasets. */
import type { ProcessModelFormat } from '../../mining/src/models/import-process-model.js';

export interface ProcessModel {
  readonly modelId: string;
  readonly tenantId: string;
  readonly projectId: string;
  readonly name: string;
  readonly format: ProcessModelFormat;
  readonly places: number;
  readonly transitions: number;
  /** Distinct labels of the visible transitions, sorted. */
  readonly activities: readonly string[];
  readonly silentTransitions: number;
  readonly sizeBytes: number;
  readonly uploadedBy: string;
  readonly uploadedAt: string;
  /** File inside the artifact store's model folder. */
  readonly fileName: string;
}
