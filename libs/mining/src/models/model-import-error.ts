/** A process model that cannot be imported; `message` names the element or property at fault. */
export class ModelImportError extends Error {
  constructor(
    readonly format: 'pnml' | 'bpmn',
    readonly problem: 'malformedXml' | 'unsupportedElement' | 'notAWorkflowNet' | 'invalidModel',
    message: string,
  ) {
    super(message);
    this.name = 'ModelImportError';
  }
}
