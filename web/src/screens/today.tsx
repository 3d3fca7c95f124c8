// Today, the landing page: the day's counts, live; who arrived last; devices gone quiet; the last 30 days.

import { get, query, schoolPath } from '../api/client';
import type { Device, Items, Register, School, Status, UnknownPushes, UnmappedUser } from '../api/types';
import { Layout } from '../components/layout';
import { TrendChart, type TrendPoint } from '../components/trend_chart';
import { Chip, ErrorNotice, Loading, Notice, useLoad } from '../components/ui';
import { RegisterWarnings } from '../components/warnings';
import { addDays, ago, clock, count, instant } from '../format';
import { useLive } from '../live';
import { onLink } from '../router';
import { serverNow, todayOf } from '../session';
import { t } from '../strings';

/** A device not heard from for this long, during the day, is named as silent. */
export const SILENT_AFTER_MINUTES = 60;

const COUNTED: Status[] = ['present', 'late', 'absent', 'pending'];

export function isSilent(d: Device, now: Date): boolean {
  if (d.status !== 'active') return false;
  if (!d.last_seen) return true;
  return now.getTime() - new Date(d.last_seen).getTime() > SILENT_AFTER_MINUTES * 60_000;
}

function Counts(props: { register: Register }) {
  const total = props.register.rows.length;
  return (
    <ul class="counts" aria-label={t.today.title}>
      {COUNTED.map((s) => (
        <li key={s} class={`count count-${s}`} data-count={s}>
          <span class="count-n">{count(props.register.counts[s] ?? 0)}</span>
          <span class="count-label">{t.status[s]}</span>
        </li>
      ))}
      <li class="count count-total">
        <span class="count-n">{count(total)}</span>
        <span class="count-label">{t.today.total}</span>
      </li>
    </ul>
  );
}

function LatestArrivals(props: { register: Register }) {
  const arrived = props.register.rows
    .filter((r) => r.in_time)
    .sort((a, b) => (b.in_time ?? '').localeCompare(a.in_time ?? ''))
    .slice(0, 10);
  return (
    <section class="card" aria-labelledby="latest-h">
      <h2 id="latest-h">{t.today.latest}</h2>
      {arrived.length === 0 ? (
        <p class="muted">{t.today.noArrivals}</p>
      ) : (
        <ul class="arrivals">
          {arrived.map((r) => (
            <li key={r.person_id}>
              <span class="time">{clock(r.in_time)}</span> <span class="name">{r.name}</span>{' '}
              <span class="muted">{r.group}</span> <Chip status={r.status} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function SilentDevices(props: { devices: Device[] }) {
  const now = serverNow();
  const silent = props.devices.filter((d) => isSilent(d, now));
  return (
    <section class="card" aria-labelledby="silent-h">
      <h2 id="silent-h">{t.today.silent}</h2>
      <p class="help">{t.today.silentHelp(SILENT_AFTER_MINUTES)}</p>
      {silent.length === 0 ? (
        <p class="muted">{t.today.noneSilent}</p>
      ) : (
        <ul class="silent-devices">
          {silent.map((d) => (
            <li key={d.id}>
              <a href={`/schools/${d.school_id}/devices/${d.id}`} onClick={onLink}>
                {d.name}
              </a>{' '}
              <span class="muted">{d.last_seen ? ago(d.last_seen, now) : t.devices.neverSeen}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Pushes with a token no device has, from the addresses the school's devices use: a mistyped or old token. */
function UnknownTokenPushes(props: { sid: number; school: School; pushes: UnknownPushes }) {
  if (props.pushes.items.length === 0) return null;
  return (
    <Notice kind="warn">
      <p>
        <strong>{t.today.unknownPushes}</strong>
      </p>
      <ul class="unknown-pushes">
        {props.pushes.items.map((x) => (
          <li key={x.address} data-unknown-from={x.address}>
            {t.today.unknownFrom(x.address, x.count)}, {t.today.lastAt} {instant(x.last_at, props.school.timezone)}
          </li>
        ))}
      </ul>
      <p>
        {t.today.unknownPushesHelp}{' '}
        <a href={`/schools/${props.sid}/devices`} onClick={onLink}>
          {t.today.openDevices}
        </a>
      </p>
    </Notice>
  );
}

function Trend(props: { sid: number; today: string }) {
  const from = addDays(props.today, -29);
  const trend = useLoad(
    () =>
      get<Items<TrendPoint & { school_day: boolean }>>(
        schoolPath(props.sid, `/attendance/trend${query({ from, to: props.today })}`),
      ),
    [props.sid, props.today],
  );
  if (trend.error || !trend.data) return null;
  const points = trend.data.items.filter((p) => p.school_day);
  return (
    <section class="card wide" aria-labelledby="trend-h">
      <h2 id="trend-h">{t.today.trend}</h2>
      <TrendChart points={points} />
    </section>
  );
}

export function Today(props: { sid: number; school: School }) {
  const today = todayOf(props.school);
  const register = useLoad(
    () => get<Register>(schoolPath(props.sid, `/attendance${query({ date: today })}`)),
    [props.sid, today],
  );
  const devices = useLoad(() => get<Items<Device>>(schoolPath(props.sid, '/devices')), [props.sid]);
  const unmapped = useLoad(() => get<Items<UnmappedUser>>(schoolPath(props.sid, '/unmapped')), [props.sid]);
  const unknown = useLoad(() => get<UnknownPushes>(schoolPath(props.sid, '/unknown-pushes')), [props.sid]);
  // Each event re-reads only what it can change: a punch the counts and the unmapped users, a register change
  // the counts, a device change the devices and the unknown-token pushes.
  const live = useLive(props.sid, ['punch', 'register', 'device'], (arrived) => {
    if (arrived.has('punch') || arrived.has('register')) register.reload();
    if (arrived.has('punch')) unmapped.reload();
    if (arrived.has('device')) {
      devices.reload();
      unknown.reload();
    }
  });
  const unmappedCount = unmapped.data?.items.length ?? 0;
  return (
    <Layout
      sid={props.sid}
      title={t.today.title}
      actions={
        <span class={live ? 'live on' : 'live'} data-live={live ? 'on' : 'off'}>
          {live ? t.today.live : t.today.offline}
        </span>
      }
    >
      <Loading of={register}>
        {(r) => (
          <>
            <RegisterWarnings sid={props.sid} warnings={r.warnings} />
            <Counts register={r} />
            {!r.final && r.counts.pending ? <p class="help">{t.today.pendingNote}</p> : null}
          </>
        )}
      </Loading>
      {unknown.data && <UnknownTokenPushes sid={props.sid} school={props.school} pushes={unknown.data} />}
      {unmappedCount > 0 && (
        <Notice kind="warn">
          {t.today.unmapped(unmappedCount)}{' '}
          <a href={`/schools/${props.sid}/unmapped`} onClick={onLink}>
            {t.today.mapThem}
          </a>
        </Notice>
      )}
      <div class="grid">
        {register.data && <LatestArrivals register={register.data} />}
        {devices.data ? <SilentDevices devices={devices.data.items} /> : <ErrorNotice error={devices.error} />}
        <Trend sid={props.sid} today={today} />
      </div>
    </Layout>
  );
}
