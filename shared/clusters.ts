/**
 * Cluster profiles of the desktop app: how to reach an agent, directly or through an SSH tunnel.
 *
 * A profile holds no secret. Refresh tokens, API keys and SSH key passphrases live in the OS
 * keychain under the profile's id (the main process's cluster registry); the renderer sees only
 * which kind of credential is stored (`ClusterView.credential`), never its value.
 */
import { z } from 'zod';

/** An agent reached at its own URL (http or https). */
export const directConnection = z.strictObject({
  kind: z.literal('direct'),
  url: z.url({ protocol: /^https?$/, error: 'url must be an http:// or https:// address' }),
});

/** An agent on an SSH host, reached through a tunnel to its loopback port. */
export const sshConnection = z.strictObject({
  kind: z.literal('ssh'),
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65_535).default(22),
  username: z.string().trim().min(1).max(64),
  /** The private key file on this computer (OpenSSH or PEM). Its passphrase, if any, is a secret. */
  privateKeyPath: z.string().min(1).max(4_096),
  /** The agent's port on the SSH host's loopback interface. */
  agentPort: z.number().int().min(1).max(65_535).default(7700),
});

export const clusterConnection = z.discriminatedUnion('kind', [directConnection, sshConnection]);
export type ClusterConnection = z.infer<typeof clusterConnection>;

/** What a user enters to add or edit a cluster. */
export const clusterInput = z.strictObject({
  name: z.string().trim().min(1, 'name must not be empty').max(60),
  /** A CSS hex colour, e.g. `#3b82f6`, shown beside the cluster's name. */
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colour must be #rrggbb'),
  connection: clusterConnection,
});
export type ClusterInput = z.infer<typeof clusterInput>;

/** A stored profile: the input plus its id. The id names the cluster in the gateway (`/c/<id>/…`). */
export const clusterProfile = clusterInput.extend({ id: z.string().regex(/^[a-z0-9-]{1,64}$/) });
export type ClusterProfile = z.infer<typeof clusterProfile>;

/** The id of the embedded agent the app starts itself, shown as "This computer". */
export const localClusterId = 'this-computer';

/** The file `Export profiles` writes and `Import profiles` reads. Never holds secrets. */
export const clusterExportFile = z.strictObject({
  format: z.literal('switchyard-clusters'),
  version: z.literal(1),
  clusters: z.array(clusterInput).max(500),
});
export type ClusterExportFile = z.infer<typeof clusterExportFile>;

/** Which credential the keychain holds for a cluster: none, a signed-in session (refresh token) or an API key. */
export const credentialKinds = ['none', 'session', 'apiKey'] as const;
export type CredentialKind = (typeof credentialKinds)[number];

/** An SSH host key the app has not seen for this cluster, waiting for the user to confirm it. */
export interface PendingHostKey {
  /** `SHA256:<base64>`, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  algorithm: string;
}

/** How a cluster looked when the app last reached it; kept while it is down and shown as stale. */
export interface ClusterHealth {
  /** `up` when the last check reached the agent, `down` when it did not, `unknown` before the first check. */
  state: 'up' | 'down' | 'unknown';
  /** When the agent last answered (epoch ms), or null if it never has since the app started. */
  lastSeenAt: number | null;
  /** When the last check ran (epoch ms), or null before the first. */
  checkedAt: number | null;
  /** Why the last check failed, in words, when `state` is `down`. */
  problem: string | null;
  agentVersion: string | null;
  /** Tasks completed and failed over the last minute, summed over queues; null until known. */
  completedPerMinute: number | null;
  failedPerMinute: number | null;
  /** Dead tasks over all queues; null until known. */
  dead: number | null;
}

/** One cluster as the renderer sees it: the profile, its stored credential kind and its health. */
export interface ClusterView {
  profile: ClusterProfile;
  credential: CredentialKind;
  /** The signed-in user's name and role, when `credential` is `session` or `apiKey` and the agent said who. */
  principal: { name: string; role: string } | null;
  /** Set while an unknown SSH host key waits for confirmation (`clusters.trustHostKey`). */
  pendingHostKey: PendingHostKey | null;
  health: ClusterHealth;
}
