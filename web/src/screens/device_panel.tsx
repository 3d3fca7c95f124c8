// A device's Control Panel: edit it (token included), its users and whom they map to, its recent punches, its
// health.

import { useState } from 'preact/hooks';
import { del, get, patch, query, schoolPath } from '../api/client';
import type { Device, DeviceUser, Items, Mapping, Person, Punch, School } from '../api/types';
import { Layout } from '../components/layout';
import { Table } from '../components/table';
import { CreatePeople } from '../components/create_people';
import { MapButton, MapDialog, type MapTarget } from '../components/map_dialog';
import { TokenBox } from '../components/token_box';
import { ErrorNotice, Loading, Notice, useAction, useLoad } from '../components/ui';
import { ago, instant, wallDateTime } from '../format';
import { useLive } from '../live';
import { serverNow } from '../session';
import { t } from '../strings';
import { DeviceForm, fieldsOf } from './device_form';

function Health(props: { d: Device; school: School }) {
  const s = props.d.agent_status;
  const now = serverNow();
  return (
    <section class="card" aria-labelledby="health-h">
      <h2 id="health-h">{t.devicePanel.health}</h2>
      <dl class="facts">
        <dt>{t.devices.lastSeen}</dt>
        <dd>
          {props.d.last_seen
            ? `${instant(props.d.last_seen, props.school.timezone)} (${ago(props.d.last_seen, now)})`
            : t.devices.neverSeen}
        </dd>
        {props.d.last_refused && (
          <>
            <dt>{t.devices.lastRefused}</dt>
            <dd class="error-text">
              {t.devices.refusal[props.d.last_refused.reason] ?? props.d.last_refused.message} (
              {instant(props.d.last_refused.at, props.school.timezone)}, {props.d.last_refused.address})
            </dd>
          </>
        )}
        {s && (
          <>
            <dt>{t.devices.agentStatus}</dt>
            <dd>
              {s.reachable ? t.devices.online : t.devices.silent}, {instant(s.reported_at, props.school.timezone)}
              {s.firmware && ` · ${s.firmware}`}
              {s.clock_drift_seconds != null && ` · ${t.devices.drift(s.clock_drift_seconds)}`}
              {s.records != null && s.record_capacity ? ` · ${t.devices.capacity(s.records, s.record_capacity)}` : ''}
            </dd>
            {s.last_error && (
              <>
                <dt>{t.devices.lastError}</dt>
                <dd class="error-text">{s.last_error}</dd>
              </>
            )}
          </>
        )}
      </dl>
    </section>
  );
}

