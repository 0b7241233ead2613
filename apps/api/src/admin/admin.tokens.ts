/** The process's projection rebuilds (ProjectionRebuilds), for the admin endpoints and the system status. */
export const PROJECTION_REBUILDS = Symbol('ProjectionRebuilds');
