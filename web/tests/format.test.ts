import { describe, expect, it } from 'vitest';
import { addDays, dateIn, monthOf } from '../src/format';

describe('format', () => {
  it('gives the school’s date of an instant, not the browser’s', () => {
    // 22:30 UTC on 11 March is already 12 March in Nairobi (UTC+3) and still 11 March in Lima (UTC-5).
    const at = new Date('2026-03-11T22:30:00Z');
    expect(dateIn('Africa/Nairobi', at)).toBe('2026-03-12');
    expect(dateIn('America/Lima', at)).toBe('2026-03-11');
  });

  it('counts days across month and year ends', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-03-12', -29)).toBe('2026-02-11');
    expect(monthOf('2026-03-12')).toBe('2026-03');
  });
});
