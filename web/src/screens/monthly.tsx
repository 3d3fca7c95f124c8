// The monthly register: the grid schools know from paper, people down the side and the days of the month
// across, a letter in each cell, totals per person and per day; one group or the whole school; exported to
// XLSX with a print layout of one group per page.

import { useState } from 'preact/hooks';
import { get, query, schoolPath } from '../api/client';
import type { School } from '../api/types';
import { Layout } from '../components/layout';
import { Field, Loading, Notice, useLoad } from '../components/ui';
import { monthOf } from '../format';
import { todayOf } from '../session';
import { tMonthly as m } from '../strings';

interface DayTotals {
  present: number;
  late: number;
  absent: number;
  excused: number;
  pending: number;
}

interface MonthPerson {
  person_id: number;
  name: string;
  external_id: string;
  cells: string[];
  overridden: number[];
  totals: DayTotals & { days_present: number; school_days: number; attendance_percent: number | null };
}

interface MonthGroup {
  kind: string;
  group: string;
  label: string;
  people: MonthPerson[];
  day_totals: DayTotals[];
}

export interface MonthRegister {
  school: string;
  month: string;
  title: string;
  group: string | null;
  days: { date: string; weekday: number; school_day: boolean; holiday: string | null }[];
  groups: MonthGroup[];
  day_totals: DayTotals[];
  warnings: string[];
  legend: { letter: string; meaning: string }[];
}

const WEEKDAY_LETTERS = ['M', 'T', 'W', 'T', 'F', 'S', 'S'];

function Grid(props: { data: MonthRegister; group: MonthGroup }) {
  const { data, group } = props;
  return (
    <section class="month-group" aria-label={group.label}>
      <h2>{group.label}</h2>
      {/* The month is wider than most screens: the grid scrolls, by keyboard too (it can take focus). */}
      <div class="table-wrap" tabIndex={0} role="group" aria-label={`${m.title}: ${group.label}`}>
        <table class="month">
          <thead>
            <tr>
              <th scope="col">{m.person}</th>
              {data.days.map((d) => (
                <th scope="col" key={d.date} class={d.school_day ? 'day' : 'day off'} title={d.holiday ?? undefined}>
                  <span>{Number(d.date.slice(8))}</span>
                  <span class="wd">{WEEKDAY_LETTERS[(d.weekday + 6) % 7]}</span>
                </th>
              ))}
              <th scope="col" class="num">{m.present}</th>
              <th scope="col" class="num">{m.late}</th>
              <th scope="col" class="num">{m.absent}</th>
              <th scope="col" class="num">{m.percent}</th>
            </tr>
          </thead>
          <tbody>
            {group.people.map((p) => (
              <tr key={p.person_id} data-person={p.name}>
                <th scope="row">{p.name}</th>
                {p.cells.map((c, i) => {
                  const corrected = p.overridden.includes(i);
                  return (
                    <td key={i} class={`cell cell-${c || 'blank'}${corrected ? ' corrected' : ''}`} title={corrected ? m.overridden : undefined}>
                      {c}
                      {corrected ? '*' : ''}
                    </td>
                  );
                })}
                <td class="num">{p.totals.days_present}</td>
                <td class="num">{p.totals.late}</td>
                <td class="num">{p.totals.absent}</td>
                <td class="num">{p.totals.attendance_percent ?? ''}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{m.dayTotals}</th>
              {group.day_totals.map((t, i) => (
                <td key={i} class="num">
                  {data.days[i]?.school_day ? t.present + t.late : ''}
                </td>
              ))}
              <td colSpan={4} />
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}

export function Monthly(props: { sid: number; school: School }) {
  const [month, setMonth] = useState(monthOf(todayOf(props.school)));
  const [group, setGroup] = useState('');
  const path = (format?: string) =>
    schoolPath(props.sid, `/reports/monthly-register${query({ month, group: group || undefined, format })}`);
  const whole = useLoad(() => get<MonthRegister>(schoolPath(props.sid, `/reports/monthly-register${query({ month })}`)), [props.sid, month]);
  const register = useLoad(() => get<MonthRegister>(path()), [props.sid, month, group]);
  const groups = whole.data?.groups.map((g) => g.group).filter(Boolean) ?? [];
  return (
    <Layout sid={props.sid} title={m.title}>
      <div class="filters">
        <Field label={m.month}>
          {(id) => <input id={id} type="month" value={month} onChange={(e) => e.currentTarget.value && setMonth(e.currentTarget.value)} />}
        </Field>
        <Field label={m.group}>
          {(id) => (
            <select id={id} value={group} onChange={(e) => setGroup(e.currentTarget.value)}>
              <option value="">{m.wholeSchool}</option>
              {[...new Set(groups)].map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div class="buttons">
          <a class="button" href={path('xlsx')} download>
            {m.download}
          </a>
          <a class="button secondary" href={path('csv')} download>
            {m.downloadCsv}
          </a>
        </div>
      </div>
      <Loading of={register}>
        {(data) => (
          <>
            <h2 class="month-title" data-month-filter={data.group ?? ''}>
              {data.title}
            </h2>
            {data.warnings.map((w) => (
              <Notice kind="warn" key={w}>
                {w}
              </Notice>
            ))}
            {data.groups.length === 0 ? <p class="muted">{m.none}</p> : data.groups.map((g) => <Grid key={g.label} data={data} group={g} />)}
            <p class="legend">
              <strong>{m.legend}:</strong>{' '}
              {data.legend
                .filter((l) => l.letter)
                .map((l) => `${l.letter} ${l.meaning}`)
                .join(' · ')}{' '}
              · * {m.overridden}
            </p>
          </>
        )}
      </Loading>
    </Layout>
  );
}
