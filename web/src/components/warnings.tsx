// Warnings that sit where the admin looks: the register's own warnings, and the one that matters most
// ("no school start time: nobody can be late") with a link to where it is fixed.

import { onLink } from '../router';
import { t } from '../strings';
import { Notice } from './ui';

/** The server words the R15 warning; the panel recognises it to put its own sentence and link there. */
export const isNoStartTime = (w: string) => w.startsWith('no school start time');

export function RegisterWarnings(props: { sid: number; warnings: string[] }) {
  return (
    <>
      {props.warnings.map((w) =>
        isNoStartTime(w) ? (
          <Notice kind="warn" key={w}>
            <span data-warning="no-start-time">{t.noStartTime.text}</span>{' '}
            <a href={`/schools/${props.sid}/settings`} onClick={onLink}>
              {t.noStartTime.fix}
            </a>
          </Notice>
        ) : (
          <Notice kind="warn" key={w}>
            {w}
          </Notice>
        ),
      )}
    </>
  );
}
