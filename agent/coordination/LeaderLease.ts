/**
 * The leader lease: one agent of a cluster holds it and does the work that must happen once
 * (archiving, lease recovery sweeps, cron ticks). Each holder gets a fencing token that rises
 * with every new leader, so work stamped with an older token can be told apart.
 */
export interface LeaderLease {
  isLeader(): boolean;
  /** The fencing token of the current term, or null when not leader. */
  token(): number | null;
  /** Begins trying to take the lease and keep it. */
  start(): Promise<void>;
  /** Gives the lease up at once, so another agent takes over without waiting for it to lapse. */
  close(): Promise<void>;
}
