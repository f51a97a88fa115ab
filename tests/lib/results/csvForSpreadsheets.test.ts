import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { toCsvLine } from '../../../src/lib/results/csvFormat.js';
import { neutralizeCell, neutralizedCsv } from '../../../src/lib/results/csvForSpreadsheets.js';

describe('CSV for spreadsheets', () => {
  it('prefixes every cell a spreadsheet would run as a formula with a quote', () => {
    for (const formula of [
      '=HYPERLINK("http://x","y")',
      "+cmd|' /C calc'!A0",
      '-2+3+cmd',
      '@SUM(1+1)',
      '\tx',
      '\r=1',
    ]) {
      expect(neutralizeCell(formula), formula).toBe(`'${formula}`);
    }
  });

  it('leaves plain text, plain numbers, empty strings and NULL as they are', () => {
    for (const value of ['bert-jan', '-1', '+44', '-0.5', '1e-3', '', 'a=b', 'x-y', null]) {
      expect(neutralizeCell(value), String(value)).toBe(value);
    }
  });

  it('streams a whole CSV through, rows with commas and newlines intact, NULL still empty', async () => {
    const csv = [
      toCsvLine(['eventname', 'user_agent', 'from_port']),
      toCsvLine(['PutObject', '=cmd|"/c calc"', '-1']),
      toCsvLine(['GetObject', 'line one\nline, two', null]),
    ].join('');
    expect(await text(neutralizedCsv(Readable.from([csv])))).toBe(
      [
        toCsvLine(['eventname', 'user_agent', 'from_port']),
        toCsvLine(['PutObject', `'=cmd|"/c calc"`, '-1']),
        toCsvLine(['GetObject', 'line one\nline, two', null]),
      ].join(''),
    );
  });

  it('fails the stream on a malformed row rather than passing it through', async () => {
    await expect(text(neutralizedCsv(Readable.from(['"a","b"\n"unterminated\n'])))).rejects.toThrow();
  });
});
