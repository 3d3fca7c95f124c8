// The audit trail: who changed what, when, and why, filtered by kind of thing and period.

import { useState } from 'preact/hooks';
import { get, query, schoolPath } from '../api/client';
import type { AuditLine, Items, School } from '../api/types';
import { Layout } from '../components/layout';
import { Table } from '../components/table';
import { Field, Loading, useLoad } from '../components/ui';
import { addDays, instant } from '../format';
import { todayOf } from '../session';
import { tAdmin, t } from '../strings';

const a = tAdmin.audit;

/** The fields whose value changed between two snapshots, as "field: old → new". */
export function changes(oldValue: unknown, newValue: unknown): string {
  const o = (oldValue ?? {}) as Record<string, unknown>;
  const n = (newValue ?? {}) as Record<string, unknown>;
  if (typeof o !== 'object' || typeof n !== 'object') return '';
  const keys = [...new Set([...Object.keys(o), ...Object.keys(n)])].filter(
    (k) => JSON.stringify(o[k]) !== JSON.stringify(n[k]),
  );
  const show = (v: unknown) => (v === undefined || v === null ? '–' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return keys.map((k) => `${k}: ${show(o[k])} → ${show(n[k])}`).join('; ');
}

export function Audit(props: { sid: number; school: School }) {
  const today = todayOf(props.school);
  const [entity, setEntity] = useState('');
  const [from, setFrom] = useState(addDays(today, -30));
  const [to, setTo] = useState(today);
  const path = schoolPath(props.sid, `/audit${query({ entity, from, to, limit: 500 })}`);
  const list = useLoad(() => get<Items<AuditLine>>(path), [path]);
  return (
    <Layout sid={props.sid} title={a.title}>
      <p class="help">{a.help}</p>
      <div class="filters">
        <Field label={a.entity}>
          {(id) => (
            <select id={id} value={entity} onChange={(e) => setEntity(e.currentTarget.value)}>
              <option value="">{a.anything}</option>
              {a.entities.map((x) => (
                <option key={x} value={x}>
                  {x.replace('_', ' ')}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t.common.from}>
          {(id) => <input id={id} type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />}
        </Field>
        <Field label={t.common.to}>
          {(id) => <input id={id} type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />}
        </Field>
      </div>
      <Loading of={list}>
        {(l) =>
          l.items.length === 0 ? (
            <p class="muted">{a.none}</p>
          ) : (
            <Table columns={[a.when, a.who, a.action, a.item, a.change, t.common.reason]}>
              <tbody>
                {l.items.map((x) => (
                  <tr key={x.id}>
                    <td>{instant(x.at, props.school.timezone)}</td>
                    <td>{x.by}</td>
                    <td>
                      {x.action} {x.entity.replace('_', ' ')}
                    </td>
                    <th scope="row">{x.label}</th>
                    <td class="change">{changes(x.old, x.new)}</td>
                    <td>{x.reason}</td>
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
