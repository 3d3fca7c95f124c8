// The register of a day: pick the date, filter by group, kind and status, read who came when, open the explain
// drawer of a row to see why, and correct a day with an override. Built for 2,000 rows on one page.

import { memo } from 'preact/compat';
import { useMemo, useState } from 'preact/hooks';
import { get, query, schoolPath } from '../api/client';
import { STATUSES, type Kind, type Register as RegisterData, type RegisterRow, type School, type Status } from '../api/types';
import { ExplainDrawer } from '../components/explain_drawer';
import { Layout } from '../components/layout';
import { fold } from '../components/person_picker';
import { Chip, Field, Loading, Notice, useLoad } from '../components/ui';
import { WindowedBody } from '../components/row_window';
import { Table } from '../components/table';
import { RegisterWarnings } from '../components/warnings';
import { csvOf, download } from '../csv';
import { clock, count, day } from '../format';
import { useLive } from '../live';
import { navigate, queryParam } from '../router';
import { todayOf } from '../session';
import { tRegister as r, t } from '../strings';

// A row re-renders only when its own data changes: a filter or a scroll leaves the other rows alone.
const Row = memo(function Row(props: { row: RegisterRow; index: number; onExplain: (row: RegisterRow) => void }) {
  const row = props.row;
  return (
    <tr data-person={row.name} data-status={row.status} aria-rowindex={props.index + 2}>
      <th scope="row">{row.name}</th>
      <td>{row.group}</td>
      <td>{t.kinds[row.kind]}</td>
      <td>
        <Chip status={row.status} />
        {row.override && <span class="badge"> {r.overridden}</span>}
      </td>
      <td class="num">{clock(row.in_time)}</td>
      <td class="num">{clock(row.out_time)}</td>
      <td>
        {row.late_minutes > 0 && row.status === 'late' ? r.lateBy(row.late_minutes) : ''}
        {row.flags.map((f) => r.flag[f] ?? f).join(', ')}
      </td>
      <td>
        <button type="button" class="secondary" aria-label={`${r.explain}: ${row.name}`} onClick={() => props.onExplain(row)}>
          {r.explain}
        </button>
      </td>
    </tr>
  );
});

/** The register's table: every row up to 200 of them, else the rows near the screen (row_window.tsx). */
function RegisterTable(props: { rows: RegisterRow[]; onExplain: (row: RegisterRow) => void }) {
  return (
    <Table
      class="register"
      rowCount={props.rows.length}
      columns={[
        t.common.name,
        t.common.group,
        t.common.kind,
        t.common.status,
        { label: r.in, num: true },
        { label: r.out, num: true },
        r.flags,
        t.common.actions,
      ]}
    >
      <WindowedBody
        rows={props.rows}
        columns={8}
        row={(x, index) => <Row key={x.person_id} row={x} index={index} onExplain={props.onExplain} />}
      />
    </Table>
  );
}

function exportCsv(school: School, data: RegisterData, rows: RegisterRow[]) {
  const lines: (string | number | null)[][] = [
    [school.name],
    [r.title, data.date],
    [],
    [t.common.name, t.common.group, t.common.kind, t.common.status, r.in, r.out, r.minutesLate, r.flags, r.overridden],
    ...rows.map((x) => [
      x.name,
      x.group,
      t.kinds[x.kind],
      t.status[x.status],
      x.in_time,
      x.out_time,
      x.late_minutes,
      x.flags.map((f) => r.flag[f] ?? f).join('; '),
      x.override ? x.override.reason : '',
    ]),
  ];
  download(`${school.name}_register_${data.date}.csv`, csvOf(lines));
}

