// A list as a table: the head from its columns, the table wrapped so that it scrolls sideways on a phone instead
// of widening the page. Screens pass their <tbody> (or a WindowedBody) as the children.

import type { ComponentChildren } from 'preact';

/** A column's heading; `num` right-aligns it, as its numbers are. */
export type Column = ComponentChildren | { label: ComponentChildren; num: true };

const isNum = (c: Column): c is { label: ComponentChildren; num: true } =>
  typeof c === 'object' && c !== null && 'num' in c;

export function Table(props: {
  columns: Column[];
  class?: string;
  /** A windowed table's number of rows (row_window.tsx): told to screen readers, the head being row 1. */
  rowCount?: number;
  children: ComponentChildren;
}) {
  const windowed = props.rowCount !== undefined;
  return (
    <div class="table-wrap">
      <table class={props.class} aria-rowcount={windowed ? (props.rowCount as number) + 1 : undefined}>
        <thead>
          <tr aria-rowindex={windowed ? 1 : undefined}>
            {props.columns.map((c, i) =>
              isNum(c) ? (
                <th scope="col" class="num" key={i}>
                  {c.label}
                </th>
              ) : (
                <th scope="col" key={i}>
                  {c}
                </th>
              ),
            )}
          </tr>
        </thead>
        {props.children}
      </table>
    </div>
  );
}
