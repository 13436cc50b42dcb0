/**
 * One secret for one cluster, handed to the main process for the keychain and never kept here:
 * an API key (`clusters.useApiKey`) or the passphrase of the cluster's SSH key
 * (`clusters.setKeyPassphrase`). The field is cleared once the main process has it.
 */
import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useBridgeAction } from './useBridgeAction.js';

export type SecretKind = 'apiKey' | 'passphrase';

const labels: Record<SecretKind, { form: string; field: string; submit: string }> = {
  apiKey: { form: 'Use an API key', field: 'API key', submit: 'Use API key' },
  passphrase: { form: 'SSH key passphrase', field: 'Passphrase', submit: 'Save passphrase' },
};

export function SecretForm({ clusterId, kind, onDone }: { clusterId: string; kind: SecretKind; onDone?: () => void }) {
  const { busy, error, run } = useBridgeAction();
  const [secret, setSecret] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await run((bridge) => (kind === 'apiKey' ? bridge.useApiKey(clusterId, secret) : bridge.setKeyPassphrase(clusterId, secret)));
    if (done) {
      setSecret('');
      onDone?.();
    }
  };

  return (
    <form className="cluster-form" aria-label={labels[kind].form} onSubmit={(event) => void submit(event)}>
      <label>
        {labels[kind].field}
        <input name={kind} type="password" autoComplete="off" value={secret} onChange={(event) => setSecret(event.target.value)} required />
      </label>
      <button type="submit" disabled={busy}>
        {labels[kind].submit}
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}
