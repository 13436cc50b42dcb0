/**
 * The sign-in form: the web console's, for the agent that served it, and the desktop app's, for
 * the active cluster (the session store sends the credentials to the main process there).
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useSessionStore } from '../state/sessionStore.js';
import { ErrorMessage } from './ErrorMessage.js';

export function LoginForm({ heading = 'Switchyard', intro }: { heading?: string; intro?: ReactNode }) {
  const { login, busy, error } = useSessionStore();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void login(username, password);
  };

  return (
    <main className="login">
      <h1>{heading}</h1>
      {intro}
      <form onSubmit={submit} aria-label="Sign in">
        <label>
          Username
          <input name="username" autoComplete="username" value={username} onChange={(event) => setUsername(event.target.value)} required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <ErrorMessage message={error} />
      </form>
    </main>
  );
}
