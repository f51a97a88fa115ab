/**
 * The shapes a result page can be written in, besides JSON: CSV (as Athena writes it, safe for
 * spreadsheets as the download is), JSON Lines
 * (one object a row) and a Markdown table to paste into a ticket. One module, so that the HTTP
 * answer and the command line write the same text.
 */
import type { ResultColumn, ResultValue } from '../engines/queryEngine.js';
import { type CsvValue, toCsvLine } from './csvFormat.js';
import { neutralizeCell } from './csvForSpreadsheets.js';

type Row = Readonly<Record<string, ResultValue>>;

export const csvHeader = (columns: readonly ResultColumn[]): string => toCsvLine(columns.map((c) => c.name));

/**
 * The rows as CSV lines, made safe to open in a spreadsheet exactly as the download is (a text
 * cell that starts like a formula gets a leading quote: see csvForSpreadsheets.ts).
 */
export const csvRows = (columns: readonly ResultColumn[], rows: readonly Row[]): string =>
  rows
    .map((row) =>
      toCsvLine(
        columns.map((c) => {
          const value = row[c.name];
          return typeof value === 'string' ? neutralizeCell(value) : (value as CsvValue);
        }),
      ),
    )
    .join('');

/** One JSON object a line, keys in column order, each line ending with a newline. */
export const ndjsonRows = (columns: readonly ResultColumn[], rows: readonly Row[]): string =>
  rows
    .map(
      (row) => `${JSON.stringify(Object.fromEntries(columns.map((c) => [c.name, row[c.name] ?? null])))}\n`,
    )
    .join('');

/**
 * Characters that make Markdown (or HTML inside it) out of text: emphasis, code, links and images
 * (`[`, `]`, `(`, `)`, `!`), headings, strikethrough, table cells, tags. Log text is written by
 * whoever made the call (a user agent, a resource name): in a ticket it must read as text, never
 * as an image that loads, a link that runs, or markup.
 */
const MARKDOWN_SPECIAL = /[\\`*_[\]()!<>#|~{}]/g;

/**
 * A cell of a Markdown table: one line, every Markdown and HTML character escaped and bare URLs
 * kept from being linked, NULL as nothing.
 */
const markdownCell = (value: ResultValue | undefined): string =>
  value === null || value === undefined
    ? ''
    : String(value)
        .replaceAll('&', '&amp;')
        .replaceAll(MARKDOWN_SPECIAL, (c) => `\\${c}`)
        // GFM links a bare `http://…` or `www.…` by itself: an escape in it keeps it text.
        .replaceAll('://', '\\://')
        .replaceAll(/\bwww\./gi, (w) => `${w.slice(0, 3)}\\.`)
        .replaceAll(/\r?\n|\r/g, ' ');

/** A Markdown table of the rows, under one summary line (what was asked, how many rows). */
export const markdownTable = (
  summary: string,
  columns: readonly ResultColumn[],
  rows: readonly Row[],
): string =>
  [
    `${summary}`,
    '',
    // Column names are the queries' own identifiers (lower_snake_case): written as they are.
    `| ${columns.map((c) => c.name).join(' | ')} |`,
    `|${columns.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${columns.map((c) => markdownCell(row[c.name])).join(' | ')} |`),
    '',
  ].join('\n');
