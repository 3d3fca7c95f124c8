// Long tables (a register of 2,000) put only the rows near the screen in the page: 40,000 cells cost the browser
// over a second to lay out, the rows in view a few milliseconds. The page keeps its full height through two
// spacer rows, so the scroll bar, Page Down and the End key behave as if every row were there; the search and
// the filters reach the rest, and printing puts every row in the page first.

import type { ComponentChildren, RefObject } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/** Up to this many rows a table is rendered whole: nothing to gain, and the browser's find still sees them all. */
export const WINDOW_FROM = 200;
/** Rows rendered above and below the screen, so a fast scroll shows rows, not blank space. */
const OVERSCAN = 20;
/** A row's height until the first rendered rows are measured (px). */
const GUESS_PX = 42;

export interface RowWindow {
  /** The first row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
  /** The heights (px) of the spacers standing for the rows above and below. */
  above: number;
  below: number;
}

const whole = (total: number): RowWindow => ({ start: 0, end: total, above: 0, below: 0 });

/**
 * The rows to render when the table body's top is `top` px from the top of a `viewport` px high window and rows
 * are `rowPx` high: those on the screen and OVERSCAN more each side.
 */
export function windowOf(total: number, top: number, viewport: number, rowPx: number): RowWindow {
  if (total <= WINDOW_FROM) return whole(total);
  const start = Math.min(total, Math.max(0, Math.floor(-top / rowPx) - OVERSCAN));
  const end = Math.min(total, Math.max(start, Math.ceil((viewport - top) / rowPx) + OVERSCAN));
  return { start, end, above: Math.round(start * rowPx), below: Math.round((total - end) * rowPx) };
}

/**
 * The rows of `total` to render in the table body `body`, kept in step with the window's scrolling and size.
 * Rows are measured once rendered (their mean height), so a larger font or a wrapped cell moves no row off.
 */
export function useRowWindow(total: number, body: RefObject<HTMLElement>): RowWindow {
  const [printing, setPrinting] = useState(false);
  const [range, setRange] = useState<RowWindow>(() =>
    total <= WINDOW_FROM ? whole(total) : { start: 0, end: Math.min(total, 2 * OVERSCAN), above: 0, below: 0 },
  );

  useLayoutEffect(() => {
    const before = () => setPrinting(true);
    const after = () => setPrinting(false);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);

  useLayoutEffect(() => {
    if (total <= WINDOW_FROM || printing) {
      setRange(whole(total));
      return;
    }
    let rowPx = GUESS_PX;
    let frame = 0;
    const update = () => {
      frame = 0;
      const el = body.current;
      if (!el) return;
      const rows = el.querySelectorAll<HTMLElement>('tr[aria-rowindex]');
      if (rows.length > 1) {
        const first = rows[0].getBoundingClientRect();
        const last = rows[rows.length - 1].getBoundingClientRect();
        const mean = (last.bottom - first.top) / rows.length;
        if (mean > 0) rowPx = mean;
      }
      const next = windowOf(total, el.getBoundingClientRect().top, window.innerHeight, rowPx);
      setRange((r) => (r.start === next.start && r.end === next.end && r.above === next.above ? r : next));
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(update);
    };
    update();
    // The first rows' real height is known only once they are in the page: measure again after they render.
    schedule();
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
    };
  }, [total, printing, body]);

  // A shorter list (a filter, a search) must never show a window past its end before the effect catches up.
  if (range.end > total || (total <= WINDOW_FROM && range.end !== total)) return whole(total);
  return range;
}

/**
 * A table body that renders `rows` through `row` within the window: `row` must give each row
 * `aria-rowindex={index + 2}` (the head is row 1), by which the window measures them; the table gives
 * `aria-rowcount={rows.length + 1}`. `columns` spans the spacer rows.
 */
export function WindowedBody<T>(props: { rows: T[]; columns: number; row: (item: T, index: number) => ComponentChildren }) {
  const body = useRef<HTMLTableSectionElement>(null);
  const shown = useRowWindow(props.rows.length, body);
  return (
    <tbody ref={body}>
      {shown.above > 0 && <Spacer columns={props.columns} px={shown.above} />}
      {props.rows.slice(shown.start, shown.end).map((item, i) => props.row(item, shown.start + i))}
      {shown.below > 0 && <Spacer columns={props.columns} px={shown.below} />}
    </tbody>
  );
}

function Spacer(props: { columns: number; px: number }) {
  return (
    <tr class="spacer" aria-hidden="true">
      <td colSpan={props.columns} style={{ height: `${props.px}px` }} />
    </tr>
  );
}
