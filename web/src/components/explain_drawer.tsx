// The explain drawer of a register row: every punch of the day and the rule that used or left it out, the
// status and its rule, and the override with the computed row beside it (set, change or clear it).

import { useState } from 'preact/hooks';
import { del, get, post, schoolPath } from '../api/client';
import type { Explanation, OverrideStatus, RegisterRow } from '../api/types';
import { clock } from '../format';
import { tRegister as r, t } from '../strings';
import { Chip, Dialog, ErrorNotice, Field, Loading, fieldError, formError, useAction, useLoad } from './ui';

const OVERRIDE_STATUSES: OverrideStatus[] = ['present', 'late', 'absent', 'excused'];

function OverrideForm(props: { sid: number; row: RegisterRow; date: string; onSaved: () => void }) {
  const o = props.row.override;
  const [status, setStatus] = useState<OverrideStatus>(o?.status ?? 'excused');
  const [inTime, setIn] = useState(o?.in_time?.slice(0, 5) ?? '');
  const [outTime, setOut] = useState(o?.out_time?.slice(0, 5) ?? '');
  const [reason, setReason] = useState('');
  const [busy, error, run] = useAction();
  const fields = ['status', 'in_time', 'out_time', 'reason'];
  return (
    <form
      class="form"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          await post(schoolPath(props.sid, '/overrides'), {
            person_id: props.row.person_id,
            date: props.date,
            status,
            in_time: inTime ? `${inTime}:00` : undefined,
            out_time: outTime ? `${outTime}:00` : undefined,
            reason,
          });
          setReason('');
          props.onSaved();
        });
      }}
    >
      <h3>{r.override}</h3>
      <p class="help">{r.overrideHelp}</p>
      <ErrorNotice error={formError(error, fields)} />
      <Field label={r.overrideStatus} error={fieldError(error, 'status')}>
        {(id) => (
          <select id={id} value={status} onChange={(e) => setStatus(e.currentTarget.value as OverrideStatus)}>
            {OVERRIDE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t.status[s]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div class="row">
        <Field label={r.overrideIn} error={fieldError(error, 'in_time')}>
          {(id) => <input id={id} type="time" value={inTime} onInput={(e) => setIn(e.currentTarget.value)} />}
        </Field>
        <Field label={r.overrideOut} error={fieldError(error, 'out_time')}>
          {(id) => <input id={id} type="time" value={outTime} onInput={(e) => setOut(e.currentTarget.value)} />}
        </Field>
      </div>
      <Field label={r.overrideReason} help={r.overrideReasonHelp} error={fieldError(error, 'reason')}>
        {(id, by) => (
          <textarea
            id={id}
            aria-describedby={by}
            required
            rows={2}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
        )}
      </Field>
      <div class="buttons">
        <button type="submit" disabled={busy || reason.trim() === ''}>
          {r.saveOverride}
        </button>
      </div>
    </form>
  );
}

export function ExplainDrawer(props: {
  sid: number;
  date: string;
  row: RegisterRow | null;
  onClose: () => void;
  onChanged: () => void;
}) {
  const row = props.row;
  const path = row ? schoolPath(props.sid, `/attendance/${row.person_id}/${props.date}/explain`) : '';
  const explained = useLoad(() => (row ? get<Explanation>(path) : Promise.resolve(null)), [path]);
  const [busy, error, run] = useAction();
  const changed = () => {
    explained.reload();
    props.onChanged();
  };
  return (
    <Dialog title={row ? r.explainTitle(row.name) : ''} open={row !== null} onClose={props.onClose} side>
      {row && (
        <Loading of={explained}>
          {(e) =>
            e && (
              <div class="explain">
                <p>
                  <Chip status={e.status} /> <span class="muted">{e.status_rule}</span>
                </p>
                {e.punches.length === 0 ? (
                  <p class="muted">{r.noPunches}</p>
                ) : (
                  <ol class="punches">
                    {e.punches.map((p, i) => (
                      <li key={i} class={p.used_as ? 'used' : 'ignored'} data-used={p.used_as ?? 'none'}>
                        <span class="time">{clock(p.timestamp)}</span>{' '}
                        <strong>{p.used_as === 'in' ? r.usedIn : p.used_as === 'out' ? r.usedOut : r.ignored}</strong>{' '}
                        <span class="muted">
                          {p.rule}
                          {p.note ? `: ${p.note}` : ''}
                        </span>
                      </li>
                    ))}
                  </ol>
                )}
                {e.override && (
                  <div class="override-box" data-override>
                    <p>
                      <strong>{r.overrideBy(e.override.reason)}</strong>
                    </p>
                    <dl class="facts">
                      <dt>{r.override}</dt>
                      <dd>
                        <Chip status={e.override.status} /> {clock(e.override.in_time)} {clock(e.override.out_time)}
                      </dd>
                      <dt>{r.computed}</dt>
                      <dd data-computed>
                        <Chip status={e.override.computed.status} /> {clock(e.override.computed.in_time)}{' '}
                        {clock(e.override.computed.out_time)}
                      </dd>
                    </dl>
                    <ErrorNotice error={error} />
                    <button
                      type="button"
                      class="danger"
                      disabled={busy}
                      onClick={() =>
                        e.override &&
                        void run(async () => {
                          await del(schoolPath(props.sid, `/overrides/${e.override?.id}`));
                          changed();
                        })
                      }
                    >
                      {r.clearOverride}
                    </button>
                  </div>
                )}
                <OverrideForm key={e.override?.id ?? 0} sid={props.sid} row={row} date={props.date} onSaved={changed} />
              </div>
            )
          }
        </Loading>
      )}
    </Dialog>
  );
}
