/**
 * Turns uploaded XML into a registered process model: import it (a
 * `ModelImportError` names what is wrong), then write the file into the model folder and
 * register its description. Models are small (MAX_MODEL_BYTES), so they are read whole.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactStore } from '../../artifacts/src/artifact-store.js';
import { describeNet, importProcessModel, type ProcessModelFormat } from '../../mining/src/models/import-process-model.js';
import { ModelImportError } from '../../mining/src/models/model-import-error.js';
import { inspectJsonValue } from '../../storage/src/storable-text.js';
import type { PostgresProcessModelRegistry } from './postgres-process-model-registry.js';
import type { ProcessModel } from './process-model.js';

export const MAX_MODEL_BYTES = 10 * 1024 * 1024;

export interface ProcessModelSource {
  readonly tenantId: string;
  readonly projectId: string;
  readonly xml: string;
  readonly sizeBytes: number;
  readonly format: ProcessModelFormat;
  readonly originalName: string;
  readonly name: string;
  readonly uploadedBy: string;
}

/** `pnml` or `bpmn` from a `.pnml` / `.bpmn` name, else from the root element (<pnml> or <definitions>); null when neither tells. */
export function detectModelFormat(originalName: string, xml: string): ProcessModelFormat | null {
  const lower = originalName.toLowerCase();
  if (lower.endsWith('.pnml')) return 'pnml';
  if (lower.endsWith('.bpmn') || lower.endsWith('.bpmn2')) return 'bpmn';
  const root = /<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]/.exec(xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g, ''));
  if (root?.[1] === 'pnml') return 'pnml';
  if (root?.[1] === 'definitions') return 'bpmn';
  return null;
}

export async function registerProcessModel(files: ArtifactStore, registry: PostgresProcessModelRegistry, source: ProcessModelSource): Promise<ProcessModel> {
  const format = source.format;
  const described = describeNet(importProcessModel(format, source.xml));
  // The description is stored as JSON: a label PostgreSQL cannot store is the file's fault.
  const unstorable = inspectJsonValue(described.activities);
  if (unstorable.length > 0) throw new ModelImportError(format, 'invalidModel', `an activity name ${unstorable[0]!.message}`);
  const modelId = randomUUID();
  const target = files.modelPath(source.tenantId, source.projectId, modelId, format);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, source.xml, 'utf8');
  const model: ProcessModel = {
    modelId, tenantId: source.tenantId, projectId: source.projectId, name: source.name, format, ...described,
    sizeBytes: source.sizeBytes, uploadedBy: source.uploadedBy, uploadedAt: new Date().toISOString(), fileName: path.basename(target),
  };
  await registry.register(model);
  return model;
}

export function processModelFilePath(files: ArtifactStore, model: ProcessModel): string {
  return path.join(files.modelDir(model.tenantId, model.projectId), model.fileName);
}
