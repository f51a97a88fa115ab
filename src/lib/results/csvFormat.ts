/**
 * CSV as Athena writes query results: a header row, every value in double quotes with embedded
 * quotes doubled, NULL as an empty unquoted field, so that a NULL and an empty string differ.
 */
import { parse } from 'csv-parse/sync';

export type CsvValue = string | number | bigint | boolean | null | undefined;

const field = (value: CsvValue): string =>
  value === null || value === undefined ? '' : `"${String(value).replaceAll('"', '""')}"`;

export const toCsvLine = (values: readonly CsvValue[]): string => `${values.map(field).join(',')}\n`;

/** How csv-parse reads this CSV: every row as long as the header, an empty unquoted field as null. */
export const CSV_CELLS = {
  relax_column_count: false,
  cast: (value: string, context: { quoting: boolean }) => (value === '' && !context.quoting ? null : value),
};

/** Rows of text after the header, with null where the field was empty and unquoted. */
export const parseCsvRows = (csv: string): (string | null)[][] => parse(csv, { from_line: 2, ...CSV_CELLS });

/**
 * Where the quoted field that opens at `open` in CSV this module wrote closes: the index of its
 * closing quote (a doubled quote inside is passed over), or -1 when the text ends first.
 */
export const closingQuote = (text: string, open: number): number => {
  let end = text.indexOf('"', open + 1);
  while (end >= 0 && text.charCodeAt(end + 1) === 0x22) end = text.indexOf('"', end + 2);
  return end;
};

/**
 * The rows of CSV text this module wrote (toCsvLine): faster than a general parser, for result
 * pages. Every field is quoted or empty (NULL); quotes inside are doubled; a field may hold commas
 * and line breaks.
 */
export const readCsvRows = (text: string): (string | null)[][] => {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote < 0) throw new Error('unterminated quoted field');
        value += text.slice(from, quote);
        if (text[quote + 1] === '"') {
          value += '"';
          from = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      row.push(value);
    } else row.push(null);
    const separator = text[i];
    i += 1;
    if (separator === '\n') {
      rows.push(row);
      row = [];
    } else if (separator !== ',') throw new Error(`unexpected ${JSON.stringify(separator)} at ${i - 1}`);
  }
  return rows;
};
