/**
 * A page's rows, kept as CSV (csvFormat's toCsvLine), written as the JSON text that
 * `JSON.stringify` gives of them typed (fromResultText), without making them first, and from
 * their bytes: the CSV is never decoded, and the JSON is made as bytes and decoded once. A quoted
 * text field is the same bytes in CSV and in JSON but for a doubled quote (`\"` in JSON), a
 * backslash and a control character (escaped as JSON.stringify escapes them); a number is its
 * digits unquoted. Over the sweep's year (77,225 rows of 18 columns, 55.7 MB of JSON in 78
 * pages; in process, each page then encoded as the server sends it), the JSON as a string made
 * from the decoded CSV took 220 to 380 ms, and gave way to the general path on any escape; this
 * 150 to 220 ms, with any value. A server's 78 pages cost the same to the reader within the
 * machine's noise: most of their time is the reader's own.
 */
import type { ResultColumn } from '../engines/queryEngine.js';
import { fromResultText } from './resultValues.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const NULL_BYTES = Buffer.from('null');
const HEX = Buffer.from('0123456789abcdef');
/** The control characters JSON.stringify writes as a backslash and a letter, the others as \u00XX. */
const SHORT_ESCAPES = new Map([
  [0x08, 0x62],
  [0x09, 0x74],
  [0x0a, 0x6e],
  [0x0c, 0x66],
  [0x0d, 0x72],
]);
/** Digits that Number() and String() give back as they are: no leading zero, within 2^53. */
const MAX_PLAIN_DIGITS = 15;

/**
 * Whether an object of these columns' names keeps them in their order, each once: some, and no
 * two alike, and none an array index (which an object puts first, and JSON.stringify so).
 */
const plainNames = (columns: readonly ResultColumn[]): boolean =>
  columns.length > 0 &&
  new Set(columns.map((c) => c.name)).size === columns.length &&
  columns.every((c) => !/^(0|[1-9]\d*)$/.test(c.name));

/** What a column's field becomes: copied as text, as an integer's digits when plain, or as its typed value. */
const TEXT = 0;
const INTEGER = 1;
const OTHER = 2;
const kindOf = (column: ResultColumn): number =>
  column.type === 'varchar' ? TEXT : column.type === 'integer' || column.type === 'bigint' ? INTEGER : OTHER;

/** The bytes JSON is written into, kept between pages up to this size (a larger page's are let go). */
const KEPT_SCRATCH_BYTES = 8 * 1024 * 1024;
let scratch = Buffer.allocUnsafe(0);

/** Whether `[start, end)` of `csv` is an integer's plain digits: `-?(0|[1-9][0-9]*)`, at most 15 of them. */
const plainInteger = (csv: Uint8Array, start: number, end: number): boolean => {
  const first = csv[start] === MINUS ? start + 1 : start;
  if (first >= end || end - first > MAX_PLAIN_DIGITS) return false;
  if (csv[first] === ZERO) return end - first === 1 && first === start;
  for (let k = first; k < end; k += 1) {
    const b = csv[k] as number;
    if (b < ZERO || b > NINE) return false;
  }
  return true;
};

/**
 * The rows of `csv` (whole CSV lines of `columns`, as this module's writer wrote them) as a JSON
 * array's items, comma-separated, as `JSON.stringify` writes them, between `before` and `after`;
 * undefined when a column's name is not plain (plainNames), which the caller writes the general
 * way. Throws on bytes that are not such lines.
 */
