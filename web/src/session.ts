// Who is logged in, which school the screens are about, and the server's clock (the school's "today" is the
// server's, never the browser's: a PC with a wrong clock must not show the wrong day).

import { computed, signal } from '@preact/signals';
import { ApiError, csrfToken, get, post, sessionExpired } from './api/client';
import type { LoginAnswer, Me, School } from './api/types';
import { dateIn } from './format';

export const me = signal<Me | null>(null);
/** True until the first /me answer says whether a session exists. */
export const checking = signal(true);
/** The school the current screen is about (its zone formats every time). */
export const school = signal<School | null>(null);
/** Server time minus browser time, in ms. */
const skew = signal(0);

export const isSuper = computed(() => me.value?.role === 'super_admin');

export function serverNow(): Date {
  return new Date(Date.now() + skew.value);
}

/** The school's today, by the server's clock. */
export function todayOf(s: School): string {
  return dateIn(s.timezone, serverNow());
}

function learn(m: Me): void {
  me.value = m;
  csrfToken.value = m.csrf_token;
  sessionExpired.value = false;
  if (m.server_time) skew.value = new Date(m.server_time).getTime() - Date.now();
}

/** Asks the server whether the browser holds a session (the cookie is HttpOnly: only the server can tell). */
export async function restore(): Promise<void> {
  try {
    learn(await get<Me>('/api/v1/me'));
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
    me.value = null;
  } finally {
    checking.value = false;
  }
}

export async function login(email: string, password: string): Promise<void> {
  await post<LoginAnswer>('/api/v1/auth/login', { email, password });
  learn(await get<Me>('/api/v1/me'));
}

export async function logout(): Promise<void> {
  try {
    await post('/api/v1/auth/logout');
  } finally {
    me.value = null;
    school.value = null;
    csrfToken.value = null;
  }
}

/** Loads the school a screen is about, once per school. */
export async function useSchool(sid: number): Promise<School> {
  if (school.value?.id === sid) return school.value;
  const s = await get<School>(`/api/v1/schools/${sid}`);
  school.value = s;
  return s;
}
