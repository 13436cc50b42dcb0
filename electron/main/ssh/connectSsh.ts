/**
 * Opens one verified, authenticated SSH connection for a cluster with node-ssh.
 *
 * Host key check (trust on first use, then pinned): ssh2 calls `hostVerifier` with the raw key
 * blob the server signed the key exchange with (no `hostHash`, so no hashing by ssh2). The key is
 * compared with the one `KnownHosts` holds for the cluster:
 * - none stored → refused with `UnknownSshHostKeyError`, and the key is kept as pending for the
 *   user to confirm;
 * - a different one → refused with `ChangedHostKeyError`; the user is never asked, since a changed
 *   key is what a man in the middle looks like;
 * - the same → the handshake goes on to public-key authentication.
 * Once a key is trusted, its algorithm is preferred in the negotiation, so a server with several
 * host keys keeps presenting the confirmed one.
 * The verifier answers before authentication, so on a refusal no credential is sent and no
 * forwarded connection is ever opened.
 */
import { NodeSSH } from 'node-ssh';
import type { Algorithms, Client, ServerHostKeyAlgorithm } from 'ssh2';
import { ChangedHostKeyError } from '../gateway/Upstream.js';
import { hostKeyOf, preferredHostKeyAlgorithms, type HostKey } from './hostKey.js';
import type { KnownHosts } from './KnownHosts.js';
import { loadPrivateKey, passphraseProblem } from './loadPrivateKey.js';
import { connectProblem, type SshConnection } from './SshConnectionError.js';
import { UnknownSshHostKeyError } from './UnknownSshHostKeyError.js';

export interface SshTunnelOptions {
  knownHosts: KnownHosts;
  /** The passphrase of the cluster's private key (from the keychain), or undefined when none is stored. Asked only for an encrypted key. */
  passphrase: (clusterId: string) => Promise<string | undefined>;
  /** How long the TCP connect plus SSH handshake may take. Default 15 s. */
  readyTimeoutMs?: number;
  /** SSH keepalive interval. Default 15 s; with `keepaliveCountMax` 3, a silent peer is dropped after about 45 s. */
  keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection is dropped. Default 3. */
  keepaliveCountMax?: number;
}

/** A connected session; `closed` settles when its TCP connection has ended, for whatever reason. */
export interface SshSession {
  ssh: NodeSSH;
  client: Client;
  closed: Promise<void>;
  /** Ends the session and waits for its connection to close. */
  end(): Promise<void>;
}

export async function connectSsh(clusterId: string, connection: SshConnection, options: SshTunnelOptions): Promise<SshSession> {
  const key = await loadPrivateKey(connection.privateKeyPath, () => options.passphrase(clusterId));
  const trusted = await options.knownHosts.lookup(clusterId);
  let refusal: Error | null = null;

  const hostVerifier = (blob: Buffer): boolean => {
    let offered: HostKey;
    try {
      offered = hostKeyOf(blob);
    } catch (error) {
      refusal = error as Error;
      return false;
    }
    if (!trusted) {
      options.knownHosts.propose(clusterId, offered);
      refusal = new UnknownSshHostKeyError(offered);
      return false;
    }
    if (trusted.fingerprint !== offered.fingerprint || trusted.key !== offered.key) {
      refusal = new ChangedHostKeyError(trusted.fingerprint, offered.fingerprint);
      return false;
    }
    return true;
  };

  // Moves the trusted key's algorithms to the front of ssh2's list (removed, then prepended).
  const preferred = trusted ? (preferredHostKeyAlgorithms(trusted.algorithm) as ServerHostKeyAlgorithm[]) : [];
  const algorithms: Algorithms | undefined = trusted ? { serverHostKey: { remove: preferred, prepend: preferred, append: [] } } : undefined;

  const ssh = new NodeSSH();
  try {
    await ssh.connect({
      host: connection.host,
      port: connection.port,
      username: connection.username,
      privateKey: key.text,
      passphrase: key.passphrase,
      hostVerifier,
      ...(algorithms && { algorithms }),
      readyTimeout: options.readyTimeoutMs ?? 15_000,
      keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
      tryKeyboard: false,
    });
  } catch (error) {
    ssh.connection?.destroy();
    ssh.dispose();
    throw refusal ?? passphraseProblem(error, connection.privateKeyPath) ?? connectProblem(error, connection);
  }

  const client = ssh.connection!;
  // node-ssh stops listening for errors once connected; a reset or keepalive timeout later must
  // not crash the app: it ends the connection, and the tunnel reconnects on its next use.
  client.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  return {
    ssh,
    client,
    closed,
    async end() {
      client.end();
      // A server that does not answer the disconnect within 2 s is cut off.
      const timer = setTimeout(() => client.destroy(), 2_000);
      await closed;
      clearTimeout(timer);
    },
  };
}
