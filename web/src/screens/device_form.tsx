// Add New Device and Edit Device: every field of the guide, each with its help text, and the API's validation
// message beside the field it names.

import { useState } from 'preact/hooks';
import type { Device, Direction, SyncMode } from '../api/types';
import { ErrorNotice, Field, fieldError, formError } from '../components/ui';
import { t } from '../strings';

export interface DeviceFields {
  name: string;
  sync_mode: SyncMode;
  direction: Direction;
  ip: string;
  port: number;
  serial: string;
  comm_key: string;
  timezone: string | null;
}

const FIELDS = ['name', 'sync_mode', 'direction', 'ip', 'port', 'serial', 'comm_key', 'timezone'];

export const emptyDevice = (): DeviceFields => ({
  name: '',
  sync_mode: 'push',
  direction: 'auto',
  ip: '',
  port: 4370,
  serial: '',
  comm_key: '',
  timezone: null,
});

export const fieldsOf = (d: Device): DeviceFields => ({
  name: d.name,
  sync_mode: d.sync_mode,
  direction: d.direction,
  ip: d.ip,
  port: d.port,
  serial: d.serial,
  comm_key: d.comm_key,
  timezone: d.timezone,
});

export function DeviceForm(props: {
  initial: DeviceFields;
  busy: boolean;
  error: unknown;
  submitLabel: string;
  onSubmit: (d: DeviceFields) => void;
  onCancel?: () => void;
}) {
  const [d, setD] = useState<DeviceFields>(props.initial);
  const set = <K extends keyof DeviceFields>(k: K, v: DeviceFields[K]) => setD({ ...d, [k]: v });
  const err = (f: string) => fieldError(props.error, f);
  return (
    <form
      class="form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(d);
      }}
    >
      <ErrorNotice error={formError(props.error, FIELDS)} />
      <Field label={t.devices.name} help={t.devices.nameHelp} error={err('name')}>
        {(id, by) => (
          <input id={id} aria-describedby={by} required value={d.name} onInput={(e) => set('name', e.currentTarget.value)} />
        )}
      </Field>
      <Field label={t.devices.syncMode} help={t.devices.syncModeHelp} error={err('sync_mode')}>
        {(id, by) => (
          <select
            id={id}
            aria-describedby={by}
            value={d.sync_mode}
            onChange={(e) => set('sync_mode', e.currentTarget.value as SyncMode)}
          >
            <option value="push">{t.devices.push}</option>
            <option value="agent">{t.devices.agent}</option>
          </select>
        )}
      </Field>
      <Field label={t.devices.direction} help={t.devices.directionHelp} error={err('direction')}>
        {(id, by) => (
          <select
            id={id}
            aria-describedby={by}
            value={d.direction}
            onChange={(e) => set('direction', e.currentTarget.value as Direction)}
          >
            <option value="auto">{t.devices.dirAuto}</option>
            <option value="in">{t.devices.dirIn}</option>
            <option value="out">{t.devices.dirOut}</option>
          </select>
        )}
      </Field>
      <div class="row">
        <Field label={t.devices.ip} help={t.devices.ipHelp} error={err('ip')}>
          {(id, by) => (
            <input id={id} aria-describedby={by} value={d.ip} onInput={(e) => set('ip', e.currentTarget.value)} />
          )}
        </Field>
        <Field label={t.devices.port} help={t.devices.portHelp} error={err('port')}>
          {(id, by) => (
            <input
              id={id}
              aria-describedby={by}
              type="number"
              min={1}
              max={65535}
              value={d.port}
              onInput={(e) => set('port', Number(e.currentTarget.value))}
            />
          )}
        </Field>
      </div>
      <div class="row">
        <Field label={t.devices.serial} help={t.devices.serialHelp} error={err('serial')}>
          {(id, by) => (
            <input id={id} aria-describedby={by} value={d.serial} onInput={(e) => set('serial', e.currentTarget.value)} />
          )}
        </Field>
        <Field label={t.devices.commKey} help={t.devices.commKeyHelp} error={err('comm_key')}>
          {(id, by) => (
            <input
              id={id}
              aria-describedby={by}
              inputMode="numeric"
              autoComplete="off"
              value={d.comm_key}
              onInput={(e) => set('comm_key', e.currentTarget.value)}
            />
          )}
        </Field>
      </div>
      <Field label={t.devices.timezone} help={t.devices.timezoneHelp} error={err('timezone')}>
        {(id, by) => (
          <input
            id={id}
            aria-describedby={by}
            list="timezones"
            value={d.timezone ?? ''}
            onInput={(e) => set('timezone', e.currentTarget.value.trim() || null)}
          />
        )}
      </Field>
      <TimezoneList />
      <div class="buttons">
        <button type="submit" disabled={props.busy}>
          {props.busy ? t.common.saving : props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" class="secondary" onClick={props.onCancel}>
            {t.common.cancel}
          </button>
        )}
      </div>
    </form>
  );
}

/** The IANA zones the browser knows, offered as suggestions to a time-zone field (list="timezones"). */
export function TimezoneList() {
  const zones: string[] =
    typeof (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf === 'function'
      ? (Intl as unknown as { supportedValuesOf: (k: string) => string[] }).supportedValuesOf('timeZone')
      : [];
  return (
    <datalist id="timezones">
      {zones.map((z) => (
        <option key={z} value={z} />
      ))}
    </datalist>
  );
}
