// Map a terminal's user ID to a person: search, choose the scope (this device, or every device), save.

import { useState } from 'preact/hooks';
import { post, schoolPath } from '../api/client';
import type { Person } from '../api/types';
import { t } from '../strings';
import { PersonPicker } from './person_picker';
import { Dialog, ErrorNotice, useAction } from './ui';

export interface MapTarget {
  device_id: number;
  user_id: string;
  name?: string;
}

/** The Map button beside a terminal's user: opens the MapDialog for it. */
export function MapButton(props: { target: MapTarget; onMap: (target: MapTarget) => void }) {
  return (
    <button
      type="button"
      aria-label={`${t.devicePanel.map} ${props.target.user_id}`}
      onClick={() => props.onMap(props.target)}
    >
      {t.devicePanel.map}
    </button>
  );
}

export function MapDialog(props: {
  sid: number;
  target: MapTarget | null;
  people: Person[];
  onClose: () => void;
  onMapped: () => void;
}) {
  const [scope, setScope] = useState<'device' | 'school'>('device');
  const [busy, error, run] = useAction();
  const target = props.target;
  return (
    <Dialog title={target ? t.devicePanel.mapTitle(target.user_id) : ''} open={target !== null} onClose={props.onClose}>
      {target && (
        <>
          <fieldset class="scope">
            <legend>{t.devicePanel.scope}</legend>
            <label>
              <input type="radio" name="scope" checked={scope === 'device'} onChange={() => setScope('device')} />{' '}
              {t.devicePanel.scopeDevice}
            </label>
            <label>
              <input type="radio" name="scope" checked={scope === 'school'} onChange={() => setScope('school')} />{' '}
              {t.devicePanel.scopeSchool}
            </label>
          </fieldset>
          <ErrorNotice error={error} />
          <PersonPicker
            people={props.people}
            initial={target.name}
            onPick={(p) => {
              if (busy) return;
              void run(async () => {
                await post(schoolPath(props.sid, '/mappings'), {
                  user_id: target.user_id,
                  person_id: p.id,
                  device_id: scope === 'device' ? target.device_id : undefined,
                });
                props.onMapped();
                props.onClose();
              });
            }}
          />
        </>
      )}
    </Dialog>
  );
}
