// The login page: a user's name and password, posted to the IAM API; the answer sets the session cookie.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { login } from './api.js';

export function Login({ onDone }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    setBusy(true);
    setError('');
    try {
      await login(String(form.get('uid')).trim(), String(form.get('password')));
      onDone();
    } catch (err) {
      setError(err.status === 429 ? `${err.message}` : err.message || 'Login failed');
    } finally {
      setBusy(false);
    }
  };
  return html`
    <div class="login">
      <form class="login-box" onSubmit=${submit} aria-labelledby="login-title">
        <h1 id="login-title"><img src="/ui/favicon.svg" alt="" /> Log in to Corral</h1>
        <label>Username <input name="uid" autocomplete="username" required autofocus /></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
        ${error && html`<p class="error" role="alert">${error}</p>`}
        <button class="primary" type="submit" disabled=${busy}>Log in</button>
        <p class="hint">The first password of <code>admin</code> is printed by <code>corral up</code>.</p>
      </form>
    </div>`;
}
