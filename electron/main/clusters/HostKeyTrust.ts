/**
 * The SSH known-hosts store as the cluster service uses it (`electron/main/ssh/KnownHosts.ts` is
 * one). The `ssh` opener refuses a host key the store does not hold (`UnknownHostKeyError`,
 * after proposing it to the store as pending) or one that differs from the trusted key
 * (`ChangedHostKeyError`). The user's confirmation of the shown fingerprint trusts exactly the
 * key the store kept as pending, never one supplied later.
 */
export interface HostKeyTrust {
  /** Trusts the cluster's pending host key if its fingerprint is `fingerprint`; throws otherwise. */
  trustPending(clusterId: string, fingerprint: string): Promise<unknown>;
  /** Forgets the cluster's trusted and pending keys (the cluster was removed, or its SSH host changed). */
  forget(clusterId: string): Promise<void>;
}
