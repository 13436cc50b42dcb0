/**
 * Where the desktop app keeps a cluster's secrets: the refresh token of a signed-in session, an
 * API key, the passphrase of an SSH private key. The app's own files never hold them (the cluster
 * registry stores profiles only), and they never cross the bridge to the renderer.
 */

/** What one secret of a cluster is. A cluster holds at most one of each. */
export const secretKinds = ['refreshToken', 'apiKey', 'sshPassphrase'] as const;
export type SecretKind = (typeof secretKinds)[number];

export interface SecretStore {
  /** The secret, or undefined when none is stored. */
  get(clusterId: string, kind: SecretKind): Promise<string | undefined>;
  /** Stores the secret, replacing any earlier one of the same kind. */
  set(clusterId: string, kind: SecretKind, secret: string): Promise<void>;
  /** Forgets the secret; nothing happens when none is stored. */
  delete(clusterId: string, kind: SecretKind): Promise<void>;
}

/** Forgets every secret of a cluster (when it is removed). */
export async function deleteClusterSecrets(store: SecretStore, clusterId: string): Promise<void> {
  for (const kind of secretKinds) await store.delete(clusterId, kind);
}
