import { describe, expect, it } from 'vitest';
import type { ResultColumn } from '../../../src/lib/engines/queryEngine.js';
import { toCsvLine } from '../../../src/lib/results/csvFormat.js';
import { csvRowsAsJson } from '../../../src/lib/results/csvRowsAsJson.js';
import { fromResultText } from '../../../src/lib/results/resultValues.js';

const columns: ResultColumn[] = [
  { name: 'text', type: 'varchar' },
  { name: 'count', type: 'bigint' },
  { name: 'small', type: 'integer' },
  { name: 'ok', type: 'boolean' },
  { name: 'ratio', type: 'double' },
  { name: 'say "odd" name', type: 'varchar' },
];

/** What the route answered before: every row made an object of typed values, then stringified. */
const stringified = (rows: readonly (string | null)[][], of = columns) =>
  JSON.stringify(
    rows.map((values) => Object.fromEntries(of.map((c, i) => [c.name, fromResultText(values[i], c.type)]))),
  );
const bytesOf = (rows: readonly (string | null)[][]) => Buffer.from(rows.map((r) => toCsvLine(r)).join(''));
const asJson = (rows: readonly (string | null)[][], of = columns) =>
  csvRowsAsJson(bytesOf(rows), of, { before: '[', after: ']' });

describe('csvRowsAsJson', () => {
  it('writes the rows as JSON.stringify writes them typed: quotes, commas, NULL, empty, Unicode, numbers and booleans', () => {
    const rows: (string | null)[][] = [
      ['plain', '12', '-3', 'true', '1.50', 'x'],
      ['say "hi", twice ""', '9007199254740993', '0', 'false', '1e3', '"'],
      [null, null, null, null, null, null],
      ['', '', '', '', '', ''],
      ['ünïcödé ✓ 🦆 \u2028\u2029 \u007f /', '007', '2147483647', 'TRUE', '-0.0', ',,,'],
      ['-', '-0', '-12', 'x', '-', '12345678901234567890'],
      ['1', '900719925474099', '-900719925474099', '', 'NaN', 'done'],
    ];
    expect(asJson(rows)).toEqual({ json: stringified(rows), rows: rows.length });
  });

  it('escapes what JSON escapes inside a value, as JSON.stringify does: a backslash, a line break, every control character', () => {
    const controls = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join('');
    const rows: (string | null)[][] = [
      ['C:\\temp\\"x"', '1', '2', 'true', '1', 'a\tb'],
      ['two\nlines\r\n', '1', '1', 'false', '1', controls],
      [`${controls}ü`, '1', '1', 'true', '1', '\\'],
      // Text in a number's column is a string there too, escaped alike.
      ['x', 'a\\b', 'line\nbreak', 'true', 'q"uote', 'y'],
    ];
    expect(asJson(rows)).toEqual({ json: stringified(rows), rows: rows.length });
  });

  it('makes room for what escapes write beyond the bytes they read', () => {
    // Each control character read writes 6 bytes (\u0001): a page of them writes nearly 6 times
    // what it reads, well past the room kept from the page before. Text columns alone: no other
    // field makes room on its way.
    const texts = ['a', 'b', 'c'].map((name) => ({ name, type: 'varchar' as const }));
    const wide = '\u0001'.repeat(5000);
    const rows = Array.from({ length: 200 }, (_, i) => [wide, String(i), `${wide}\\`]);
    const answer = asJson(rows, texts);
    expect(answer?.json.length).toBe(stringified(rows, texts).length);
    expect(answer).toEqual({ json: stringified(rows, texts), rows: rows.length });
    // And a page after it, small, is written whole (no byte of the large page's left in it).
    expect(asJson([['a', '1', '1', 'true', '1', 'b']])).toEqual({
      json: stringified([['a', '1', '1', 'true', '1', 'b']]),
      rows: 1,
    });
  });

  it('makes room for a value its type writes longer than its text: a double, a boolean', () => {
    // '"1e20"' (6 bytes) is 100000000000000000000 (21), 'x' (3) is false (5): more than each
    // row's room (its bytes, keys and a null's four bytes a column), over more rows than any room
    // kept from an earlier page holds.
    const typed = [
      { name: 'd', type: 'double' as const },
      { name: 'b', type: 'boolean' as const },
    ];
    const rows = Array.from({ length: 400_000 }, () => ['1e20', 'x']);
    const answer = asJson(rows, typed);
    expect(answer?.json.length).toBe(stringified(rows, typed).length);
    expect(answer?.json.startsWith('[{"d":100000000000000000000,"b":false},')).toBe(true);
    expect(answer).toEqual({ json: stringified(rows, typed), rows: rows.length });
  });

  it('gives way where an object would not keep the column names as they are: a name that is an array index, a name twice, no column', () => {
    const line = Buffer.from(toCsvLine(['a', 'b']));
    for (const names of [
      ['text', '7'],
      ['0', 'text'],
      ['text', 'text'],
    ]) {
      const odd = names.map((name) => ({ name, type: 'varchar' as const }));
      expect(csvRowsAsJson(line, odd)).toBeUndefined();
    }
    expect(csvRowsAsJson(Buffer.from('\n'), [])).toBeUndefined();
    // A name that only looks like a number, or is not ASCII, stays in its place.
    const kept = ['text', '07', '-1', '1.5', 'née'].map((name) => ({ name, type: 'varchar' as const }));
    const rows = [['a', 'b', 'c', 'd', 'e']];
    expect(asJson(rows, kept)).toEqual({ json: stringified(rows, kept), rows: 1 });
  });

  it('writes what goes around the rows, and nothing between them for no rows', () => {
    expect(csvRowsAsJson(Buffer.alloc(0), columns)).toEqual({ json: '', rows: 0 });
    expect(csvRowsAsJson(Buffer.alloc(0), columns, { before: '{"rows":[', after: '],"next":"é"}' })).toEqual({
      json: '{"rows":[],"next":"é"}',
      rows: 0,
    });
  });

  it('refuses bytes that are not whole lines of its columns', () => {
    const line = toCsvLine(['plain', '12', '-3', 'true', '1.50', 'x']);
    for (const bad of [line.slice(0, -1), line.slice(0, 10), `${line.slice(0, -1)},"7"\n`, '"a","1"\n']) {
      expect(() => csvRowsAsJson(Buffer.from(bad), columns), bad).toThrow();
    }
  });

  it('agrees with JSON.stringify on many random rows', () => {
    // A fixed linear congruential sequence (its high bits: the low ones repeat soon), the same
    // rows on every run.
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return Math.floor(seed / 65_536);
    };
    const alphabet = ['a', 'Z', '0', '"', ',', ' ', 'é', '✓', '🦆', '\u2028', '/', "'", '{'];
    const escaped = ['\\', '\n', '\t', '\r', '\u0000', '\u001f'];
    const character = () =>
      next() % 30 === 0 ? escaped[next() % escaped.length] : alphabet[next() % alphabet.length];
    const text = () => (next() % 9 === 0 ? null : Array.from({ length: next() % 12 }, character).join(''));
    let escapes = 0;
    for (let page = 0; page < 200; page += 1) {
      const rows = Array.from({ length: 1 + (next() % 20) }, () => [
        text(),
        String(next() * 65_536 * 4096 - 2 ** 53),
        next() % 5 === 0 ? null : String(next() % 1000),
        next() % 2 === 0 ? 'true' : 'false',
        `${next() % 100}.${next() % 100}`,
        text(),
      ]);
      if (rows.some((r) => r.some((v) => v !== null && escaped.some((e) => v.includes(e))))) escapes += 1;
      expect(asJson(rows)).toEqual({ json: stringified(rows), rows: rows.length });
    }
    // Pages with escapes and without both came up.
    expect(escapes).toBeGreaterThan(10);
    expect(escapes).toBeLessThan(200);
  });
});
