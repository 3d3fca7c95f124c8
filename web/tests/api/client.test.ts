import { describe, expect, it } from 'vitest';
import { ApiError, query } from '../../src/api/client';

describe('ApiError', () => {
  it('names the field a 400 names, to show the message beside it', () => {
    const e = new ApiError(400, 'invalid_argument', 'in_window: start must be before end');
    expect(e.field).toBe('in_window');
    expect(e.detail).toBe('start must be before end');
  });

  it('names no field for other errors', () => {
    expect(new ApiError(409, 'conflict', 'name: taken').field).toBeNull();
    expect(new ApiError(400, 'invalid_argument', 'body is not JSON').field).toBeNull();
  });
});

describe('query', () => {
  it('leaves out what is not set', () => {
    expect(query({ date: '2026-03-12', group: '', kind: undefined, limit: 5 })).toBe('?date=2026-03-12&limit=5');
    expect(query({})).toBe('');
  });
});
