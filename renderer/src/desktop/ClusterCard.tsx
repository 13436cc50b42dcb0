/**
 * One cluster in the Clusters view: its colour and name, where it is, whether it answers, its agent
 * version, throughput and dead count — the last known values, marked stale, while it is down — who
 * the app signs in as, and the actions on it. One form at a time opens under the card.
 */
import { useState } from 'react';
import { localClusterId, type ClusterView } from '../../../shared/clusters.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { ClusterForm } from './ClusterForm.js';
import { connectionText, countText, staleText } from './clusterStatus.js';
import { useClustersStore } from './clustersStore.js';
import { CredentialsForm } from './CredentialsForm.js';
import { HostKeyPrompt } from './HostKeyPrompt.js';
import { SecretForm } from './SecretForm.js';
import { useBridgeAction } from './useBridgeAction.js';

type Panel = 'edit' | 'signIn' | 'setUp' | 'apiKey' | 'passphrase' | 'remove' | null;

const credentialText = (cluster: ClusterView): string => {
  if (cluster.credential === 'none') return 'not signed in';
  const kind = cluster.credential === 'apiKey' ? 'API key' : 'signed in';
  return cluster.principal ? `${kind} as ${cluster.principal.name} (${cluster.principal.role})` : `${kind}, not confirmed yet`;
};

export function ClusterCard({ cluster, position, active, now }: { cluster: ClusterView; position: number; active: boolean; now: number }) {
  const activate = useClustersStore((state) => state.activate);
  const { busy, error, run } = useBridgeAction();
  const [panel, setPanel] = useState<Panel>(null);
  const { profile, health } = cluster;
  const stale = staleText(cluster, now);
  const toggle = (next: Panel) => setPanel(panel === next ? null : next);
  const close = () => setPanel(null);

  return (
    <li className="cluster-card" data-cluster={profile.id} data-status={health.state} aria-current={active ? 'true' : undefined}>
      <header>
        <span className="cluster-dot" style={{ backgroundColor: profile.colour }} aria-hidden="true" />
        <h2>{profile.name}</h2>
        <span className={`cluster-status status-${health.state}`} data-testid="cluster-status">
          {health.state}
        </span>
        {position <= 9 ? <kbd title={`Ctrl+Shift+${position} opens this cluster`}>Ctrl+Shift+{position}</kbd> : null}
      </header>
      <p className="cluster-connection">{connectionText(profile.connection)}</p>
      <dl className={stale ? 'cluster-health stale' : 'cluster-health'}>
        <dt>Agent</dt>
        <dd data-testid="agent-version">{health.agentVersion ?? '–'}</dd>
        <dt>Completed/min</dt>
        <dd data-testid="completed-per-minute">{countText(health.completedPerMinute)}</dd>
        <dt>Failed/min</dt>
        <dd data-testid="failed-per-minute">{countText(health.failedPerMinute)}</dd>
        <dt>Dead</dt>
        <dd data-testid="dead-count">{countText(health.dead)}</dd>
      </dl>
      {stale ? <p className="stale-note">{stale}</p> : null}
      {health.state === 'down' && health.problem ? <p className="cluster-problem">{health.problem}</p> : null}
      <p className="cluster-credential">{credentialText(cluster)}</p>
      <HostKeyPrompt cluster={cluster} />
      <div className="cluster-actions">
        <button type="button" onClick={() => activate(profile.id)}>
          Open
        </button>
        <button type="button" aria-expanded={panel === 'edit'} onClick={() => toggle('edit')}>
          Edit
        </button>
        {cluster.credential === 'none' ? (
          <>
            <button type="button" aria-expanded={panel === 'signIn'} onClick={() => toggle('signIn')}>
              Sign in
            </button>
            <button type="button" aria-expanded={panel === 'apiKey'} onClick={() => toggle('apiKey')}>
              Use API key
            </button>
            {profile.id === localClusterId ? (
              <button type="button" aria-expanded={panel === 'setUp'} onClick={() => toggle('setUp')}>
                Set up first admin
              </button>
            ) : null}
          </>
        ) : (
          <button type="button" disabled={busy} onClick={() => void run((bridge) => bridge.signOut(profile.id))}>
            Sign out
          </button>
        )}
        {profile.connection.kind === 'ssh' ? (
          <button type="button" aria-expanded={panel === 'passphrase'} onClick={() => toggle('passphrase')}>
            Set key passphrase
          </button>
        ) : null}
        <button type="button" aria-expanded={panel === 'remove'} onClick={() => toggle('remove')}>
          Remove
        </button>
      </div>
      <ErrorMessage message={error} />
      {panel === 'edit' ? <ClusterForm profile={profile} onDone={close} /> : null}
      {panel === 'signIn' ? <CredentialsForm clusterId={profile.id} purpose="signIn" onDone={close} /> : null}
      {panel === 'setUp' ? <CredentialsForm clusterId={profile.id} purpose="setUp" onDone={close} /> : null}
      {panel === 'apiKey' ? <SecretForm clusterId={profile.id} kind="apiKey" onDone={close} /> : null}
      {panel === 'passphrase' ? <SecretForm clusterId={profile.id} kind="passphrase" onDone={close} /> : null}
      {panel === 'remove' ? (
        <div className="confirm" role="group" aria-label={`Remove ${profile.name}`}>
          <p>Remove {profile.name}? Its profile and the credentials stored for it in the keychain are deleted; the agent itself is not touched.</p>
          <button type="button" disabled={busy} onClick={() => void run((bridge) => bridge.remove(profile.id))}>
            Remove {profile.name}
          </button>
          <button type="button" onClick={close}>
            Keep it
          </button>
        </div>
      ) : null}
    </li>
  );
}
