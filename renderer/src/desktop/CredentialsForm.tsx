/**
 * A username and password for one cluster: signing in (`clusters.signIn`) or creating the first
 * admin of an agent that waits for its setup (`clusters.setUp`). The main process keeps the
 * resulting refresh token in the keychain; the renderer gets back only the cluster's view.
 */
import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useBridgeAction } from './useBridgeAction.js';

export type CredentialsPurpose = 'signIn' | 'setUp';

const labels: Record<CredentialsPurpose, { form: string; submit: string }> = {
  signIn: { form: 'Sign in', submit: 'Sign in' },
  setUp: { form: 'Create the first admin', submit: 'Create admin and sign in' },
};

export function CredentialsForm({ clusterId, purpose, onDone }: { clusterId: string; purpose: CredentialsPurpose; onDone?: () => void }) {
  const { busy, error, run } = useBridgeAction();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const credentials = { username, password };
    const done = await run((bridge) => (purpose === 'signIn' ? bridge.signIn(clusterId, credentials) : bridge.setUp(clusterId, credentials)));
    if (done) onDone?.();
  };

  return (
    <form className="cluster-form" aria-label={labels[purpose].form} onSubmit={(event) => void submit(event)}>
      <label>
        Username
        <input name="username" autoComplete="username" value={username} onChange={(event) => setUsername(event.target.value)} required />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete={purpose === 'signIn' ? 'current-password' : 'new-password'}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          required
        />
      </label>
      <button type="submit" disabled={busy}>
        {labels[purpose].submit}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}
