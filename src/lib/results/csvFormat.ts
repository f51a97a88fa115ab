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
