// Paths of the panel's screens, as plain functions (router.ts adds the browser's history).

/** The part before "?". */
export const pathname = (p: string) => p.split('?')[0];

/** Matches "/schools/:sid/devices/:id" against a pathname; the named parts, or null. */
export function match(pattern: string, p: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = pathname(p).split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; ++i) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}
