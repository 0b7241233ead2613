/** Injection tokens of the API process's runtime pieces. */
export const STORES = Symbol('Stores');
export const JOB_PROJECTION_RUNNER = Symbol('JobProjectionRunner');
export const NOTIFICATIONS = Symbol('Notifications');
