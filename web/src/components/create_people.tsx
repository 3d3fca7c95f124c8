// "Create people from these terminal users": a terminal full of enrolled people nobody at the school has yet;
// each chosen one becomes a person named as the terminal names them, mapped on this device, in one step.

import { useState } from 'preact/hooks';
import { post, schoolPath } from '../api/client';
import type { DeviceUser, Kind } from '../api/types';
import { tUnmapped as u, t } from '../strings';
import { ErrorNotice, Field, Notice, useAction } from './ui';

interface CreateAnswer {
  created: { user_id: string }[];
  skipped: { user_id: string; reason: string }[];
}

export function CreatePeople(props: { sid: number; deviceId: number; users: DeviceUser[]; onCreated: () => void }) {
  const candidates = props.users.filter((x) => x.person_id === null && x.name.trim() !== '');
  const [chosen, setChosen] = useState<Set<string>>(new Set(candidates.map((x) => x.user_id)));
  const [kind, setKind] = useState<Kind>('student');
  const [group, setGroup] = useState('');
  const [answer, setAnswer] = useState<CreateAnswer | null>(null);
  const [busy, error, run] = useAction();
  if (candidates.length === 0 && !answer) return null;
  const picked = candidates.filter((x) => chosen.has(x.user_id));
  return (
    <section class="create-people" aria-labelledby="create-h">
      <h3 id="create-h">{u.createPeople}</h3>
      <p class="help">{u.createHelp}</p>
      {answer && (
        <Notice kind="ok">
          {u.created(answer.created.length)} {answer.skipped.length > 0 && u.skipped(answer.skipped.length)}
        </Notice>
      )}
      <ErrorNotice error={error} />
      {candidates.length > 0 && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              setAnswer(
                await post<CreateAnswer>(schoolPath(props.sid, `/devices/${props.deviceId}/users/create-people`), {
                  user_ids: picked.map((x) => x.user_id),
                  kind,
                  group,
                }),
              );
              props.onCreated();
            });
          }}
        >
          <ul class="choose">
            {candidates.map((x) => (
              <li key={x.user_id}>
                <label>
                  <input
                    type="checkbox"
                    aria-label={u.select(x.user_id)}
                    checked={chosen.has(x.user_id)}
                    onChange={(e) => {
                      const next = new Set(chosen);
                      if (e.currentTarget.checked) next.add(x.user_id);
                      else next.delete(x.user_id);
                      setChosen(next);
                    }}
                  />{' '}
                  {x.user_id}: {x.name}
                </label>
              </li>
            ))}
          </ul>
          <div class="row">
            <Field label={u.createAs}>
              {(id) => (
                <select id={id} value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
                  <option value="student">{t.kindsPlural.student}</option>
                  <option value="staff">{t.kindsPlural.staff}</option>
                </select>
              )}
            </Field>
            <Field label={u.createGroup}>
              {(id) => <input id={id} value={group} onInput={(e) => setGroup(e.currentTarget.value)} />}
            </Field>
          </div>
          <button type="submit" disabled={busy || picked.length === 0}>
            {u.createButton(picked.length)}
          </button>
        </form>
      )}
    </section>
  );
}
