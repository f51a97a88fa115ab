/** The scan bench counts a CSV answer's rows as records, not lines. */
import { describe, expect, it } from 'vitest';
import { csvRecords } from '../../../bench/scan/runner/engineClient.js';

describe('csvRecords', () => {
  it('counts a line break inside quotes as part of its field', () => {
    expect(csvRecords('a,b\n"x\ny",1\n"z ""q""",2\n')).toBe(3);
  });
  it('counts a last record without a line break, and nothing in an empty text', () => {
    expect(csvRecords('a,b\n1,2')).toBe(2);
    expect(csvRecords('')).toBe(0);
  });
});
