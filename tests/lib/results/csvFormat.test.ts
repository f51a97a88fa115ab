import { describe, expect, it } from 'vitest';
import { parseCsvRows, readCsvRows, toCsvLine } from '../../../src/lib/results/csvFormat.js';
import { fromResultText, toColumnType } from '../../../src/lib/results/resultValues.js';

describe('CSV as Athena writes it', () => {
  it('quotes every value, doubles quotes, and leaves NULL empty and unquoted', () => {
    expect(toCsvLine(['a', 'say "hi"', null, 22, true, ''])).toBe('"a","say ""hi""",,"22","true",""\n');
  });
  it('reads back NULL and empty string as different values, with commas and newlines inside values', () => {
    const csv = `${toCsvLine(['h1', 'h2', 'h3'])}${toCsvLine([null, '', 'a,b\nc'])}`;
    expect(parseCsvRows(csv)).toEqual([[null, '', 'a,b\nc']]);
  });
});

describe('result values', () => {
  it('turns text into JSON values by column type', () => {
    expect(fromResultText('22', 'integer')).toBe(22);
    expect(fromResultText('9007199254740993', 'bigint')).toBe('9007199254740993');
    expect(fromResultText('true', 'boolean')).toBe(true);
    expect(fromResultText('false', 'boolean')).toBe(false);
    expect(fromResultText('1.5', 'double')).toBe(1.5);
    expect(fromResultText('22', 'varchar')).toBe('22');
    expect(fromResultText(null, 'integer')).toBeNull();
    expect(fromResultText(undefined, 'varchar')).toBeNull();
  });
  it("maps Athena's type names to ours", () => {
    expect(
      ['integer', 'bigint', 'boolean', 'double', 'varchar', 'timestamp', undefined].map(toColumnType),
    ).toEqual(['integer', 'bigint', 'boolean', 'double', 'varchar', 'varchar', 'varchar']);
  });
});

describe('readCsvRows', () => {
  it('reads back what toCsvLine wrote, NULL and empty string apart, commas, quotes and line breaks inside', () => {
    const rows = [
      ['a', null, '', 'say "hi"', 'a,b\nc', '"'],
      [null, null, null, null, null, null],
      ['ünïcödé ✓', '22', 'true', '\r\n', ',', ''],
    ];
    expect(readCsvRows(rows.map((r) => toCsvLine(r)).join(''))).toEqual(rows);
    expect(readCsvRows(rows.map((r) => toCsvLine(r)).join(''))).toEqual(
      parseCsvRows(
        `${toCsvLine(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'])}${rows.map((r) => toCsvLine(r)).join('')}`,
      ),
    );
  });
  it('refuses text that is not whole rows', () => {
    expect(() => readCsvRows('"a","b')).toThrow(/unterminated/);
    expect(() => readCsvRows('"a"x\n')).toThrow(/unexpected/);
  });
});
