// The screens by path. A school admin is sent to their school's Today; the super admin to the schools. A path
// of another school answers "nothing here", as the API does (404).

import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { sessionExpired } from './api/client';
import type { School } from './api/types';
import { Layout } from './components/layout';
import { Loading, Notice, useLoad } from './components/ui';
import { match, navigate, path } from './router';
import { Devices } from './screens/devices';
import { DevicePanel } from './screens/device_panel';
import { Login } from './screens/login';
import { Schools } from './screens/schools';
import { Today } from './screens/today';
import { Account } from './screens/users';
import { checking, isSuper, me, restore, useSchool } from './session';
import { t } from './strings';
import { SCREENS } from './screens/index';

type SchoolScreen = (p: { sid: number; school: School; params: Record<string, string> }) => JSX.Element;

const SCHOOL_ROUTES: [string, SchoolScreen][] = [
  ['/schools/:sid/today', (p) => <Today sid={p.sid} school={p.school} />],
  ['/schools/:sid/devices', (p) => <Devices sid={p.sid} />],
  ['/schools/:sid/devices/:id', (p) => <DevicePanel sid={p.sid} id={Number(p.params.id)} school={p.school} />],
  ...SCREENS,
];

function NotFound(props: { sid?: number }) {
  return (
    <Layout sid={props.sid} title={t.common.notFound}>
      <Notice kind="info">{t.common.notFound}</Notice>
    </Layout>
  );
}

function SchoolRoute(props: { sid: number; params: Record<string, string>; screen: SchoolScreen }) {
  const school = useLoad(() => useSchool(props.sid), [props.sid]);
  if (school.error) return <NotFound />;
  return <Loading of={school}>{(s) => props.screen({ sid: props.sid, school: s, params: props.params })}</Loading>;
}

function Redirect(props: { to: string }) {
  useEffect(() => navigate(props.to, true), [props.to]);
  return null;
}

function home(): string {
  const m = me.value;
  if (!m) return '/login';
  if (m.role === 'super_admin') return '/admin/schools';
  return `/schools/${m.school_id}/today`;
}

export function App() {
  useEffect(() => {
    void restore();
  }, []);
  const p = path.value;
  if (checking.value) return <p class="muted boot">{t.common.loading}</p>;
  if (!me.value || sessionExpired.value) {
    return <Login onDone={() => navigate(p === '/login' || p === '/' ? home() : p, true)} />;
  }
  if (p === '/' || p === '/login') return <Redirect to={home()} />;
  for (const [pattern, screen] of SCHOOL_ROUTES) {
    const params = match(pattern, p);
    if (!params) continue;
    const sid = Number(params.sid);
    if (!Number.isInteger(sid) || sid <= 0) return <NotFound />;
    return <SchoolRoute key={sid} sid={sid} params={params} screen={screen} />;
  }
  for (const [pattern, screen] of GLOBAL_ROUTES) {
    if (match(pattern, p)) return screen();
  }
  return <NotFound />;
}

const GLOBAL_ROUTES: [string, () => JSX.Element][] = [
  ['/admin/schools', () => (isSuper.value ? <Schools /> : <NotFound />)],
  ['/account', () => <Account sid={me.value?.school_id ?? undefined} />],
];
