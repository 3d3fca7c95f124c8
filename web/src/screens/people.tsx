// People: the school's students and staff, with search, add, edit, a leaver's last day, and the CSV import
// that shows each line's error before anything is saved.

import { useMemo, useState } from 'preact/hooks';
import { get, patch, post, request, schoolPath } from '../api/client';
import type { ImportAnswer, Items, Kind, Person, School } from '../api/types';
import { Layout } from '../components/layout';
import { fold } from '../components/person_picker';
import { WindowedBody } from '../components/row_window';
import { Table } from '../components/table';
import { Dialog, ErrorNotice, Field, Loading, Notice, fieldError, formError, useAction, useLoad } from '../components/ui';
import { day } from '../format';
import { todayOf } from '../session';
import { tPeople as p, t } from '../strings';

type Draft = Pick<Person, 'name' | 'kind' | 'external_id' | 'group' | 'active_from' | 'active_to'>;
const FIELDS = ['name', 'kind', 'external_id', 'group', 'active_from', 'active_to'];
const emptyDraft = (): Draft => ({ name: '', kind: 'student', external_id: '', group: '', active_from: null, active_to: null });

function PersonForm(props: { initial: Draft; busy: boolean; error: unknown; submit: string; onSubmit: (d: Draft) => void }) {
  const [d, setD] = useState(props.initial);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD({ ...d, [k]: v });
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
      <Field label={p.name} error={err('name')}>
        {(id) => <input id={id} required value={d.name} onInput={(e) => set('name', e.currentTarget.value)} />}
      </Field>
      <div class="row">
        <Field label={t.common.kind} error={err('kind')}>
          {(id) => (
            <select id={id} value={d.kind} onChange={(e) => set('kind', e.currentTarget.value as Kind)}>
              <option value="student">{t.kinds.student}</option>
              <option value="staff">{t.kinds.staff}</option>
            </select>
          )}
        </Field>
        <Field label={t.common.group} help={p.groupHelp} error={err('group')}>
          {(id, by) => <input id={id} aria-describedby={by} value={d.group} onInput={(e) => set('group', e.currentTarget.value)} />}
        </Field>
      </div>
      <Field label={p.externalId} help={p.externalIdHelp} error={err('external_id')}>
        {(id, by) => (
          <input id={id} aria-describedby={by} value={d.external_id} onInput={(e) => set('external_id', e.currentTarget.value)} />
        )}
      </Field>
      <div class="row">
        <Field label={p.activeFrom} help={p.activeFromHelp} error={err('active_from')}>
          {(id, by) => (
            <input
              id={id}
              aria-describedby={by}
              type="date"
              value={d.active_from ?? ''}
              onInput={(e) => set('active_from', e.currentTarget.value || null)}
            />
          )}
        </Field>
        <Field label={p.activeTo} help={p.activeToHelp} error={err('active_to')}>
          {(id, by) => (
            <input
              id={id}
              aria-describedby={by}
              type="date"
              value={d.active_to ?? ''}
              onInput={(e) => set('active_to', e.currentTarget.value || null)}
            />
          )}
        </Field>
      </div>
      <div class="buttons">
        <button type="submit" disabled={props.busy}>
          {props.submit}
        </button>
      </div>
    </form>
  );
}

interface Preview extends ImportAnswer {
  people: (Person & { line: number; user_id: string })[];
}

function ImportPanel(props: { sid: number; onDone: () => void }) {
  const [file, setFile] = useState<{ name: string; bytes: ArrayBuffer } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [done, setDone] = useState<Preview | null>(null);
  const [busy, error, run] = useAction();
  const send = async (dry: boolean) => {
    if (!file) return null;
    const response = await request('POST', schoolPath(props.sid, `/people/import${dry ? '?dry_run=true' : ''}`), undefined, file.bytes);
    return (await response.json()) as Preview;
  };
  return (
    <section class="card" aria-labelledby="import-h">
      <h2 id="import-h">{p.import}</h2>
      <p class="help">{p.importHelp}</p>
      <Field label={p.importFile}>
        {(id) => (
          <input
            id={id}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              setPreview(null);
              setDone(null);
              if (!f) return setFile(null);
              // The server detects the encoding (UTF-8 or Windows-1252): the bytes go as they are.
              void f.arrayBuffer().then((b) => setFile({ name: f.name, bytes: b }));
            }}
          />
        )}
      </Field>
      <div class="buttons">
        <button type="button" class="secondary" disabled={!file || busy} onClick={() => void run(async () => setPreview(await send(true)))}>
          {p.importCheck}
        </button>
      </div>
      <ErrorNotice error={error} />
      {preview && (
        <div data-import-preview>
          {preview.created > 0 ? (
            <Notice kind="info">{p.importPreview(preview.created, preview.mapped)}</Notice>
          ) : (
            <Notice kind="warn">{p.importNothing}</Notice>
          )}
          {preview.errors.length > 0 && (
            <Notice kind="error">
              <p>{p.importErrors(preview.errors.length)}</p>
              <ul class="import-errors">
                {preview.errors.map((e) => (
                  <li key={e.line}>
                    {p.importLine(e.line)}: {e.reason}
                  </li>
                ))}
              </ul>
            </Notice>
          )}
          {preview.created > 0 && (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  setDone(await send(false));
                  setPreview(null);
                  props.onDone();
                })
              }
            >
              {p.importDo(preview.created)}
            </button>
          )}
        </div>
      )}
      {done && <Notice kind="ok">{p.importDone(done.created, done.mapped)}</Notice>}
    </section>
  );
}

