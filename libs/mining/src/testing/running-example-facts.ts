/**
 * Known facts of the running example of van der Aalst's Process Mining book (6 cases, 42
 * events), stated once: the ingest, analysis and job tests each check that their path
 * through the code arrives at these same figures.
 */
export const RUNNING_EXAMPLE_FACTS = {
  caseCount: 6,
  eventCount: 42,
  activityCount: 8,
  resourceCount: 6,
  /** Every case follows a different path. */
  variantCount: 6,
  eventsPerActivity: {
    'check ticket': 9,
    decide: 9,
    'register request': 6,
    'examine casually': 6,
    'reinitiate request': 3,
    'examine thoroughly': 3,
    'pay compensation': 3,
    'reject request': 3,
  },
} as const;