export function Register(props: { sid: number; school: School }) {
  const date = queryParam('date') ?? todayOf(props.school);
  const [group, setGroup] = useState('');
  const [kind, setKind] = useState<Kind | ''>('');
  const [shown, setShown] = useState<Set<Status>>(new Set());
  const [search, setSearch] = useState('');
  const [explaining, setExplaining] = useState<RegisterRow | null>(null);
  const register = useLoad(
    () => get<RegisterData>(schoolPath(props.sid, `/attendance${query({ date })}`)),
    [props.sid, date],
  );
  useLive(props.sid, ['register', 'punch'], register.reload, 400);

  const rows = register.data?.rows ?? [];
  const groups = useMemo(() => [...new Set(rows.map((x) => x.group).filter(Boolean))].sort(), [rows]);
  const inScope = useMemo(
    () => rows.filter((x) => (!group || x.group === group) && (!kind || x.kind === kind)),
    [rows, group, kind],
  );
  const counts = useMemo(() => {
    const c: Partial<Record<Status, number>> = {};
    for (const x of inScope) c[x.status] = (c[x.status] ?? 0) + 1;
    return c;
  }, [inScope]);
  const visible = useMemo(() => {
    const words = fold(search).split(/\s+/).filter(Boolean);
    return inScope.filter(
      (x) => (shown.size === 0 || shown.has(x.status)) && words.every((w) => fold(x.name).includes(w)),
    );
  }, [inScope, shown, search]);
  const toggle = (s: Status) => {
    const next = new Set(shown);
    if (next.has(s)) next.delete(s);
    else next.add(s);
    setShown(next);
  };

  return (
    <Layout
      sid={props.sid}
      title={`${r.title}: ${day(date)}`}
      actions={
        register.data && (
          <button type="button" class="secondary" onClick={() => exportCsv(props.school, register.data as RegisterData, visible)}>
            {r.export}
          </button>
        )
      }
    >
      <div class="filters">
        <Field label={r.date}>
          {(id) => (
            <input
              id={id}
              type="date"
              value={date}
              onChange={(e) => e.currentTarget.value && navigate(`/schools/${props.sid}/register?date=${e.currentTarget.value}`)}
            />
          )}
        </Field>
        <Field label={t.common.group}>
          {(id) => (
            <select id={id} value={group} onChange={(e) => setGroup(e.currentTarget.value)}>
              <option value="">{r.allGroups}</option>
              {groups.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t.common.kind}>
          {(id) => (
            <select id={id} value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind | '')}>
              <option value="">{r.allKinds}</option>
              <option value="student">{t.kindsPlural.student}</option>
              <option value="staff">{t.kindsPlural.staff}</option>
            </select>
          )}
        </Field>
        <Field label={r.search}>
          {(id) => <input id={id} type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />}
        </Field>
      </div>
      <Loading of={register}>
        {(data) => (
          <>
            <RegisterWarnings sid={props.sid} warnings={data.warnings} />
            {data.silent_devices.length > 0 && (
              <Notice kind="warn">
                {r.silentDevices}: {data.silent_devices.map((d) => d.name).join(', ')}
              </Notice>
            )}
            <div class="status-filter" role="group" aria-label={r.filterStatus}>
              {STATUSES.filter((s) => counts[s]).map((s) => (
                <button
                  key={s}
                  type="button"
                  class={`chip chip-${s} toggle`}
                  aria-pressed={shown.has(s)}
                  data-status-count={s}
                  onClick={() => toggle(s)}
                >
                  {t.status[s]} {count(counts[s] ?? 0)}
                </button>
              ))}
              <span class="muted">
                {r.rows(visible.length, inScope.length)} · {data.final ? r.final : r.notFinal}
              </span>
            </div>
            {visible.length === 0 ? (
              <p class="muted">{r.none}</p>
            ) : (
              <RegisterTable rows={visible} onExplain={setExplaining} />
            )}
          </>
        )}
      </Loading>
      <ExplainDrawer
        sid={props.sid}
        date={date}
        row={explaining}
        onClose={() => setExplaining(null)}
        onChanged={register.reload}
      />
    </Layout>
  );
}
