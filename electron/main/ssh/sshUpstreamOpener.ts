/**
 * The gateway's `UpstreamOpener` for SSH clusters, injected at the composition root:
 *
 *     const knownHosts = new KnownHosts(join(app.getPath('userData'), 'known-ssh-hosts.json'));
 *     const openSsh = sshUpstreamOpener({ knownHosts, passphrase: (id) => secrets.get(id, 'sshPassphrase') });
 *
 * It opens an `SshUpstream` for a profile whose connection is `ssh`, and refuses any other.
 * Errors: `UnknownSshHostKeyError` (an `UnknownHostKeyError` carrying the key; confirm it with
 * `knownHosts.trustPending(id, fingerprint)` and open again), `ChangedHostKeyError`, or
 * `SshConnectionError` (see its `problem`).
 */
import type { ClusterProfile } from '../../../shared/clusters.js';
import type { UpstreamOpener } from '../gateway/Upstream.js';
import type { SshTunnelOptions } from './connectSsh.js';
import { SshUpstream } from './SshUpstream.js';

export function sshUpstreamOpener(options: SshTunnelOptions): UpstreamOpener {
  return async (profile: ClusterProfile) => {
    const { connection } = profile;
    if (connection.kind !== 'ssh') throw new Error(`cluster ${profile.id} is reached directly, not through SSH`);
    return SshUpstream.open(profile.id, connection, options);
  };
}
