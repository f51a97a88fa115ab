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

  /** The bytes, or that it failed, of the old way and of the stream. */
  const outcomes = async (csv: string, cuts: readonly number[]) => {
    let expected: string;
    try {
      expected = reference(csv);
    } catch {
      expected = 'fails';
    }
    const actual = await text(neutralizedCsv(chunked(csv, cuts))).catch(() => 'fails');
    return { actual, expected };
  };

  it('gives the same bytes, or fails as before, for CSV written otherwise from some record on', async () => {
    for (const csv of [
      'a,b\n=1,-2\n"x",=y\n',
      '"a","b"\r\n"=1","2"\r\n',
      '"a"\n"=1"\n\n"@x"\n',
      '"a","b"\n"1","2"\n=3,"4"\n"=5","6"\n',
      // Read the general way from a later record: its line ending and fields are still the header's.
      '"a","b"\nx,y\r\n',
      '"a","b"\n"1","2"\r\n',
      '"a","b"\n=1\r,2\n',
      '"a","b"\n"1"',
      '"a","b"\n"1","2"\n\n',
      '"a","b"\n"1","2"\n=3\n',
      '"a","b"\n"1","2"\n"3"\n',
      '"a","b"\n"1","2',
      '"a","b"\n"1","2"',
      '"a","b"\n',
      '',
    ]) {
      for (const cuts of [[], [3, 9], [12, 13, 14, 15]]) {
        const { actual, expected } = await outcomes(csv, cuts);
        expect(actual, JSON.stringify(csv)).toBe(expected);
      }
    }
  });

  it('reads a cell longer than it scans again, in many chunks, the same', async () => {
    const csv = [
      ['a', 'b'],
      ['=big', 'x'.repeat(3_000_000)],
      ['-2+', '=c'],
    ]
      .map((r) => toCsvLine(r))
      .join('');
    const cuts = Array.from({ length: 60 }, (_, i) => i * 65_536 + 5);
    const { actual, expected } = await outcomes(csv, cuts);
    expect(actual === expected).toBe(true);
    expect(actual.endsWith(`"'-2+","'=c"\n`)).toBe(true);
  });

  it('lets go of its source when its reader stops, or when the source fails', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => toCsvLine([`=${i}`, String(i)]));
    const source = Readable.from([toCsvLine(['a', 'b']), ...lines]);
    for await (const _ of neutralizedCsv(source)) break;
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.destroyed).toBe(true);
    // A source that fails while the general way reads it (a value not quoted comes first).
    async function* failing() {
      yield 'a,b\n=1,2\n';
      throw new Error('the source broke');
    }
    await expect(text(neutralizedCsv(Readable.from(failing())))).rejects.toThrow('the source broke');
  });
});
