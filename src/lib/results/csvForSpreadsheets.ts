/**
 * The CSV handed out for download, made safe to open in a spreadsheet (CSV injection, as OWASP
 * describes it: owasp.org/www-community/attacks/CSV_Injection). CloudTrail records what callers
 * send: a user agent, an error message, a user name or a request parameter that begins with `=`,
 * `+`, `-`, `@`, a tab or a carriage return would be run as a formula. Such a cell is prefixed
 * with a single quote, which spreadsheets show as text; a plain number such as `-1` is left as it
 * is. Both engines' downloads pass through here, so the file is the same whichever ran the query.
 */
import { pipeline, type Readable, Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { CSV_CELLS, toCsvLine } from './csvFormat.js';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export const neutralizeCell = (value: string | null): string | null =>
  value !== null && FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;

/** The result CSV read from `source`, every cell neutralized (the header too), as a stream. */
export const neutralizedCsv = (source: Readable): Readable => {
  const formatter = new Transform({
    writableObjectMode: true,
    transform(record: (string | null)[], _encoding, callback) {
      callback(null, toCsvLine(record.map(neutralizeCell)));
    },
  });
  // An error anywhere (a broken source, a malformed row) destroys every stage, the last included.
  pipeline(source, parse(CSV_CELLS), formatter, () => undefined);
  return formatter;
};
