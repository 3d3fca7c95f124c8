import { useState } from 'preact/hooks';
import { ApiError, sessionExpired } from '../api/client';
import { Field, Notice, errorText } from '../components/ui';
import { login } from '../session';
import { t } from '../strings';

export function Login(props: { onDone: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
      props.onDone();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t.login.wrong : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="login">
      <form class="card login-card" onSubmit={submit} noValidate>
        <h1>{t.login.title}</h1>
        {sessionExpired.value && !error && <Notice kind="info">{t.login.expired}</Notice>}
        {error && <Notice kind="error">{error}</Notice>}
        <Field label={t.login.email}>
          {(id) => (
            <input
              id={id}
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label={t.login.password}>
          {(id) => (
            <input
              id={id}
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? t.login.busy : t.login.submit}
        </button>
      </form>
    </main>
  );
}