export const csvRowsAsJson = (
  csv: Uint8Array,
  columns: readonly ResultColumn[],
  around: { readonly before: string; readonly after: string } = { before: '', after: '' },
): { readonly json: string; readonly rows: number } | undefined => {
  if (!plainNames(columns)) return undefined;
  const last = columns.length - 1;
  const keys = columns.map((c, i) => Buffer.from(`${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`));
  const nextRow = Buffer.from(`},${keys[0]?.toString()}`);
  const kinds = columns.map(kindOf);
  // Room for every row there can be (a line break ends each), its keys, a null for each field,
  // and every byte copied once; an escape, which writes more than it reads, makes its own room.
  let lines = 0;
  for (let at = csv.indexOf(NEWLINE); at >= 0; at = csv.indexOf(NEWLINE, at + 1)) lines += 1;
  const perRow =
    nextRow.length + keys.reduce((sum, key) => sum + key.length, 0) + NULL_BYTES.length * columns.length;
  let out = scratch;
  const room = (bytes: number, written: number) => {
    if (written + bytes <= out.length) return;
    const larger = Buffer.allocUnsafe(Math.max(written + bytes, out.length * 2));
    out.copy(larger, 0, 0, written);
    out = larger;
  };
  room(
    Buffer.byteLength(around.before) + csv.length + lines * perRow + Buffer.byteLength(around.after) + 1,
    0,
  );
  let j = out.write(around.before, 0);
  /** The bytes still to come, at most: the rest of the input and the keys and nulls of its rows. */
  const toCome = (i: number, rows: number) => csv.length - i + (lines - rows) * perRow;
  // Any byte of 0x80 or over: the JSON is then decoded as UTF-8, else as Latin-1 (the same, and
  // faster). What goes around is asked the same of its characters, a control character as if over.
  let high = /[^ -~]/.test(around.before + around.after) ? 0x80 : 0;
  for (const key of keys) for (const b of key) high |= b;
  let rows = 0;
  let i = 0;
  while (i < csv.length) {
    for (let c = 0; c <= last; c += 1) {
      const key = c === 0 && rows > 0 ? nextRow : (keys[c] as Buffer);
      for (let k = 0; k < key.length; k += 1) out[j++] = key[k] as number;
      if (csv[i] !== QUOTE) {
        // An empty unquoted field: NULL.
        for (let k = 0; k < NULL_BYTES.length; k += 1) out[j++] = NULL_BYTES[k] as number;
      } else if (kinds[c] === TEXT) {
        out[j++] = QUOTE;
        i += 1;
        for (;;) {
          if (i >= csv.length) throw new Error('unterminated quoted field');
          const b = csv[i++] as number;
          if (b === QUOTE) {
            if (csv[i] !== QUOTE) break;
            out[j++] = BACKSLASH;
            out[j++] = QUOTE;
            i += 1;
          } else if (b >= 0x20 && b !== BACKSLASH) {
            high |= b;
            out[j++] = b;
          } else {
            room(6 + toCome(i, rows), j);
            out[j++] = BACKSLASH;
            const letter = b === BACKSLASH ? BACKSLASH : SHORT_ESCAPES.get(b);
            if (letter !== undefined) out[j++] = letter;
            else {
              out[j++] = 0x75;
              out[j++] = ZERO;
              out[j++] = ZERO;
              out[j++] = HEX[b >> 4] as number;
              out[j++] = HEX[b & 15] as number;
            }
          }
        }
        out[j++] = QUOTE;
      } else {
        let end = csv.indexOf(QUOTE, i + 1);
        let doubled = false;
        while (end >= 0 && csv[end + 1] === QUOTE) {
          doubled = true;
          end = csv.indexOf(QUOTE, end + 2);
        }
        if (end < 0) throw new Error('unterminated quoted field');
        if (kinds[c] === INTEGER && !doubled && plainInteger(csv, i + 1, end)) {
          for (let k = i + 1; k < end; k += 1) out[j++] = csv[k] as number;
        } else {
          const raw = Buffer.from(csv.buffer, csv.byteOffset + i + 1, end - i - 1).toString('utf8');
          const value = JSON.stringify(
            fromResultText(doubled ? raw.replaceAll('""', '"') : raw, (columns[c] as ResultColumn).type),
          );
          room(Buffer.byteLength(value) + toCome(end, rows), j);
          j += out.write(value, j);
          high |= 0x80;
        }
        i = end + 1;
      }
      const separator = csv[i];
      if (separator !== (c === last ? NEWLINE : COMMA)) {
        throw new Error(`unexpected ${separator === undefined ? 'end' : `byte ${separator}`} at ${i}`);
      }
      i += 1;
    }
    rows += 1;
  }
  room(1 + Buffer.byteLength(around.after), j);
  if (rows > 0) out[j++] = 0x7d;
  j += out.write(around.after, j);
  // A write past the end of a buffer is dropped without a word: a page cut short must not be sent.
  if (j > out.length) throw new Error(`a page's JSON outgrew its room (${j} of ${out.length} bytes)`);
  const json = out.toString(high < 0x80 ? 'latin1' : 'utf8', 0, j);
  if (out.length <= KEPT_SCRATCH_BYTES) scratch = out;
  return { json, rows };
};
