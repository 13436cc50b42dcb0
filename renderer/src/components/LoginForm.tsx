/** The sign-in form of the web console. */
import { useState, type FormEvent } from 'react';
import { useSessionStore } from '../state/sessionStore.js';
import { ErrorMessage } from './ErrorMessage.js';

export function LoginForm() {
  const { login, busy, error } = useSessionStore();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void login(username, password);
  };

  return (
    <main className="login">
      <h1>Switchyard</h1>
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
