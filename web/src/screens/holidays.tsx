// Holidays: list, add and delete the school's days without school.

import { useState } from 'preact/hooks';
import { del, get, post, schoolPath } from '../api/client';
import type { Holiday, Items } from '../api/types';
import { Layout } from '../components/layout';
import { Table } from '../components/table';
import { ErrorNotice, Field, Loading, fieldError, formError, useAction, useLoad } from '../components/ui';
import { day } from '../format';
import { tAdmin, t } from '../strings';

const h = tAdmin.holidays;

export function Holidays(props: { sid: number }) {
  const path = schoolPath(props.sid, '/holidays');
  const list = useLoad(() => get<Items<Holiday>>(path), [path]);
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  const [busy, error, run] = useAction();
  return (
    <Layout sid={props.sid} title={h.title}>
      <p class="help">{h.help}</p>
      <form
        class="form inline card"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await post(path, { date, name });
            setName('');
            list.reload();
          });
        }}
      >
        <Field label={h.date} error={fieldError(error, 'date')}>
          {(id) => <input id={id} type="date" required value={date} onInput={(e) => setDate(e.currentTarget.value)} />}
        </Field>
        <Field label={h.name} help={h.nameHelp} error={fieldError(error, 'name')}>
          {(id, by) => <input id={id} aria-describedby={by} required value={name} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <button type="submit" disabled={busy}>
          {h.add}
        </button>
      </form>
      <ErrorNotice error={formError(error, ['date', 'name'])} />
      <Loading of={list}>
        {(l) =>
          l.items.length === 0 ? (
            <p class="muted">{h.none}</p>
          ) : (
            <Table columns={[h.date, h.name, t.common.actions]}>
              <tbody>
                {[...l.items]
                  .sort((a, b) => a.date.localeCompare(b.date))
                  .map((x) => (
                    <tr key={x.id}>
                      <th scope="row">{day(x.date)}</th>
                      <td>{x.name}</td>
                      <td>
                        <button
                          type="button"
                          class="danger"
                          aria-label={`${t.common.delete}: ${x.name}`}
                          onClick={() =>
                            window.confirm(h.confirm(x.name)) &&
                            void run(async () => {
                              await del(`${path}/${x.id}`);
                              list.reload();
                            })
                          }
                        >
                          {t.common.delete}
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
