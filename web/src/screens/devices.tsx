// Biometric Devices: the list with each device's health, and Add New Device.

import { useState } from 'preact/hooks';
import { get, post, schoolPath } from '../api/client';
import type { Device, Items } from '../api/types';
import { Layout } from '../components/layout';
import { Table } from '../components/table';
import { TokenBox } from '../components/token_box';
import { Dialog, Loading, Notice, useAction, useLoad } from '../components/ui';
import { ago } from '../format';
import { useLive } from '../live';
import { onLink } from '../router';
import { serverNow } from '../session';
import { t } from '../strings';
import { DeviceForm, emptyDevice } from './device_form';
import { isSilent } from './today';

function AgentCell(props: { d: Device }) {
  const s = props.d.agent_status;
  if (props.d.sync_mode !== 'agent' || !s) return null;
  return (
    <span class="agent-status">
      {s.clock_drift_seconds != null && <span>{t.devices.drift(s.clock_drift_seconds)}</span>}
      {s.records != null && s.record_capacity ? <span>{t.devices.capacity(s.records, s.record_capacity)}</span> : null}
      {s.last_error && (
        <span class="error-text">
          {t.devices.lastError}: {s.last_error}
        </span>
      )}
    </span>
  );
}

export function DeviceRow(props: { d: Device }) {
  const d = props.d;
  const now = serverNow();
  const silent = isSilent(d, now);
  return (
    <tr data-device={d.name}>
      <th scope="row">
        <a href={`/schools/${d.school_id}/devices/${d.id}`} onClick={onLink}>
          {d.name}
        </a>
      </th>
      <td>{d.sync_mode === 'push' ? t.devices.push : t.devices.agent}</td>
      <td>{d.direction === 'auto' ? t.devices.dirAuto : d.direction === 'in' ? t.devices.dirIn : t.devices.dirOut}</td>
      <td>
        <span class={d.status === 'active' ? 'badge ok' : 'badge'}>
          {d.status === 'active' ? t.common.active : t.common.inactive}
        </span>
      </td>
      <td>
        {d.last_seen ? ago(d.last_seen, now) : t.devices.neverSeen}{' '}
        {d.status === 'active' && (
          <span class={silent ? 'badge warn' : 'badge ok'}>{silent ? t.devices.silent : t.devices.online}</span>
        )}
      </td>
      <td>
        <AgentCell d={d} />
        {d.last_refused && (
          <span class="error-text" data-refused>
            {t.devices.lastRefused}: {t.devices.refusal[d.last_refused.reason] ?? d.last_refused.message} ({ago(d.last_refused.at, now)})
          </span>
        )}
      </td>
    </tr>
  );
}

export function Devices(props: { sid: number }) {
  const devices = useLoad(() => get<Items<Device>>(schoolPath(props.sid, '/devices')), [props.sid]);
  useLive(props.sid, ['device'], devices.reload);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<Device | null>(null);
  const [busy, error, run, clear] = useAction();
  return (
    <Layout
      sid={props.sid}
      title={t.devices.title}
      actions={
        <button
          type="button"
          onClick={() => {
            clear();
            setCreated(null);
            setAdding(true);
          }}
        >
          {t.devices.add}
        </button>
      }
    >
      {created && (
        <Notice kind="ok">
          <p>{t.devices.created}</p>
          <TokenBox sid={props.sid} deviceId={created.id} initial={created.api_token} />
        </Notice>
      )}
      <Loading of={devices}>
        {(list) =>
          list.items.length === 0 ? (
            <p class="muted">{t.devices.none}</p>
          ) : (
            <Table
              columns={[
                t.devices.name,
                t.devices.syncModeShort,
                t.devices.direction,
                t.common.status,
                t.devices.lastSeen,
                t.devices.agentStatus,
              ]}
            >
              <tbody>
                {list.items.map((d) => (
                  <DeviceRow key={d.id} d={d} />
                ))}
              </tbody>
            </Table>
          )
        }
      </Loading>
      <Dialog title={t.devices.add} open={adding} onClose={() => setAdding(false)}>
        <DeviceForm
          initial={emptyDevice()}
          busy={busy}
          error={error}
          submitLabel={t.devices.add}
          onCancel={() => setAdding(false)}
          onSubmit={(d) =>
            void run(async () => {
              const body = {
                ...d,
                ip: d.ip || undefined,
                serial: d.serial || undefined,
                comm_key: d.comm_key || undefined,
                timezone: d.timezone ?? undefined,
              };
              const device = await post<Device>(schoolPath(props.sid, '/devices'), body);
              setCreated(device);
              setAdding(false);
              devices.reload();
            })
          }
        />
      </Dialog>
    </Layout>
  );
}
