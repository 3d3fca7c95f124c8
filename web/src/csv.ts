// A CSV file built in the browser (the register of one day, as shown), with the server's rule for what a
// spreadsheet program opens: a text cell starting with = + - @, a tab or a carriage return gets a leading ',
// so it is shown as text and never run as a formula (docs/api.md, Reports).

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== value ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvOf(rows: (string | number | null | undefined)[][]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Saves text as a file through the browser's download. */
export function download(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  // The byte order mark makes Excel read the file as UTF-8.
  const blob = new Blob(['\ufeff', text], { type });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
