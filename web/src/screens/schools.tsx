// For the super admin: the schools (create with a time zone, rename, deactivate) and a way into each.

import { useState } from 'preact/hooks';
import { get, patch, post } from '../api/client';
import type { Items, School } from '../api/types';
import { Layout } from '../components/layout';
import { Table } from '../components/table';
import { ErrorNotice, Field, Loading, fieldError, formError, useAction, useLoad } from '../components/ui';
import { onLink } from '../router';
import { tAdmin, t } from '../strings';
import { TimezoneList } from './device_form';

const s = tAdmin.schools;

export function Schools() {
  const list = useLoad(() => get<Items<School>>('/api/v1/schools'), []);
  const [name, setName] = useState('');
  const [timezone, setTimezone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [busy, error, run] = useAction();
  return (
    <Layout title={s.title}>
      <form
        class="form card"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await post('/api/v1/schools', { name, timezone });
            setName('');
            list.reload();
          });
        }}
      >
        <div class="row">
          <Field label={s.name} error={fieldError(error, 'name')}>
            {(id) => <input id={id} required value={name} onInput={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field label={s.timezone} help={s.timezoneHelp} error={fieldError(error, 'timezone')}>
            {(id, by) => <input id={id} aria-describedby={by} list="timezones" required value={timezone} onInput={(e) => setTimezone(e.currentTarget.value)} />}
          </Field>
        </div>
        <TimezoneList />
        <ErrorNotice error={formError(error, ['name', 'timezone'])} />
        <button type="submit" disabled={busy}>
          {s.add}
        </button>
      </form>
      <Loading of={list}>
        {(l) =>
          l.items.length === 0 ? (
            <p class="muted">{s.none}</p>
          ) : (
            <Table columns={[s.name, s.timezone, t.common.status, t.common.actions]}>
              <tbody>
                {l.items.map((x) => (
                  <tr key={x.id} data-school={x.name}>
                    <th scope="row">
                      <a href={`/schools/${x.id}/today`} onClick={onLink}>
                        {x.name}
                      </a>
                    </th>
                    <td>{x.timezone}</td>
                    <td>{x.status === 'active' ? t.common.active : t.common.inactive}</td>
                    <td class="buttons-cell">
                      <a class="button secondary" href={`/schools/${x.id}/users`} onClick={onLink}>
                        {s.admins}
                      </a>
                      <button
                        type="button"
                        class="secondary"
                        aria-label={`${s.rename}: ${x.name}`}
                        onClick={() => {
                          const next = window.prompt(s.rename, x.name);
                          if (!next || next === x.name) return;
                          void run(async () => {
                            await patch(`/api/v1/schools/${x.id}`, { name: next });
                            list.reload();
                          });
                        }}
                      >
                        {s.rename}
                      </button>
                      <button
                        type="button"
                        class={x.status === 'active' ? 'danger' : 'secondary'}
                        aria-label={`${x.status === 'active' ? s.deactivate : s.activate}: ${x.name}`}
                        onClick={() => {
                          if (x.status === 'active' && !window.confirm(s.deactivateConfirm(x.name))) return;
                          void run(async () => {
                            await patch(`/api/v1/schools/${x.id}`, { status: x.status === 'active' ? 'inactive' : 'active' });
                            list.reload();
                          });
                        }}
                      >
                        {x.status === 'active' ? s.deactivate : s.activate}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )
        }
      </Loading>
    </Layout>
  );
}
