/**
 * What the desktop app shows in place of the views while the active cluster cannot be worked with:
 * its sign-in form when no credential is stored (with an API key, or the first admin's setup for
 * This computer, as alternatives), the host key to confirm for an SSH cluster, or why the agent
 * does not answer while a stored credential waits to be confirmed.
 */
import { useState } from 'react';
import { localClusterId, type ClusterView } from '../../../shared/clusters.js';
import { LoginForm } from '../components/LoginForm.js';
import { connectionText, readiness, staleText } from './clusterStatus.js';
import { CredentialsForm } from './CredentialsForm.js';
import { HostKeyPrompt } from './HostKeyPrompt.js';
import { SecretForm } from './SecretForm.js';
import { useBridgeAction } from './useBridgeAction.js';

type Alternative = 'password' | 'apiKey' | 'setUp';

export function ClusterGate({ cluster }: { cluster: ClusterView }) {
  const [alternative, setAlternative] = useState<Alternative>('password');
  const signOut = useBridgeAction();
  const { profile, health } = cluster;
  const state = readiness(cluster);
  const heading = (
    <p className="gate-cluster">
      <span className="cluster-dot" style={{ backgroundColor: profile.colour }} aria-hidden="true" />
      <span>
        {profile.name} · {connectionText(profile.connection)}
      </span>
      <span className={`cluster-status status-${health.state}`}>{health.state}</span>
    </p>
  );

  if (state === 'signedOut') {
    return (
      <div className="cluster-gate" data-gate="signedOut">
        {alternative === 'password' ? <LoginForm heading={`Sign in to ${profile.name}`} intro={heading} /> : null}
        {alternative !== 'password' ? (
          <main className="login">
            <h1>{alternative === 'apiKey' ? `Use an API key for ${profile.name}` : `Create the first admin of ${profile.name}`}</h1>
            {heading}
            {alternative === 'apiKey' ? <SecretForm clusterId={profile.id} kind="apiKey" /> : <CredentialsForm clusterId={profile.id} purpose="setUp" />}
          </main>
        ) : null}
        <nav className="gate-alternatives" aria-label="Other ways in">
          {alternative !== 'password' ? (
            <button type="button" onClick={() => setAlternative('password')}>
              Sign in with a password
            </button>
          ) : null}
          {alternative !== 'apiKey' ? (
            <button type="button" onClick={() => setAlternative('apiKey')}>
              Use an API key instead
            </button>
          ) : null}
          {profile.id === localClusterId && alternative !== 'setUp' ? (
            <button type="button" onClick={() => setAlternative('setUp')}>
              First start: create the first admin
            </button>
          ) : null}
        </nav>
      </div>
    );
  }

  const stale = staleText(cluster, Date.now());
  return (
    <main className="login cluster-gate" data-gate={state}>
      <h1>{profile.name}</h1>
      {heading}
      {state === 'hostKey' ? <HostKeyPrompt cluster={cluster} /> : null}
      {state === 'unreachable' ? (
        <>
          <p role="status">{health.state === 'down' ? `The agent does not answer: ${health.problem ?? 'no reason given'}. The app keeps trying.` : 'Connecting…'}</p>
          {stale ? <p className="stale-note">{stale}</p> : null}
          <button type="button" disabled={signOut.busy} onClick={() => void signOut.run((bridge) => bridge.signOut(profile.id))}>
            Sign out of {profile.name}
          </button>
        </>
      ) : null}
    </main>
  );
}
