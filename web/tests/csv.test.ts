import { describe, expect, it } from 'vitest';
import { csvCell, csvOf } from '../src/csv';

describe('csv', () => {
  it('never lets a spreadsheet run a cell as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+254700')).toBe(`"'+254700"`);
    expect(csvCell('-17')).toBe(`"'-17"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
  });

  it('quotes commas, quotes and line breaks, and leaves numbers bare', () => {
    expect(csvCell('Otieno, Brian')).toBe('"Otieno, Brian"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvOf([['a', 1], ['b', null]])).toBe('a,1\r\nb,\r\n');
  });
});
