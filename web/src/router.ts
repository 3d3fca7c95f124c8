// A small router on the History API: the path is a signal, links change it without a reload, and every path
// the server does not know as a file is answered with the panel, so a deep link or a reload lands on its screen.

import { signal } from '@preact/signals';

export { match, pathname } from './paths';

export const path = signal(window.location.pathname + window.location.search);

export function navigate(to: string, replace = false): void {
  if (to === path.value) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  path.value = to;
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => {
  path.value = window.location.pathname + window.location.search;
});

/** The value of a query parameter of the current path. */
export function queryParam(name: string): string | null {
  const q = path.value.split('?')[1] ?? '';
  return new URLSearchParams(q).get(name);
}

/** An <a> click handler that navigates inside the panel (a modified click still opens a new tab). */
export function onLink(e: MouseEvent): void {
  const a = (e.currentTarget as HTMLAnchorElement | null) ?? null;
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href') ?? '/');
}
