// Biometric Attendance Settings: the school's rules of a day, per kind and per group, with the API's
// validation messages beside their fields and a preview of what they would make of a day before saving.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, del, get, post, put, query, schoolPath } from '../api/client';
import type { AttendanceSettings, Items, Person, School, Window } from '../api/types';
import { Layout } from '../components/layout';
import { ErrorNotice, Field, Notice, fieldError, formError, useAction, useLoad } from '../components/ui';
import { isNoStartTime, RegisterWarnings } from '../components/warnings';
import { addDays, day } from '../format';
import { todayOf } from '../session';
import { tSettings as s } from '../strings';

type ScopeKind = 'school' | 'student' | 'staff' | 'group';
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const FIELDS = [
  'effective_from', 'school_start_time', 'grace_minutes', 'school_end_time', 'early_leave_grace_minutes',
  'in_window', 'out_window', 'min_in_out_gap_minutes', 'absent_after_minutes', 'school_days',
  'use_device_punch_state', 'late_after_in_window',
];

/** POST settings/attendance/preview: the day's counts now and with the proposed settings; nothing is saved. */
interface PreviewAnswer {
  date: string;
  current: Record<string, number>;
  proposed: Record<string, number>;
  changed: number;
}

const hhmm = (v: string | null | undefined) => (v ? v.slice(0, 5) : '');

function scopeQuery(kind: ScopeKind, group: string): Record<string, string | undefined> {
  if (kind === 'student' || kind === 'staff') return { kind };
  if (kind === 'group') return { group: group || undefined };
  return {};
}

