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
const stringified = (rows: readonly (string | null)[][]) =>
  JSON.stringify(
    rows.map((values) =>
      Object.fromEntries(columns.map((c, i) => [c.name, fromResultText(values[i], c.type)])),
    ),
  );
const asJson = (rows: readonly (string | null)[][]) => {
  const answer = csvRowsAsJson(rows.map((r) => toCsvLine(r)).join(''), columns);
  return answer && { json: `[${answer.json}]`, rows: answer.rows };
};

describe('csvRowsAsJson', () => {
  it('writes the rows as JSON.stringify writes them typed: quotes, commas, NULL, empty, Unicode, numbers and booleans', () => {
    const rows: (string | null)[][] = [
      ['plain', '12', '-3', 'true', '1.50', 'x'],
      ['say "hi", twice ""', '9007199254740993', '0', 'false', '1e3', '"'],
      [null, null, null, null, null, null],
      ['', '', '', '', '', ''],
      ['ünïcödé ✓ 🦆 \u2028\u2029 \u007f /', '007', '2147483647', 'TRUE', '-0.0', ',,,'],
    ];
    expect(asJson(rows)).toEqual({ json: stringified(rows), rows: rows.length });
  });

  it('gives way where JSON escapes a character: a backslash, a tab, a line break or a carriage return inside a value', () => {
    for (const odd of ['C:\\temp', 'a\tb', 'two\nlines', 'a\r', '\u0000', '\u001f']) {
      expect(
        asJson([
          ['plain', '1', '1', 'true', '1', 'x'],
          [odd, '1', '1', 'true', '1', 'x'],
        ]),
      ).toBeUndefined();
    }
  });

  it('gives way where an object would not keep the column names as they are: a name that is an array index, a name twice, no column', () => {
    const line = toCsvLine(['a', 'b']);
    for (const names of [
      ['text', '7'],
      ['0', 'text'],
      ['text', 'text'],
    ]) {
      const odd = names.map((name) => ({ name, type: 'varchar' as const }));
      expect(csvRowsAsJson(line, odd)).toBeUndefined();
    }
    expect(csvRowsAsJson('\n', [])).toBeUndefined();
    // A name that only looks like a number stays in its place.
    const kept = ['text', '07', '-1', '1.5'].map((name) => ({ name, type: 'varchar' as const }));
    expect(csvRowsAsJson(toCsvLine(['a', 'b', 'c', 'd']), kept)?.json).toBe(
      JSON.stringify(Object.fromEntries(kept.map((c, i) => [c.name, 'abcd'[i]]))),
    );
  });

  it('writes nothing for no rows', () => {
    expect(csvRowsAsJson('', columns)).toEqual({ json: '', rows: 0 });
  });

  it('agrees with JSON.stringify on many random rows, or gives way', () => {
    // A fixed linear congruential sequence (its high bits: the low ones repeat soon), the same
    // rows on every run.
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return Math.floor(seed / 65_536);
    };
    const alphabet = ['a', 'Z', '0', '"', ',', ' ', 'é', '✓', '🦆', '\u2028', '/', "'", '{'];
    const escaped = ['\\', '\n', '\t'];
    const character = () =>
      next() % 300 === 0 ? escaped[next() % escaped.length] : alphabet[next() % alphabet.length];
    const text = () => (next() % 9 === 0 ? null : Array.from({ length: next() % 12 }, character).join(''));
    let written = 0;
    for (let page = 0; page < 200; page += 1) {
      const rows = Array.from({ length: 1 + (next() % 20) }, () => [
        text(),
        String(next() * 65_536 * 4096 - 2 ** 53),
        next() % 5 === 0 ? null : String(next() % 1000),
        next() % 2 === 0 ? 'true' : 'false',
        `${next() % 100}.${next() % 100}`,
        text(),
      ]);
      const answer = asJson(rows);
      const escapes = rows.some((r) => r.some((v) => v !== null && /[\\\n\t]/.test(v)));
      expect(answer === undefined).toBe(escapes);
      if (answer) {
        expect(answer).toEqual({ json: stringified(rows), rows: rows.length });
        written += 1;
      }
    }
    // Both kinds of page came up.
    expect(written).toBeGreaterThan(10);
    expect(written).toBeLessThan(200);
  });
});
