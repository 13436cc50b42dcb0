/**
 * An SSH host key the app has not seen for this cluster: its fingerprint and algorithm, to compare
 * with the host's own (`ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub` on the host), and the choice to
 * trust it. A key that differs from the trusted one is never offered here: the main process refuses
 * it and the cluster shows the refusal as its problem.
 */
import type { ClusterView } from '../../../shared/clusters.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useBridgeAction } from './useBridgeAction.js';

export function HostKeyPrompt({ cluster }: { cluster: ClusterView }) {
  const { busy, error, run } = useBridgeAction();
  const hostKey = cluster.pendingHostKey;
  if (!hostKey) return null;
  return (
    <section className="host-key" aria-label="Unknown host key">
      <p>
        {cluster.profile.name}: the SSH host sent a key this app has not seen. Connect only if it matches the host&apos;s own key.
      </p>
      <dl>
        <dt>Fingerprint</dt>
        <dd>
          <code data-testid="host-key-fingerprint">{hostKey.fingerprint}</code>
        </dd>
        <dt>Algorithm</dt>
        <dd>{hostKey.algorithm}</dd>
      </dl>
      <button type="button" disabled={busy} onClick={() => void run((bridge) => bridge.trustHostKey(cluster.profile.id, hostKey.fingerprint))}>
        Trust and connect
      </button>
      <ErrorMessage message={error} />
    </section>
  );
}