function WindowField(props: {
  label: string;
  help: string;
  value: Window | null;
  error: string | null;
  onChange: (w: Window | null) => void;
}) {
  const [start, setStart] = useState(hhmm(props.value?.start));
  const [end, setEnd] = useState(hhmm(props.value?.end));
  const emit = (a: string, b: string) => props.onChange(a || b ? { start: a, end: b } : null);
  return (
    <fieldset class={props.error ? 'window invalid' : 'window'}>
      <legend>{props.label}</legend>
      <div class="row">
        <label>
          {s.windowStart}{' '}
          <input
            type="time"
            value={start}
            onInput={(e) => {
              setStart(e.currentTarget.value);
              emit(e.currentTarget.value, end);
            }}
          />
        </label>
        <label>
          {s.windowEnd}{' '}
          <input
            type="time"
            value={end}
            onInput={(e) => {
              setEnd(e.currentTarget.value);
              emit(start, e.currentTarget.value);
            }}
          />
        </label>
      </div>
      <p class="help">{props.help}</p>
      {props.error && (
        <p class="field-error" role="alert">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}

function NumberField(props: { label: string; help?: string; value: number; error: string | null; onChange: (n: number) => void }) {
  return (
    <Field label={props.label} help={props.help} error={props.error}>
      {(id, by) => (
        <input
          id={id}
          aria-describedby={by}
          type="number"
          min={0}
          value={props.value}
          onInput={(e) => props.onChange(Number(e.currentTarget.value))}
        />
      )}
    </Field>
  );
}

// `saved` lives in the parent: saving reloads the settings, and a new effective date remounts this form, which
// would otherwise drop the confirmation the moment it appeared.
function SettingsForm(props: {
  sid: number;
  school: School;
  scope: Record<string, string | undefined>;
  loaded: AttendanceSettings;
  saved: boolean;
  onEdited: () => void;
  onSaved: () => void;
}) {
  const today = todayOf(props.school);
  const [v, setV] = useState<AttendanceSettings>({ ...props.loaded, effective_from: today });
  const [busy, error, run] = useAction();
  const [previewDay, setPreviewDay] = useState(addDays(today, -1));
  const [preview, setPreview] = useState<PreviewAnswer | null>(null);
  const [previewBusy, previewError, runPreview] = useAction();
  const set = <K extends keyof AttendanceSettings>(k: K, value: AttendanceSettings[K]) => {
    setV({ ...v, [k]: value });
    props.onEdited();
    setPreview(null);
  };
  const body = () => ({
    effective_from: v.effective_from,
    school_start_time: v.school_start_time || null,
    grace_minutes: v.grace_minutes,
    school_end_time: v.school_end_time || null,
    early_leave_grace_minutes: v.early_leave_grace_minutes,
    in_window: v.in_window,
    out_window: v.out_window,
    min_in_out_gap_minutes: v.min_in_out_gap_minutes,
    absent_after_minutes: v.absent_after_minutes,
    school_days: v.school_days,
    use_device_punch_state: v.use_device_punch_state,
    late_after_in_window: v.late_after_in_window,
  });
  const err = (f: string) => fieldError(error, f) ?? fieldError(previewError, f);
  return (
    <form
      class="form settings"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          await put(schoolPath(props.sid, `/settings/attendance${query(props.scope)}`), body());
          props.onSaved();
        });
      }}
    >
      {!v.school_start_time && (
        <RegisterWarnings sid={props.sid} warnings={['no school start time is set: nobody is marked late (R15)']} />
      )}
      <ErrorNotice error={formError(error, FIELDS)} />
      <div class="row">
        <Field label={s.effectiveFrom} help={s.effectiveFromHelp} error={err('effective_from')}>
          {(id, by) => (
            <input id={id} aria-describedby={by} type="date" value={v.effective_from} onInput={(e) => set('effective_from', e.currentTarget.value)} />
          )}
        </Field>
        <Field label={s.startTime} help={s.startTimeHelp} error={err('school_start_time')}>
          {(id, by) => (
            <input
              id={id}
              aria-describedby={by}
              type="time"
              value={hhmm(v.school_start_time)}
              onInput={(e) => set('school_start_time', e.currentTarget.value || null)}
            />
          )}
        </Field>
      </div>
      <div class="row">
        <NumberField label={s.grace} help={s.graceHelp} value={v.grace_minutes} error={err('grace_minutes')} onChange={(n) => set('grace_minutes', n)} />
        <NumberField label={s.absentAfter} help={s.absentAfterHelp} value={v.absent_after_minutes} error={err('absent_after_minutes')} onChange={(n) => set('absent_after_minutes', n)} />
      </div>
      <div class="row">
        <Field label={s.endTime} help={s.endTimeHelp} error={err('school_end_time')}>
          {(id, by) => (
            <input
              id={id}
              aria-describedby={by}
              type="time"
              value={hhmm(v.school_end_time)}
              onInput={(e) => set('school_end_time', e.currentTarget.value || null)}
            />
          )}
        </Field>
        <NumberField label={s.earlyGrace} value={v.early_leave_grace_minutes} error={err('early_leave_grace_minutes')} onChange={(n) => set('early_leave_grace_minutes', n)} />
      </div>
      <div class="row">
        <WindowField label={s.inWindow} help={s.inWindowHelp} value={v.in_window} error={err('in_window')} onChange={(w) => set('in_window', w)} />
        <WindowField label={s.outWindow} help={s.outWindowHelp} value={v.out_window} error={err('out_window')} onChange={(w) => set('out_window', w)} />
      </div>
      <NumberField label={s.gap} help={s.gapHelp} value={v.min_in_out_gap_minutes} error={err('min_in_out_gap_minutes')} onChange={(n) => set('min_in_out_gap_minutes', n)} />
      <fieldset class={err('school_days') ? 'invalid' : ''}>
        <legend>{s.schoolDays}</legend>
        {DAYS.map((d) => (
          <label key={d}>
            <input
              type="checkbox"
              checked={v.school_days.includes(d)}
              onChange={(e) =>
                set('school_days', e.currentTarget.checked ? DAYS.filter((x) => x === d || v.school_days.includes(x)) : v.school_days.filter((x) => x !== d))
              }
            />{' '}
            {s.days[d]}
          </label>
        ))}
        {err('school_days') && <p class="field-error">{err('school_days')}</p>}
      </fieldset>
      <label class="check">
        <input type="checkbox" checked={v.use_device_punch_state} onChange={(e) => set('use_device_punch_state', e.currentTarget.checked)} /> {s.deviceState}
        <span class="help"> {s.deviceStateHelp}</span>
      </label>
      <label class="check">
        <input type="checkbox" checked={v.late_after_in_window} onChange={(e) => set('late_after_in_window', e.currentTarget.checked)} /> {s.lateAfterWindow}
        <span class="help"> {s.lateAfterWindowHelp}</span>
      </label>

      <section class="card preview" aria-labelledby="preview-h">
        <h2 id="preview-h">{s.preview}</h2>
        <p class="help">{s.previewHelp}</p>
        <div class="row">
          <Field label={s.previewDay}>
            {(id) => <input id={id} type="date" value={previewDay} onInput={(e) => setPreviewDay(e.currentTarget.value)} />}
          </Field>
          <div class="buttons">
            <button
              type="button"
              class="secondary"
              disabled={previewBusy}
              onClick={() =>
                void runPreview(async () => {
                  setPreview(await post<PreviewAnswer>(schoolPath(props.sid, `/settings/attendance/preview${query({ ...props.scope, date: previewDay })}`), body()));
                })
              }
            >
              {s.preview}
            </button>
          </div>
        </div>
        {preview && (
          <Notice kind="info">
            <span data-preview>
              {s.previewResult(
                day(previewDay),
                preview.proposed.late ?? 0,
                preview.current.late ?? 0,
                preview.proposed.absent ?? 0,
                preview.current.absent ?? 0,
              )}
            </span>
          </Notice>
        )}
        <ErrorNotice error={previewError instanceof ApiError && previewError.field ? null : previewError} />
      </section>

      {props.saved && <Notice kind="ok">{s.saved}</Notice>}
      <div class="buttons">
        <button type="submit" disabled={busy}>
          {s.save}
        </button>
      </div>
    </form>
  );
}

