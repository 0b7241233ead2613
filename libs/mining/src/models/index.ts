/** Public API of the process models: shapes, conversions, writers, pictures and the soundness check. */
export type { AcceptingPetriNet, Arc, Marking, PetriNet, Place, ProcessTree, ProcessTreeOperator, Transition } from './petri-net.js';
export { processTreeToString, processTreeSize, type ProcessTreeSize } from './process-tree.js';
export { processTreeToPetriNet } from './tree-to-petri-net.js';
export { checkSoundness, DEFAULT_MAX_STATES, type SoundnessReport } from './soundness.js';
export { writePnml, PNML_NAMESPACE, PTNET_TYPE } from './pnml.js';
export { processTreeToBpmn, bpmnToDot, layoutBpmn, writeBpmnXml, renderBpmn, type BpmnProcess, type BpmnNode, type BpmnFlow } from './bpmn.js';
export { petriNetToDot, renderPetriNetSvg } from './petri-net-dot.js';
