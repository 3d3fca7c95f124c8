// Dates and times as the school reads them: in the school's time zone, in the browser's language, with Intl.
// The API gives instants in UTC ("2026-03-12T10:00:00Z") and register times as the school's wall clock
// ("2026-03-12 08:05:00", "08:05:00").

const locale = () => navigator.language || 'en';

// Building an Intl formatter costs far more than using one (a 2,000-row register formats 4,000 times): each is
// built once per language and options, and kept.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();
function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(
  kind: string,
  language: string,
  options: object,
  make: () => F,
): F {
  const key = `${kind}|${language}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f as F;
}
const dateFormat = (language: string, options: Intl.DateTimeFormatOptions) =>
  cached('date', language, options, () => new Intl.DateTimeFormat(language, options));

/** An instant (UTC) shown in the school's zone: "12 Mar 2026, 11:00". */
export function instant(utc: string | null | undefined, timeZone: string): string {
  if (!utc) return '';
  const d = new Date(utc);
  if (Number.isNaN(d.getTime())) return utc;
  return dateFormat(locale(), { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** A wall-clock date ("2026-03-12") written out: "Thu, 12 Mar 2026". */
export function day(date: string | null | undefined, style: 'long' | 'short' = 'long'): string {
  if (!date) return '';
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return date;
  const value = new Date(Date.UTC(y, m - 1, d, 12));
  const options: Intl.DateTimeFormatOptions =
    style === 'long'
      ? { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }
      : { timeZone: 'UTC', day: 'numeric', month: 'short' };
  return dateFormat(locale(), options).format(value);
}

/** A wall-clock time ("08:05:00", or a date-time "2026-03-12 08:05:00") as "08:05". */
export function clock(time: string | null | undefined): string {
  if (!time) return '';
  const t = time.includes(' ') ? time.split(' ')[1] : time;
  const [h, m] = t.split(':').map(Number);
  if (Number.isNaN(h) || Number.isNaN(m)) return time;
  const value = new Date(Date.UTC(2000, 0, 1, h, m));
  return dateFormat(locale(), { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' }).format(value);
}

/** A wall-clock date-time ("2026-03-12 08:05:00") as "12 Mar, 08:05". */
export function wallDateTime(text: string | null | undefined): string {
  if (!text) return '';
  const [date, time] = text.split(' ');
  return time ? `${day(date, 'short')}, ${clock(time)}` : day(date, 'short');
}

/** The school's calendar date of an instant: "2026-03-12" (en-CA formats as ISO). */
export function dateIn(timeZone: string, at: Date): string {
  return dateFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** "2026-03-12" plus n days. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const value = new Date(Date.UTC(y, m - 1, d + n));
  return value.toISOString().slice(0, 10);
}

/** "YYYY-MM" of a date. */
export const monthOf = (date: string) => date.slice(0, 7);

/** How long ago an instant was, in words ("3 min ago"), from the server's now. */
export function ago(utc: string | null | undefined, now: Date): string {
  if (!utc) return '';
  const seconds = Math.round((new Date(utc).getTime() - now.getTime()) / 1000);
  const language = locale();
  const rtf = cached('relative', language, {}, () => new Intl.RelativeTimeFormat(language, { numeric: 'auto' }));
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

/** A number in the browser's language. */
export const count = (n: number) => {
  const language = locale();
  return cached('number', language, {}, () => new Intl.NumberFormat(language)).format(n);
};