export function Settings(props: { sid: number; school: School }) {
  const [kind, setKind] = useState<ScopeKind>('school');
  const [group, setGroup] = useState('');
  const [groupAsked, setGroupAsked] = useState('');
  const scope = scopeQuery(kind, groupAsked);
  const path = schoolPath(props.sid, `/settings/attendance${query(scope)}`);
  const loaded = useLoad(() => get<AttendanceSettings>(path), [path]);
  const [busy, error, run] = useAction();
  const [saved, setSaved] = useState(false);
  useEffect(() => setGroupAsked(''), [kind]);
  // The school's groups, offered as the group field's choices: read only when settings per group are asked for.
  const people = useLoad(
    () => (kind === 'group' ? get<Items<Person>>(schoolPath(props.sid, '/people')) : Promise.resolve(null)),
    [props.sid, kind === 'group'],
  );
  const groups = useMemo(
    () => [...new Set((people.data?.items ?? []).map((x) => x.group).filter(Boolean))].sort(),
    [people.data],
  );
  useEffect(() => setSaved(false), [path]);
  const data = loaded.data;
  const own = data && data.scope === data.requested_scope;
  return (
    <Layout sid={props.sid} title={s.title}>
      <fieldset class="scope">
        <legend>{s.scope}</legend>
        {(
          [
            ['school', s.scopeSchool],
            ['student', s.scopeStudents],
            ['staff', s.scopeStaff],
            ['group', s.scopeGroup],
          ] as [ScopeKind, string][]
        ).map(([k, label]) => (
          <label key={k}>
            <input type="radio" name="scope" checked={kind === k} onChange={() => setKind(k)} /> {label}
          </label>
        ))}
        {kind === 'group' && (
          <form
            class="inline"
            onSubmit={(e) => {
              e.preventDefault();
              setGroupAsked(group.trim());
            }}
          >
            <Field label={s.groupName} help={s.groupHelp}>
              {(id, by) => (
                <>
                  <input
                    id={id}
                    aria-describedby={by}
                    list={`${id}-groups`}
                    value={group}
                    onInput={(e) => setGroup(e.currentTarget.value)}
                  />
                  <datalist id={`${id}-groups`}>
                    {groups.map((g) => (
                      <option key={g} value={g} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
            <button type="submit" class="secondary">
              {s.scope} {group}
            </button>
          </form>
        )}
        {data?.scopes && data.scopes.length > 0 && (
          <p class="help">
            {s.ownScopes}: {data.scopes.join(', ')}
          </p>
        )}
      </fieldset>
      <ErrorNotice error={loaded.error || error} />
      {data && (kind !== 'group' || groupAsked) && (
        <>
          {!own && kind !== 'school' && <Notice kind="info">{s.inherits(data.scope ?? 'defaults')}</Notice>}
          {data.warnings?.filter((w) => !isNoStartTime(w)).map((w) => (
            <Notice kind="warn" key={w}>
              {w}
            </Notice>
          ))}
          <SettingsForm
            key={path + (data.effective_from ?? '')}
            sid={props.sid}
            school={props.school}
            scope={scope}
            loaded={data}
            saved={saved}
            onEdited={() => setSaved(false)}
            onSaved={() => {
              setSaved(true);
              loaded.reload();
            }}
          />
          {own && kind !== 'school' && (
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() => {
                if (!window.confirm(s.removeConfirm)) return;
                void run(async () => {
                  await del(path);
                  loaded.reload();
                });
              }}
            >
              {s.removeScope}
            </button>
          )}
        </>
      )}
    </Layout>
  );
}
