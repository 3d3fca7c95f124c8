// Reports over a period: late-comers, absentees, the summary per person and ignored punches, on screen and as
// CSV or XLSX (downloaded straight from the API, with the session cookie).

import { useState } from 'preact/hooks';
import { get, query, schoolPath } from '../api/client';
import type { Report, School } from '../api/types';
import { Layout } from '../components/layout';
import { Table } from '../components/table';
import { ErrorNotice, Field, Notice, useAction } from '../components/ui';
import { addDays } from '../format';
import { todayOf } from '../session';
import { tReports as r, t } from '../strings';

const NAMES = ['late', 'absent', 'summary', 'ignored-punches'];

export function Reports(props: { sid: number; school: School }) {
  const today = todayOf(props.school);
  const [name, setName] = useState('late');
  const [from, setFrom] = useState(addDays(today, -6));
  const [to, setTo] = useState(today);
  const [report, setReport] = useState<Report | null>(null);
  const [busy, error, run] = useAction();
  const path = (format?: string) => schoolPath(props.sid, `/reports/${name}${query({ from, to, format })}`);
  return (
    <Layout sid={props.sid} title={r.title}>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => setReport(await get<Report>(path())));
        }}
      >
        <Field label={r.which} help={r.help[name]}>
          {(id, by) => (
            <select
              id={id}
              aria-describedby={by}
              value={name}
              onChange={(e) => {
                setName(e.currentTarget.value);
                setReport(null);
              }}
            >
              {NAMES.map((n) => (
                <option key={n} value={n}>
                  {r.names[n]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t.common.from}>
          {(id) => <input id={id} type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />}
        </Field>
        <Field label={t.common.to}>
          {(id) => <input id={id} type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />}
        </Field>
        <div class="buttons">
          <button type="submit" disabled={busy}>
            {r.show}
          </button>
          <a class="button secondary" href={path('csv')} download>
            {r.downloadCsv}
          </a>
          <a class="button secondary" href={path('xlsx')} download>
            {r.downloadXlsx}
          </a>
        </div>
      </form>
      <ErrorNotice error={error} />
      {report && (
        <section aria-label={report.title}>
          <h2>
            {report.title} <span class="muted">{report.period}</span>
          </h2>
          {report.warnings.map((w) => (
            <Notice kind="warn" key={w}>
              {w}
            </Notice>
          ))}
          {report.rows.length === 0 ? (
            <p class="muted">{r.empty}</p>
          ) : (
            <>
              <p class="muted">{r.rows(report.rows.length)}</p>
              <Table columns={report.columns}>
                <tbody>
                  {report.rows.map((row, i) => (
                    <tr key={i}>
                      {row.map((cell, j) => (
                        <td key={j} class={typeof cell === 'number' ? 'num' : undefined}>
                          {cell}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </Table>
            </>
          )}
        </section>
      )}
    </Layout>
  );
}
