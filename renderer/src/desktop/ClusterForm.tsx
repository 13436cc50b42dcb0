/**
 * Adds a cluster, or edits one: its name, colour and how to reach its agent — directly at a URL, or
 * through an SSH tunnel (host, port, user, private key file on this computer, the agent's port on
 * the host). The input is checked here with `clusterInput`, the same schema the main process
 * applies, and each field shows that schema's message; the main process's own refusal shows below.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { clusterInput, type ClusterInput, type ClusterProfile } from '../../../shared/clusters.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useBridgeAction } from './useBridgeAction.js';

interface Draft {
  name: string;
  colour: string;
  kind: 'direct' | 'ssh';
  url: string;
  host: string;
  port: string;
  username: string;
  privateKeyPath: string;
  agentPort: string;
}

const emptyDraft: Draft = { name: '', colour: '#3b82f6', kind: 'direct', url: '', host: '', port: '22', username: '', privateKeyPath: '', agentPort: '7700' };

function draftOf(profile: ClusterProfile | undefined): Draft {
  if (!profile) return emptyDraft;
  const { name, colour, connection } = profile;
  if (connection.kind === 'direct') return { ...emptyDraft, name, colour, url: connection.url };
  const { host, port, username, privateKeyPath, agentPort } = connection;
  return { ...emptyDraft, name, colour, kind: 'ssh', host, port: String(port), username, privateKeyPath, agentPort: String(agentPort) };
}

/** A port field: empty means the schema's default; anything else must parse as a number. */
const portOf = (value: string) => (value.trim() === '' ? undefined : Number(value));

function inputOf(draft: Draft): unknown {
  const connection =
    draft.kind === 'direct'
      ? { kind: 'direct', url: draft.url.trim() }
      : { kind: 'ssh', host: draft.host, port: portOf(draft.port), username: draft.username, privateKeyPath: draft.privateKeyPath, agentPort: portOf(draft.agentPort) };
  return { name: draft.name, colour: draft.colour, connection };
}

/** The schema's message for each field, keyed by the field's last path segment (`url`, `host`, `name`, …). */
function problemsOf(input: unknown): { value: ClusterInput } | { problems: Record<string, string> } {
  const parsed = clusterInput.safeParse(input);
  if (parsed.success) return { value: parsed.data };
  const problems: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path.at(-1) ?? 'form');
    problems[field] ??= issue.message;
  }
  return { problems };
}

export function ClusterForm({ profile, onDone }: { profile?: ClusterProfile; onDone(): void }) {
  const { busy, error, run } = useBridgeAction();
  const [draft, setDraft] = useState<Draft>(() => draftOf(profile));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const change = (field: keyof Draft, value: string) => setDraft({ ...draft, [field]: value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = problemsOf(inputOf(draft));
    if ('problems' in checked) {
      setProblems(checked.problems);
      return;
    }
    setProblems({});
    const saved = await run((bridge) => (profile ? bridge.update(profile.id, checked.value) : bridge.add(checked.value)));
    if (saved) onDone();
  };

  /** A labelled field with the schema's message for it. */
  const field = (name: keyof Draft, label: string, control: ReactNode) => (
    <label className={problems[name] ? 'invalid' : undefined}>
      {label}
      {control}
      {problems[name] ? (
        <span className="field-error" role="alert">
          {problems[name]}
        </span>
      ) : null}
    </label>
  );
  const text = (name: keyof Draft, label: string, placeholder?: string) =>
    field(name, label, <input name={name} value={draft[name]} placeholder={placeholder} onChange={(event) => change(name, event.target.value)} />);

  return (
    <form className="cluster-form cluster-edit" aria-label={profile ? `Edit ${profile.name}` : 'Add cluster'} onSubmit={(event) => void submit(event)} noValidate>
      {text('name', 'Name', 'production')}
      {field('colour', 'Colour', <input name="colour" type="color" value={draft.colour} onChange={(event) => change('colour', event.target.value)} />)}
      <fieldset>
        <legend>Connection</legend>
        <label className="choice">
          <input type="radio" name="kind" checked={draft.kind === 'direct'} onChange={() => change('kind', 'direct')} /> Direct URL
        </label>
        <label className="choice">
          <input type="radio" name="kind" checked={draft.kind === 'ssh'} onChange={() => change('kind', 'ssh')} /> SSH tunnel
        </label>
      </fieldset>
      {draft.kind === 'direct' ? (
        text('url', 'Agent URL', 'https://agent.example:7700')
      ) : (
        <>
          {text('host', 'SSH host', 'queue-1.example')}
          {text('port', 'SSH port')}
          {text('username', 'SSH user', 'deploy')}
          {text('privateKeyPath', 'Private key file', '~/.ssh/id_ed25519')}
          {text('agentPort', 'Agent port on the host')}
        </>
      )}
      <div className="form-buttons">
        <button type="submit" disabled={busy}>
          {profile ? 'Save' : 'Add cluster'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      <ErrorMessage message={problems.form ?? problems.connection ?? error} />
    </form>
  );
}
