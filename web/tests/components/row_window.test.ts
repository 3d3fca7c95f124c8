import { describe, expect, it } from 'vitest';
import { WINDOW_FROM, windowOf } from '../../src/components/row_window';

describe('windowOf', () => {
  it('renders a short table whole, wherever it is', () => {
    expect(windowOf(WINDOW_FROM, -5000, 800, 40)).toEqual({ start: 0, end: WINDOW_FROM, above: 0, below: 0 });
  });

  it('renders the rows of the screen and 20 below when the table starts on screen', () => {
    // The body starts 300 px down an 800 px window: 500 px of 40 px rows is 13 rows (12.5 rounded up).
    const w = windowOf(2000, 300, 800, 40);
    expect(w).toEqual({ start: 0, end: 13 + 20, above: 0, below: (2000 - 33) * 40 });
  });

  it('keeps the page height whatever is rendered: spacers plus rows make every row', () => {
    for (const top of [300, 0, -1234, -40_000, -79_000]) {
      const w = windowOf(2000, top, 800, 40);
      expect(w.above + (w.end - w.start) * 40 + w.below).toBe(2000 * 40);
    }
  });

  it('renders the rows scrolled to, with 20 either side', () => {
    // Scrolled 4,000 px into the body: row 100 is at the top of the window, rows 100 to 119 fill it.
    const w = windowOf(2000, -4000, 800, 40);
    expect(w.start).toBe(80);
    expect(w.end).toBe(140);
    expect(w.above).toBe(80 * 40);
  });

  it('ends at the last row when scrolled to the end', () => {
    const w = windowOf(2000, -(2000 * 40 - 800), 800, 40);
    expect(w.end).toBe(2000);
    expect(w.below).toBe(0);
    expect(w.start).toBe(2000 - 20 - 20);
  });

  it('never starts past the end when the list shrank below the scroll position', () => {
    const w = windowOf(300, -100_000, 800, 40);
    expect(w.start).toBeLessThanOrEqual(w.end);
    expect(w.end).toBe(300);
  });
});
