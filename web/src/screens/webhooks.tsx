// Webhooks: the school's messaging gateways, their signing secret (shown once), and the delivery log.

import { useState } from 'preact/hooks';
import { del, get, post, query, schoolPath } from '../api/client';
import type { Delivery, Items, School, Webhook } from '../api/types';
import { Layout } from '../components/layout';
import { Table } from '../components/table';
import { ErrorNotice, Field, Loading, Notice, fieldError, formError, useAction, useLoad } from '../components/ui';
import { day, instant } from '../format';
import { tAdmin, t } from '../strings';

const w = tAdmin.webhooks;
const EVENTS = ['arrival', 'late', 'absent', 'correction'];

function Deliveries(props: { sid: number; school: School; webhookId: number }) {
  const path = schoolPath(props.sid, `/webhooks/deliveries${query({ webhook_id: props.webhookId })}`);
  const list = useLoad(() => get<Items<Delivery>>(path), [path]);
  return (
    <Loading of={list}>
      {(l) =>
        l.items.length === 0 ? (
          <p class="muted">{w.noDeliveries}</p>
        ) : (
          <Table
            columns={[
              tAdmin.audit.when,
              w.events,
              t.common.date,
              t.common.status,
              { label: w.attempts, num: true },
              w.lastError,
            ]}
          >
            <tbody>
              {l.items.slice(0, 100).map((d) => (
                <tr key={d.id}>
                  <td>{instant(d.created_at, props.school.timezone)}</td>
                  <td>{w.event[d.event] ?? d.event}</td>
                  <td>{day(d.date)}</td>
                  <td>
                    <span class={d.state === 'failed' ? 'badge warn' : d.state === 'delivered' ? 'badge ok' : 'badge'}>
                      {w.state[d.state]}
                    </span>
                  </td>
                  <td class="num">{d.attempts}</td>
                  <td>{d.last_error}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )
      }
    </Loading>
  );
}

export function Webhooks(props: { sid: number; school: School }) {
  const path = schoolPath(props.sid, '/webhooks');
  const list = useLoad(() => get<Items<Webhook>>(path), [path]);
  const [url, setUrl] = useState('https://');
  const [events, setEvents] = useState<string[]>(EVENTS);
  const [created, setCreated] = useState<Webhook | null>(null);
  const [busy, error, run] = useAction();
  return (
    <Layout sid={props.sid} title={w.title}>
      <p class="help">{w.help}</p>
      <form
        class="form card"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            setCreated(await post<Webhook>(path, { url, events }));
            list.reload();
          });
        }}
      >
        <Field label={w.url} help={w.urlHelp} error={fieldError(error, 'url')}>
          {(id, by) => <input id={id} aria-describedby={by} type="url" required value={url} onInput={(e) => setUrl(e.currentTarget.value)} />}
        </Field>
        <fieldset>
          <legend>{w.events}</legend>
          {EVENTS.map((ev) => (
            <label key={ev}>
              <input
                type="checkbox"
                checked={events.includes(ev)}
                onChange={(e) => setEvents(e.currentTarget.checked ? EVENTS.filter((x) => x === ev || events.includes(x)) : events.filter((x) => x !== ev))}
              />{' '}
              {w.event[ev]}
            </label>
          ))}
        </fieldset>
        <ErrorNotice error={formError(error, ['url'])} />
        <button type="submit" disabled={busy}>
          {w.add}
        </button>
      </form>
      {created?.secret && (
        <Notice kind="ok">
          <p>{w.secretOnce}</p>
          <p>
            {w.secret}: <code class="token" data-secret>{created.secret}</code>
          </p>
        </Notice>
      )}
      <Loading of={list}>
        {(l) =>
          l.items.length === 0 ? (
            <p class="muted">{w.none}</p>
          ) : (
            <>
              {l.items.map((hook) => (
                <section class="card hook" key={hook.id} aria-label={hook.url}>
                  <div class="page-head">
                    <h2>{hook.url}</h2>
                    <button
                      type="button"
                      class="danger"
                      aria-label={`${t.common.delete}: ${hook.url}`}
                      onClick={() =>
                        window.confirm(w.confirm(hook.url)) &&
                        void run(async () => {
                          await del(`${path}/${hook.id}`);
                          list.reload();
                        })
                      }
                    >
                      {t.common.delete}
                    </button>
                  </div>
                  <p class="muted">{hook.events.map((e) => w.event[e] ?? e).join(', ')}</p>
                  <h3>{w.deliveries}</h3>
                  <Deliveries sid={props.sid} school={props.school} webhookId={hook.id} />
                </section>
              ))}
            </>
          )
        }
      </Loading>
    </Layout>
  );
}
