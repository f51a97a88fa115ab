/**
 * Rows as aligned plain-text columns. The widths are set by the header and the first page, so that
 * pages can be printed as they arrive: a later, longer cell is cut to its column's width on a
 * terminal, and left whole (out of line) otherwise, so that no value is lost in a file.
 */
import type { ResultColumn, ResultValue } from '../lib/engines/queryEngine.js';

type Row = Readonly<Record<string, ResultValue>>;

/** The widest a column grows on a terminal, in characters. */
export const TERMINAL_CELL_WIDTH = 40;
const NUMERIC_TYPES = new Set(['integer', 'bigint', 'double']);
const GAP = '  ';

export interface TableLayout {
  readonly columns: readonly ResultColumn[];
  readonly widths: readonly number[];
  /** Cut cells longer than their column (on a terminal). */
  readonly truncate: boolean;
}

/** A value as one line of text; NULL as nothing. */
const cellText = (value: ResultValue | undefined): string =>
  value === null || value === undefined ? '' : String(value).replaceAll(/[\r\n\t]+/g, ' ');

export const tableLayout = (
  columns: readonly ResultColumn[],
  firstRows: readonly Row[],
  truncate: boolean,
): TableLayout => ({
  columns,
  truncate,
  widths: columns.map((column) => {
    const widest = Math.max(column.name.length, ...firstRows.map((row) => cellText(row[column.name]).length));
    return truncate ? Math.min(widest, Math.max(TERMINAL_CELL_WIDTH, column.name.length)) : widest;
  }),
});

const line = (layout: TableLayout, cells: readonly string[]): string =>
  `${cells
    .map((cell, i) => {
      const width = layout.widths[i] ?? 0;
      const text = layout.truncate && cell.length > width ? `${cell.slice(0, width - 1)}…` : cell;
      return NUMERIC_TYPES.has(layout.columns[i]?.type ?? '') ? text.padStart(width) : text.padEnd(width);
    })
    .join(GAP)
    .trimEnd()}\n`;

/** The header and a rule under it. */
export const tableHeader = (layout: TableLayout): string =>
  line(
    layout,
    layout.columns.map((c) => c.name),
  ) +
  line(
    layout,
    layout.widths.map((w) => '-'.repeat(w)),
  );

export const tableRows = (layout: TableLayout, rows: readonly Row[]): string =>
  rows
    .map((row) =>
      line(
        layout,
        layout.columns.map((c) => cellText(row[c.name])),
      ),
    )
    .join('');
