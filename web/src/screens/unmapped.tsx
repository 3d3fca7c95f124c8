// The unmapped inbox: every user ID of the school's terminals that belongs to nobody, each with a Map button.

import { useState } from 'preact/hooks';
import { get, schoolPath } from '../api/client';
import type { Device, Items, Person, UnmappedUser } from '../api/types';
import { Layout } from '../components/layout';
import { Table } from '../components/table';
import { MapButton, MapDialog, type MapTarget } from '../components/map_dialog';
import { Suggestions } from '../components/suggestions';
import { Loading, useLoad } from '../components/ui';
import { wallDateTime } from '../format';
import { useLive } from '../live';
import { onLink } from '../router';
import { t } from '../strings';

export function Unmapped(props: { sid: number }) {
  const unmapped = useLoad(() => get<Items<UnmappedUser>>(schoolPath(props.sid, '/unmapped')), [props.sid]);
  const devices = useLoad(() => get<Items<Device>>(schoolPath(props.sid, '/devices')), [props.sid]);
  const people = useLoad(() => get<Items<Person>>(schoolPath(props.sid, '/people')), [props.sid]);
  const [target, setTarget] = useState<MapTarget | null>(null);
  useLive(props.sid, ['punch'], unmapped.reload);
  const deviceName = new Map((devices.data?.items ?? []).map((d) => [d.id, d.name]));
  const [version, setVersion] = useState(0);
  const mapped = () => {
    unmapped.reload();
    setVersion((v) => v + 1);
  };
  return (
    <Layout sid={props.sid} title={t.unmapped.title}>
      <p class="help">{t.unmapped.help}</p>
      <Suggestions sid={props.sid} version={version} deviceName={(id) => deviceName.get(id) ?? `#${id}`} onMapped={unmapped.reload} />
      <Loading of={unmapped}>
        {(list) =>
          list.items.length === 0 ? (
            <p class="muted">{t.unmapped.none}</p>
          ) : (
            <Table
              columns={[
                t.devicePanel.userId,
                t.unmapped.device,
                t.devicePanel.terminalName,
                { label: t.devicePanel.punches, num: true },
                t.devicePanel.firstSeen,
                t.devicePanel.lastSeen,
                t.common.actions,
              ]}
            >
              <tbody>
                {list.items.map((u) => (
                  <tr key={`${u.device_id}/${u.user_id}`} data-user={u.user_id}>
                    <th scope="row">{u.user_id}</th>
                    <td>
                      <a href={`/schools/${props.sid}/devices/${u.device_id}`} onClick={onLink}>
                        {deviceName.get(u.device_id) ?? `#${u.device_id}`}
                      </a>
                    </td>
                    <td>{u.name ?? ''}</td>
                    <td class="num">{u.punches}</td>
                    <td>{wallDateTime(u.first_seen)}</td>
                    <td>{wallDateTime(u.last_seen)}</td>
                    <td>
                      <MapButton
                        target={{ device_id: u.device_id, user_id: u.user_id, name: u.name }}
                        onMap={setTarget}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )
        }
      </Loading>
      <MapDialog
        sid={props.sid}
        target={target}
        people={people.data?.items ?? []}
        onClose={() => setTarget(null)}
        onMapped={mapped}
      />
    </Layout>
  );
}
