import { describe, expect, it } from 'vitest';
import { match, pathname } from '../src/paths';

describe('router', () => {
  it('matches a screen’s path and names its parts', () => {
    expect(match('/schools/:sid/devices/:id', '/schools/3/devices/17')).toEqual({ sid: '3', id: '17' });
    expect(match('/schools/:sid/devices/:id', '/schools/3/devices/17?tab=users')).toEqual({ sid: '3', id: '17' });
  });

  it('does not match another screen', () => {
    expect(match('/schools/:sid/devices/:id', '/schools/3/devices')).toBeNull();
    expect(match('/schools/:sid/today', '/schools/3/register')).toBeNull();
    expect(pathname('/a/b?c=d')).toBe('/a/b');
  });
});