function UserMapping(props: { sid: number; device: Device }) {
  const base = schoolPath(props.sid, `/devices/${props.device.id}`);
  const users = useLoad(() => get<Items<DeviceUser>>(`${base}/users`), [base]);
  const people = useLoad(() => get<Items<Person>>(schoolPath(props.sid, '/people')), [props.sid]);
  const mappings = useLoad(() => get<Items<Mapping>>(schoolPath(props.sid, '/mappings')), [props.sid]);
  const [target, setTarget] = useState<MapTarget | null>(null);
  const [, error, run] = useAction();
  const reload = () => {
    users.reload();
    mappings.reload();
  };
  useLive(props.sid, ['punch'], users.reload);
  const byId = new Map((people.data?.items ?? []).map((p) => [p.id, p]));
  const mappingOf = (u: DeviceUser) =>
    (mappings.data?.items ?? []).find(
      (m) => m.user_id === u.user_id && m.person_id === u.person_id && (m.device_id === props.device.id || m.device_id === null),
    );
  return (
    <section class="card wide" aria-labelledby="mapping-h">
      <h2 id="mapping-h">{t.devicePanel.mapping}</h2>
      <p class="help">{t.devicePanel.mappingHelp}</p>
      <ErrorNotice error={error} />
      <Loading of={users}>
        {(list) => (
          <Table
            columns={[
              t.devicePanel.userId,
              t.devicePanel.terminalName,
              t.devicePanel.punches,
              t.devicePanel.firstSeen,
              t.devicePanel.lastSeen,
              t.devicePanel.person,
              t.common.actions,
            ]}
          >
            <tbody>
              {list.items.map((u) => {
                const person = u.person_id ? byId.get(u.person_id) : undefined;
                const mapping = mappingOf(u);
                return (
                  <tr key={u.user_id} data-user={u.user_id}>
                    <th scope="row">{u.user_id}</th>
                    <td>{u.name}</td>
                    <td class="num">{u.punches}</td>
                    <td>{wallDateTime(u.first_seen)}</td>
                    <td>{wallDateTime(u.last_seen)}</td>
                    <td>{person ? person.name : <span class="muted">{t.devicePanel.unmapped}</span>}</td>
                    <td>
                      {u.person_id ? (
                        <button
                          type="button"
                          class="secondary"
                          disabled={!mapping}
                          aria-label={`${t.devicePanel.unmap} ${u.user_id}`}
                          onClick={() =>
                            mapping &&
                            void run(async () => {
                              await del(schoolPath(props.sid, `/mappings/${mapping.id}`));
                              reload();
                            })
                          }
                        >
                          {t.devicePanel.unmap}
                        </button>
                      ) : (
                        <MapButton
                          target={{ device_id: props.device.id, user_id: u.user_id, name: u.name }}
                          onMap={setTarget}
                        />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        )}
      </Loading>
      {users.data && (
        <CreatePeople
          key={users.data.items.length}
          sid={props.sid}
          deviceId={props.device.id}
          users={users.data.items}
          onCreated={() => {
            reload();
            people.reload();
          }}
        />
      )}
      <MapDialog
        sid={props.sid}
        target={target}
        people={people.data?.items ?? []}
        onClose={() => setTarget(null)}
        onMapped={reload}
      />
    </section>
  );
}

function RecentPunches(props: { sid: number; device: Device; school: School }) {
  const path = schoolPath(props.sid, `/devices/${props.device.id}/logs${query({ limit: 50 })}`);
  const logs = useLoad(() => get<Items<Punch>>(path), [path]);
  useLive(props.sid, ['punch'], logs.reload);
  return (
    <section class="card wide" aria-labelledby="recent-h">
      <h2 id="recent-h">{t.devicePanel.recent}</h2>
      <Loading of={logs}>
        {(list) =>
          list.items.length === 0 ? (
            <p class="muted">{t.devicePanel.noPunches}</p>
          ) : (
            <Table columns={[t.devicePanel.time, t.devicePanel.userId, t.devicePanel.source, t.devicePanel.received]}>
              <tbody>
                {list.items.map((p, i) => (
                  <tr key={`${p.batch_id}-${i}`}>
                    <td>{wallDateTime(p.timestamp)}</td>
                    <td>{p.user_id}</td>
                    <td>{p.source}</td>
                    <td>{instant(p.received_at, props.school.timezone)}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )
        }
      </Loading>
    </section>
  );
}

export function DevicePanel(props: { sid: number; id: number; school: School }) {
  const path = schoolPath(props.sid, `/devices/${props.id}`);
  const device = useLoad(() => get<Device>(path), [path]);
  const [busy, error, run] = useAction();
  const [saved, setSaved] = useState(false);
  return (
    <Layout sid={props.sid} title={device.data ? device.data.name : t.devices.controlPanel}>
      <Loading of={device}>
        {(d) => (
          <div class="grid">
            <UserMapping sid={props.sid} device={d} />
            <Health d={d} school={props.school} />
            <section class="card" aria-labelledby="edit-h">
              <h2 id="edit-h">{t.devices.edit}</h2>
              {saved && <Notice kind="ok">{t.common.saved}</Notice>}
              <DeviceForm
                key={d.id}
                initial={fieldsOf(d)}
                busy={busy}
                error={error}
                submitLabel={t.common.save}
                onSubmit={(f) =>
                  void run(async () => {
                    setSaved(false);
                    await patch(path, { ...f, timezone: f.timezone ?? '' });
                    setSaved(true);
                    device.reload();
                  })
                }
              />
              <TokenBox sid={props.sid} deviceId={d.id} />
              <button
                type="button"
                class={d.status === 'active' ? 'danger' : ''}
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    await patch(path, { status: d.status === 'active' ? 'inactive' : 'active' });
                    device.reload();
                  })
                }
              >
                {d.status === 'active' ? t.common.deactivate : t.common.activate}
              </button>
            </section>
            <RecentPunches sid={props.sid} device={d} school={props.school} />
          </div>
        )}
      </Loading>
      <ErrorNotice error={device.error && device.data ? device.error : null} />
    </Layout>
  );
}
