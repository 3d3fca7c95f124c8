// Mapping suggestions: for each unmapped user whose terminal holds a name, the person of the school with the
// closest name. Accept one by one, or every one at or above a similarity the admin sets and sees.

import { useState } from 'preact/hooks';
import { get, post, schoolPath } from '../api/client';
import type { Items } from '../api/types';
import { tUnmapped as u } from '../strings';
import { Table } from './table';
import { ErrorNotice, Field, Notice, useAction, useLoad } from './ui';

export interface Suggestion {
  device_id: number;
  user_id: string;
  terminal_name: string;
  punches: number;
  person_id: number;
  person_name: string;
  similarity: number;
  runner_up: { person_id: number; name: string; similarity: number } | null;
  ambiguous: boolean;
}

interface AcceptAnswer {
  accepted: unknown[];
  skipped: { device_id: number; user_id: string; reason: string }[];
}

export function Suggestions(props: { sid: number; deviceName: (id: number) => string; onMapped: () => void; version: number }) {
  const list = useLoad(() => get<Items<Suggestion>>(schoolPath(props.sid, '/mapping-suggestions')), [props.sid, props.version]);
  const [min, setMin] = useState(90);
  const [note, setNote] = useState<string | null>(null);
  const [busy, error, run] = useAction();
  const accept = (body: unknown) =>
    run(async () => {
      const answer = await post<AcceptAnswer>(schoolPath(props.sid, '/mapping-suggestions/accept'), body);
      setNote(u.accepted(answer.accepted.length, answer.skipped.length));
      list.reload();
      props.onMapped();
    });
  const items = list.data?.items ?? [];
  if (items.length === 0) return note ? <Notice kind="ok">{note}</Notice> : null;
  const above = items.filter((s) => s.similarity * 100 >= min && !s.ambiguous).length;
  return (
    <section class="card" aria-labelledby="suggest-h">
      <h2 id="suggest-h">{u.suggestions}</h2>
      <p class="help">{u.suggestionsHelp}</p>
      {note && <Notice kind="ok">{note}</Notice>}
      <ErrorNotice error={error} />
      <Table columns={[u.userId, u.device, u.terminalName, u.suggested, { label: u.similarity, num: true }, u.actions]}>
        <tbody>
          {items.map((s) => (
            <tr key={`${s.device_id}/${s.user_id}`} data-suggestion={s.user_id}>
              <th scope="row">{s.user_id}</th>
              <td>{props.deviceName(s.device_id)}</td>
              <td>{s.terminal_name}</td>
              <td>
                {s.person_name}
                {s.ambiguous && s.runner_up && <span class="muted"> {u.orElse(s.runner_up.name)}</span>}
              </td>
              <td class="num">{Math.round(s.similarity * 100)}%</td>
              <td>
                <button
                  type="button"
                  disabled={busy}
                  aria-label={`${u.accept}: ${s.user_id} ${s.person_name}`}
                  onClick={() => void accept({ items: [{ device_id: s.device_id, user_id: s.user_id, person_id: s.person_id }] })}
                >
                  {u.accept}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void accept({ min_similarity: min / 100 });
        }}
      >
        <Field label={u.minSimilarity}>
          {(id) => <input id={id} type="number" min={50} max={100} value={min} onInput={(e) => setMin(Number(e.currentTarget.value))} />}
        </Field>
        <button type="submit" disabled={busy || above === 0}>
          {u.acceptAll(above, min)}
        </button>
      </form>
    </section>
  );
}
