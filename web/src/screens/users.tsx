// Admins of a school: list, add, disable or enable, reset a forgotten password. (The super admin reaches each
// school's admins from Schools.)

import { useState } from 'preact/hooks';
import { get, patch, post, query } from '../api/client';
import type { Items, User } from '../api/types';
import { Layout } from '../components/layout';
import { Table } from '../components/table';
import { Dialog, ErrorNotice, Field, Loading, Notice, fieldError, formError, useAction, useLoad } from '../components/ui';
import { me } from '../session';
import { tAdmin, t } from '../strings';

const u = tAdmin.users;

function PasswordInput(props: { id: string; describedBy?: string; value: string; onInput: (v: string) => void; autoComplete: string }) {
  return (
    <input
      id={props.id}
      aria-describedby={props.describedBy}
      type="password"
      minLength={8}
      required
      autoComplete={props.autoComplete}
      value={props.value}
      onInput={(e) => props.onInput(e.currentTarget.value)}
    />
  );
}

export function Users(props: { sid: number }) {
  const list = useLoad(() => get<Items<User>>(`/api/v1/users${query({ school_id: props.sid })}`), [props.sid]);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [resetting, setResetting] = useState<User | null>(null);
  const [newPassword, setNewPassword] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [busy, error, run, clear] = useAction();
  const mine = list.data?.items.filter((x) => x.school_id === props.sid) ?? [];
  return (
    <Layout sid={props.sid} title={u.title}>
      <p class="help">{u.help}</p>
      {note && <Notice kind="ok">{note}</Notice>}
      <form
        class="form card"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await post('/api/v1/users', { email, password, role: 'school_admin', school_id: props.sid });
            setEmail('');
            setPassword('');
            list.reload();
          });
        }}
      >
        <div class="row">
          <Field label={u.email} error={fieldError(error, 'email')}>
            {(id) => <input id={id} type="email" required autoComplete="off" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
          </Field>
          <Field label={u.password} help={u.passwordHelp} error={fieldError(error, 'password')}>
            {(id, by) => <PasswordInput id={id} describedBy={by} value={password} onInput={setPassword} autoComplete="new-password" />}
          </Field>
        </div>
        <ErrorNotice error={resetting ? null : formError(error, ['email', 'password'])} />
        <button type="submit" disabled={busy}>
          {u.add}
        </button>
      </form>
      <Loading of={list}>
        {() => (
          <Table columns={[u.email, t.common.status, t.common.actions]}>
            <tbody>
              {mine.map((x) => (
                <tr key={x.id} data-user={x.email}>
                  <th scope="row">
                    {x.email} {x.id === me.value?.user_id && <span class="muted">({u.you})</span>}
                  </th>
                  <td>{x.status === 'active' ? t.common.active : t.common.inactive}</td>
                  <td class="buttons-cell">
                    {x.id !== me.value?.user_id && (
                      <>
                        <button
                          type="button"
                          class={x.status === 'active' ? 'danger' : 'secondary'}
                          aria-label={`${x.status === 'active' ? u.disable : u.enable}: ${x.email}`}
                          disabled={busy}
                          onClick={() =>
                            void run(async () => {
                              await patch(`/api/v1/users/${x.id}`, { status: x.status === 'active' ? 'inactive' : 'active' });
                              list.reload();
                            })
                          }
                        >
                          {x.status === 'active' ? u.disable : u.enable}
                        </button>
                        <button
                          type="button"
                          class="secondary"
                          aria-label={`${u.reset}: ${x.email}`}
                          onClick={() => {
                            clear();
                            setNewPassword('');
                            setResetting(x);
                          }}
                        >
                          {u.reset}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Loading>
      <Dialog title={resetting ? u.resetTitle(resetting.email) : ''} open={resetting !== null} onClose={() => setResetting(null)}>
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await post(`/api/v1/users/${resetting?.id}/password`, { password: newPassword });
              setResetting(null);
              setNote(u.resetDone);
            });
          }}
        >
          <Field label={u.password} help={u.passwordHelp} error={fieldError(error, 'password')}>
            {(id, by) => <PasswordInput id={id} describedBy={by} value={newPassword} onInput={setNewPassword} autoComplete="new-password" />}
          </Field>
          <ErrorNotice error={formError(error, ['password'])} />
          <button type="submit" disabled={busy}>
            {u.reset}
          </button>
        </form>
      </Dialog>
    </Layout>
  );
}

export function Account(props: { sid?: number }) {
  const a = tAdmin.account;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const [busy, error, run] = useAction();
  return (
    <Layout sid={props.sid} title={a.title}>
      <p>{me.value?.email}</p>
      <form
        class="form card narrow"
        onSubmit={(e) => {
          e.preventDefault();
          setDone(false);
          void run(async () => {
            await post('/api/v1/me/password', { current_password: current, new_password: next });
            setCurrent('');
            setNext('');
            setDone(true);
          });
        }}
      >
        <Field label={a.current} error={fieldError(error, 'current_password')}>
          {(id) => <PasswordInput id={id} value={current} onInput={setCurrent} autoComplete="current-password" />}
        </Field>
        <Field label={a.next} help={a.nextHelp} error={fieldError(error, 'new_password')}>
          {(id, by) => <PasswordInput id={id} describedBy={by} value={next} onInput={setNext} autoComplete="new-password" />}
        </Field>
        <ErrorNotice error={formError(error, ['current_password', 'new_password'])} />
        {done && <Notice kind="ok">{a.changed}</Notice>}
        <button type="submit" disabled={busy}>
          {a.change}
        </button>
      </form>
    </Layout>
  );
}
