// The one way the panel talks to the server: JSON over fetch, the session cookie sent by the browser, the CSRF
// token added to every write, and every error turned into an ApiError the screens can show.

import { signal } from '@preact/signals';

/** An answer that was not 2xx: the server's message, and the field it names when it names one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }

  /** The field a 400 names ("in_window: start must be before end" names in_window), for the form to mark. */
  get field(): string | null {
    if (this.status !== 400) return null;
    const m = /^([a-z_][a-z0-9_.]*):/.exec(this.message);
    return m ? m[1] : null;
  }

  /** The message without the field name in front, to show beside that field. */
  get detail(): string {
    const f = this.field;
    return f ? this.message.slice(f.length + 1).trim() : this.message;
  }
}

/** The CSRF token of the current session; the server wants it on every write made with the cookie. */
export const csrfToken = signal<string | null>(null);

/** Set when an answer says the session is gone (401), so the app can show the login screen. */
export const sessionExpired = signal(false);

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function errorOf(response: Response): Promise<ApiError> {
  const retry = response.headers.get('retry-after');
  const retryAfter = retry !== null && /^\d+$/.test(retry) ? Number(retry) : null;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) {
      return new ApiError(response.status, body.error.code ?? 'error', body.error.message, retryAfter);
    }
  } catch {
    // not JSON: fall through to the status line
  }
  return new ApiError(response.status, 'error', response.statusText || `HTTP ${response.status}`, retryAfter);
}

/** A call; `raw` is sent as it is (a CSV file's bytes), else `body` as JSON. */
export async function request(method: Method, path: string, body?: unknown, raw?: ArrayBuffer): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET' && csrfToken.value) headers['X-CSRF-Token'] = csrfToken.value;
  let payload: string | ArrayBuffer | undefined;
  if (raw !== undefined) {
    headers['Content-Type'] = 'text/csv';
    payload = raw;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && !path.endsWith('/auth/login')) sessionExpired.value = true;
    throw error;
  }
  return response;
}

/** A JSON call; 204 answers resolve to undefined. */
export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const response = await request(method, path, body);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = (path: string) => api<void>('DELETE', path);

/** Builds a query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The path of a school's route: schoolPath(3, '/devices') is /api/v1/schools/3/devices. */
export const schoolPath = (sid: number, rest: string) => `/api/v1/schools/${sid}${rest}`;
