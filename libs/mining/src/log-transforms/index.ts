/** Per-job views of a loaded log: the event classifier and the duplicate policy. */
export { classifyEvents, EVENT_CLASSIFIERS } from './event-classifier.js';
export type { EventClassifier, EventClassifierFigures, LifecycleFigures } from './event-classifier.js';
export { withExactRepeats } from './exact-repeats.js';
export { eventTransitionKinds, transitionKindOf, TRANSITION_COMPLETE, TRANSITION_START, TRANSITION_OTHER } from './lifecycle-transitions.js';
