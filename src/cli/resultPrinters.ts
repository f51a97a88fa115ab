/**
 * One printer per output format, fed the pages of a result as they arrive. csv, ndjson and
 * markdown are written by src/lib/results/resultFormats.ts, the module the API writes them with,
 * so that the command line and the API give the same text.
 */
import type { Execution, ResultColumn, ResultValue } from '../lib/engines/queryEngine.js';
import { csvHeader, csvRows, markdownTable, ndjsonRows } from '../lib/results/resultFormats.js';
import type { ResultFormat } from './args.js';
import { type OutputStream, writeTo } from './output.js';
import { tableHeader, tableLayout, tableRows } from './tableFormat.js';

type Row = Readonly<Record<string, ResultValue>>;

export interface ResultPrinter {
  /** One page: the columns (the same on every page) and its rows. */
  page(columns: readonly ResultColumn[], rows: readonly Row[]): Promise<void>;
  /** After the last page. */
  end(): Promise<void>;
}

/** What a result is printed with: the execution it is the answer of. */
export interface ResultContext {
  readonly execution: Execution;
}

/**
 * The line over a Markdown table, worded as GET …/results writes it for text/markdown: the query,
 * the case, the window, the row count (here of the whole result) and the execution.
 */
const markdownSummary = ({ execution }: ResultContext, rowCount: number): string =>
  [
    `**${execution.query}**`,
    ...(execution.label ? [`case ${execution.label}`] : []),
    ...(execution.window ? [`${execution.window.from} to ${execution.window.to}`] : []),
    `${rowCount} rows`,
    `execution ${execution.executionId}`,
  ].join(' · ');

/** Pages are written as they come; `first` sees the first page's columns and rows once. */
const streaming = (
  out: OutputStream,
  first: (columns: readonly ResultColumn[], rows: readonly Row[]) => string,
  rest: (columns: readonly ResultColumn[], rows: readonly Row[]) => string,
  end: (seenColumns: readonly ResultColumn[] | undefined) => string = () => '',
): ResultPrinter => {
  let columns: readonly ResultColumn[] | undefined;
  return {
    page: async (pageColumns, rows) => {
      const text = columns ? rest(columns, rows) : first(pageColumns, rows);
      columns ??= pageColumns;
      if (text) await writeTo(out, text);
    },
    end: async () => {
      const text = end(columns);
      if (text) await writeTo(out, text);
    },
  };
};

const jsonPrinter = (out: OutputStream, context: ResultContext): ResultPrinter => {
  // One document, {execution, columns, rows}, written a row a line as the pages come.
  let rowsWritten = 0;
  const opening = (columns: readonly ResultColumn[]) =>
    `{"execution":${JSON.stringify(context.execution)},\n"columns":${JSON.stringify(columns)},\n"rows":[`;
  const rows = (page: readonly Row[]) =>
    page
      .map((row) => {
        const text = `${rowsWritten === 0 ? '\n' : ',\n'}${JSON.stringify(row)}`;
        rowsWritten += 1;
        return text;
      })
      .join('');
  return streaming(
    out,
    (columns, page) => opening(columns) + rows(page),
    (_columns, page) => rows(page),
    (columns) => `${columns ? '' : opening([])}${rowsWritten > 0 ? '\n' : ''}]}\n`,
  );
};

const tablePrinter = (out: OutputStream): ResultPrinter => {
  let layout: ReturnType<typeof tableLayout> | undefined;
  return streaming(
    out,
    (columns, rows) => {
      layout = tableLayout(columns, rows, out.isTTY === true);
      return tableHeader(layout) + tableRows(layout, rows);
    },
    (_columns, rows) => (layout ? tableRows(layout, rows) : ''),
  );
};

const markdownPrinter = (out: OutputStream, context: ResultContext): ResultPrinter => {
  // Kept to the end: its summary line, first in the text, counts every row.
  let columns: readonly ResultColumn[] = [];
  const rows: Row[] = [];
  return {
    page: async (pageColumns, page) => {
      columns = pageColumns;
      rows.push(...page);
    },
    end: () => writeTo(out, markdownTable(markdownSummary(context, rows.length), columns, rows)),
  };
};

export const createResultPrinter = (
  format: ResultFormat,
  out: OutputStream,
  context: ResultContext,
): ResultPrinter => {
  switch (format) {
    case 'csv':
      return streaming(out, (columns, rows) => csvHeader(columns) + csvRows(columns, rows), csvRows);
    case 'ndjson':
      return streaming(out, ndjsonRows, ndjsonRows);
    case 'markdown':
      return markdownPrinter(out, context);
    case 'json':
      return jsonPrinter(out, context);
    case 'table':
      return tablePrinter(out);
  }
};
