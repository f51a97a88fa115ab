import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_CELLS, toCsvLine } from '../../../src/lib/results/csvFormat.js';
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

describe('CSV for spreadsheets, as the general parser gives it', () => {
  // The way every cell was read before: csv-parse, each record neutralized and written again.
  const reference = (csv: string) =>
    (parse(csv, CSV_CELLS) as (string | null)[][])
      .map((record) => toCsvLine(record.map(neutralizeCell)))
      .join('');
  /** `csv` as a stream of byte chunks cut at the given places (inside a character too). */
  const chunked = (csv: string, cuts: readonly number[]) => {
    const bytes = Buffer.from(csv);
    const at = [0, ...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
    return Readable.from(at.slice(1).map((end, i) => bytes.subarray(at[i], end)));
  };

  it('gives the same bytes for many random files, however they are cut into chunks', async () => {
    // A fixed linear congruential sequence (its high bits), the same files on every run.
    let seed = 11;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return Math.floor(seed / 65_536);
    };
    const starts = ['=', '+', '-', '@', '\t', '\r', '-1', '+4', '1e', 'a', '"', ' ', 'é', '✓'];
    const tails = ['', '1', '.5', 'x', ',', '\n', '""', '"', ' =', 'ü🦆', '\r\n'];
    const cell = () =>
      next() % 7 === 0
        ? null
        : `${starts[next() % starts.length]}${tails[next() % tails.length]}${tails[next() % tails.length]}`;
    let neutralized = 0;
    for (let file = 0; file < 150; file += 1) {
      const width = 1 + (next() % 5);
      const rows = Array.from({ length: next() % 40 }, () => Array.from({ length: width }, cell));
      const csv = [Array.from({ length: width }, (_, i) => `c${i}`), ...rows]
        .map((r) => toCsvLine(r))
        .join('');
      const cuts = Array.from({ length: next() % 6 }, () => next() % (csv.length * 2));
      const expected = reference(csv);
      expect(await text(neutralizedCsv(chunked(csv, cuts)))).toBe(expected);
      if (expected !== csv) neutralized += 1;
    }
    expect(neutralized).toBeGreaterThan(50);
  });

  it('gives the same bytes for CSV written otherwise: values not quoted, CRLF, an empty line', async () => {
    for (const csv of [
      'a,b\n=1,-2\n"x",=y\n',
      '"a","b"\r\n"=1","2"\r\n',
      '"a"\n"=1"\n\n"@x"\n',
      '"a","b"\n"1","2"\n=3,"4"\n"=5","6"\n',
    ]) {
      expect(await text(neutralizedCsv(chunked(csv, [3, 9])))).toBe(reference(csv));
    }
  });

  it('fails the stream on a record of other fields than the header, or one cut short', async () => {
    await expect(text(neutralizedCsv(Readable.from(['"a","b"\n"1","2"\n"3"\n'])))).rejects.toThrow(
      /1 fields/,
    );
    await expect(text(neutralizedCsv(Readable.from(['"a","b"\n"1","2'])))).rejects.toThrow();
  });
});
