/** The bounded map of what a server remembers: the newest entries kept, the oldest let go. */
import { describe, expect, it } from 'vitest';
import { RecentMap } from '../../src/lib/recentMap.js';

describe('RecentMap', () => {
  it('keeps at most its limit, letting go of the entry set longest ago', () => {
    const map = new RecentMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    expect([map.get('a'), map.get('b'), map.get('c'), map.size]).toEqual([undefined, 2, 3, 2]);
  });

  it('makes a key set again the newest, with its new value', () => {
    const map = new RecentMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 10);
    map.set('c', 3);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([10, undefined, 3]);
    map.delete('a');
    expect([map.get('a'), map.size]).toEqual([undefined, 1]);
  });
});