export function People(props: { sid: number; school: School }) {
  const people = useLoad(() => get<Items<Person>>(schoolPath(props.sid, '/people')), [props.sid]);
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<Kind | ''>('');
  const [activeOnly, setActiveOnly] = useState(true);
  const [editing, setEditing] = useState<Person | 'new' | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, error, run, clear] = useAction();
  const today = todayOf(props.school);
  const all = people.data?.items ?? [];
  const shown = useMemo(() => {
    const words = fold(q).split(/\s+/).filter(Boolean);
    return all
      .filter((x) => !kind || x.kind === kind)
      .filter((x) => !activeOnly || !x.active_to || x.active_to >= today)
      .filter((x) => words.every((w) => fold(`${x.name} ${x.external_id} ${x.group}`).includes(w)))
      .sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
  }, [all, q, kind, activeOnly, today]);
  const path = schoolPath(props.sid, '/people');
  return (
    <Layout
      sid={props.sid}
      title={p.title}
      actions={
        <button
          type="button"
          onClick={() => {
            clear();
            setEditing('new');
          }}
        >
          {p.add}
        </button>
      }
    >
      {note && <Notice kind="ok">{note}</Notice>}
      <ErrorNotice error={editing === null ? error : null} />
      <div class="filters">
        <Field label={p.search}>
          {(id) => <input id={id} type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />}
        </Field>
        <Field label={p.kindFilter}>
          {(id) => (
            <select id={id} value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind | '')}>
              <option value="">{p.all}</option>
              <option value="student">{t.kindsPlural.student}</option>
              <option value="staff">{t.kindsPlural.staff}</option>
            </select>
          )}
        </Field>
        <label class="check">
          <input type="checkbox" checked={activeOnly} onChange={(e) => setActiveOnly(e.currentTarget.checked)} /> {p.activeOnly}
        </label>
      </div>
      <Loading of={people}>
        {() =>
          all.length === 0 ? (
            <p class="muted">{p.none}</p>
          ) : shown.length === 0 ? (
            <p class="muted">{p.noMatch}</p>
          ) : (
            <>
              <p class="muted">{p.count(shown.length, all.length)}</p>
              <Table
                rowCount={shown.length}
                columns={[t.common.name, t.common.kind, t.common.group, p.externalId, t.common.status, t.common.actions]}
              >
                <WindowedBody
                  rows={shown}
                  columns={6}
                  row={(x, index) => (
                    <tr key={x.id} data-person={x.name} aria-rowindex={index + 2}>
                      <th scope="row">{x.name}</th>
                      <td>{t.kinds[x.kind]}</td>
                      <td>{x.group}</td>
                      <td>{x.external_id}</td>
                      <td>
                        {x.active_to && x.active_to < today
                          ? p.leftOn(day(x.active_to))
                          : x.active_from && x.active_from > today
                            ? p.joinsOn(day(x.active_from))
                            : t.common.active}
                      </td>
                      <td class="buttons-cell">
                        <button type="button" class="secondary" aria-label={p.edit(x.name)} onClick={() => { clear(); setEditing(x); }}>
                          {t.common.edit}
                        </button>
                        {(!x.active_to || x.active_to > today) && (
                          <button
                            type="button"
                            class="danger"
                            aria-label={`${p.deactivate}: ${x.name}`}
                            disabled={busy}
                            onClick={() =>
                              window.confirm(`${p.deactivate}: ${x.name}?`) &&
                              void run(async () => {
                                await patch(`${path}/${x.id}`, { active_to: today });
                                setNote(p.deactivated(x.name));
                                people.reload();
                              })
                            }
                          >
                            {p.deactivate}
                          </button>
                        )}
                      </td>
                    </tr>
                  )}
                />
              </Table>
            </>
          )
        }
      </Loading>
      <ImportPanel sid={props.sid} onDone={people.reload} />
      <Dialog title={editing === 'new' ? p.add : editing ? p.edit(editing.name) : ''} open={editing !== null} onClose={() => setEditing(null)}>
        {editing && (
          <PersonForm
            initial={editing === 'new' ? emptyDraft() : editing}
            busy={busy}
            error={error}
            submit={t.common.save}
            onSubmit={(d) =>
              void run(async () => {
                const body = { ...d, active_from: d.active_from ?? undefined };
                if (editing === 'new') await post(path, body);
                else await patch(`${path}/${editing.id}`, d);
                setEditing(null);
                people.reload();
              })
            }
          />
        )}
      </Dialog>
    </Layout>
  );
}
