// A device's API token: masked until Show, copied with one click, rotated only after a confirmation.

import { useState } from 'preact/hooks';
import { get, post, schoolPath } from '../api/client';
import { t } from '../strings';
import { ErrorNotice, Notice, useAction } from './ui';

export function TokenBox(props: { sid: number; deviceId: number; initial?: string }) {
  const [token, setToken] = useState<string | null>(props.initial ?? null);
  const [shown, setShown] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [busy, error, run] = useAction();
  const path = schoolPath(props.sid, `/devices/${props.deviceId}`);

  const load = async (): Promise<string> => {
    if (token) return token;
    const answer = await get<{ api_token: string }>(`${path}/token`);
    setToken(answer.api_token);
    return answer.api_token;
  };
  const copy = () =>
    run(async () => {
      const value = await load();
      await navigator.clipboard.writeText(value);
      setNote(t.devices.copied);
    });
  const rotate = () => {
    if (!window.confirm(t.devices.rotateConfirm)) return;
    void run(async () => {
      const answer = await post<{ api_token: string }>(`${path}/rotate-token`);
      setToken(answer.api_token);
      setShown(true);
      setNote(t.devices.rotated);
    });
  };
  return (
    <div class="token-box">
      <span class="label" id={`token-${props.deviceId}`}>
        {t.devices.token}
      </span>
      <code class="token" aria-labelledby={`token-${props.deviceId}`} data-token={shown && token ? token : undefined}>
        {shown && token ? token : '•'.repeat(24)}
      </code>
      <div class="buttons">
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() =>
            void run(async () => {
              if (!shown) await load();
              setShown(!shown);
            })
          }
        >
          {shown ? t.devices.hide : t.devices.show}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => void copy()}>
          {t.devices.copy}
        </button>
        <button type="button" class="danger" disabled={busy} onClick={rotate}>
          {t.devices.rotate}
        </button>
      </div>
      <p class="help">{t.devices.tokenHelp}</p>
      {note && <Notice kind="ok">{note}</Notice>}
      <ErrorNotice error={error} />
    </div>
  );
}
