// The Map dialog's search over the school's students and staff: by name, external id or group.

import { useMemo, useState } from 'preact/hooks';
import type { Person } from '../api/types';
import { t } from '../strings';
import { Field } from './ui';

/** Lower case without accents, so "José" is found by "jose". */
export const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

export function PersonPicker(props: { people: Person[]; initial?: string; onPick: (p: Person) => void }) {
  const [q, setQ] = useState(props.initial ?? '');
  const found = useMemo(() => {
    const words = fold(q).split(/\s+/).filter(Boolean);
    return props.people
      .filter((p) => {
        const text = fold(`${p.name} ${p.external_id} ${p.group}`);
        return words.every((w) => text.includes(w));
      })
      .slice(0, 50);
  }, [q, props.people]);
  return (
    <div class="picker">
      <Field label={t.devicePanel.searchPeople}>
        {(id) => <input id={id} type="search" value={q} autoFocus onInput={(e) => setQ(e.currentTarget.value)} />}
      </Field>
      {found.length === 0 ? (
        <p class="muted">{t.devicePanel.noMatch}</p>
      ) : (
        <ul class="pick-list">
          {found.map((p) => (
            <li key={p.id}>
              <button type="button" class="pick" onClick={() => props.onPick(p)}>
                <span class="name">{p.name}</span>{' '}
                <span class="muted">
                  {t.kinds[p.kind]} {p.group} {p.external_id}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
