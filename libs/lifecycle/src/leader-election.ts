/**
 * Which process leads each role (one active consumer per role). The port is small: a
 * process asks whether it leads a role and is told at once when that changes. Adapters:
 * PostgreSQL session advisory locks (postgres-leader-election.ts) and, for the embedded
 * store that one process owns, `soleProcessLeadership`.
 */

/** Roles that exactly one process runs at a time. */
export const LEADER_ROLES = ['job-projection', 'notifications', 'supervisor', 'retries', 'pipelines', 'schedules'] as const;
export type LeaderRole = (typeof LEADER_ROLES)[number];
/** Workers compete for every role but `schedules`: firing submits through the API's command path, which only API processes have. */
export const WORKER_LEADER_ROLES: readonly LeaderRole[] = LEADER_ROLES.filter((role) => role !== 'schedules');

export type LeadershipListener = (leading: boolean) => void;

export interface LeaderElection {
  /** Starts competing for `roles`; resolves after the first attempt (so a lone process leads at once). */
  start(roles: readonly LeaderRole[]): Promise<void>;
  /** Gives every role up (listeners hear `false`) and closes what the election holds. */
  stop(): Promise<void>;
  isLeading(role: LeaderRole): boolean;
  /** `listener` hears every change of `role` (synchronously: a lost lock stops the role before anything else runs). */
  onChange(role: LeaderRole, listener: LeadershipListener): () => void;
  /** The roles this process leads right now, for logs and status. */
  ledRoles(): LeaderRole[];
}

/** Shared bookkeeping of who listens to which role and what is held. */
export class LeadershipState {
  private readonly held = new Set<LeaderRole>();
  private readonly listeners = new Map<LeaderRole, Set<LeadershipListener>>();

  isLeading(role: LeaderRole): boolean {
    return this.held.has(role);
  }

  ledRoles(): LeaderRole[] {
    return LEADER_ROLES.filter((role) => this.held.has(role));
  }

  onChange(role: LeaderRole, listener: LeadershipListener): () => void {
    let set = this.listeners.get(role);
    if (!set) this.listeners.set(role, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  set(role: LeaderRole, leading: boolean): void {
    if (this.held.has(role) === leading) return;
    if (leading) this.held.add(role);
    else this.held.delete(role);
    for (const listener of [...(this.listeners.get(role) ?? [])]) listener(leading);
  }

  releaseAll(): void {
    for (const role of this.ledRoles()) this.set(role, false);
  }
}

/** The embedded store belongs to one process (DATA_DIR is locked): it leads every role. */
export function soleProcessLeadership(): LeaderElection {
  const state = new LeadershipState();
  return {
    async start(roles) {
      for (const role of roles) state.set(role, true);
    },
    async stop() {
      state.releaseAll();
    },
    isLeading: (role) => state.isLeading(role),
    onChange: (role, listener) => state.onChange(role, listener),
    ledRoles: () => state.ledRoles(),
  };
}
