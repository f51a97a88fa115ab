/**
 * The first line of every statement trailhound sends: which query, and the window it covers.
 * Athena keeps the statement text with each execution, so this line is how an execution read back
 * from Athena says what it was. This module is its one writer and its one reader: no engine reads
 * a statement's parameters by position.
 *
 * The line is a SQL comment: `-- trailhound query=principal-activity from=… to=…`. Values are
 * percent-encoded beyond a small safe alphabet, so no value can end the comment (no line break
 * survives) or be mistaken for another key.
 */

export interface StatementHeader {
  readonly query: string;
  /** The window, in CloudTrail's eventTime format. */
  readonly from: string;
  readonly to: string;
  /** Who started the execution (an IAM principal's ARN, or `apiKey:<id>`), where that matters. */
  readonly owner?: string;
  /** The bytes the execution was estimated to scan before it started. */
  readonly estimate?: string;
  /** The case the execution belongs to, as the request named it (a ticket id such as INC-1234). */
  readonly label?: string;
  /** Where to POST the callback when the execution ends. */
  readonly notify?: string;
  /** The integrity check of the execution's logs (verifyIntegrity). */
  readonly integrity?: string;
  /** Why the execution's logs were not verified, when it asked and no check could start. */
  readonly unverified?: string;
  /** The accounts and regions the window was restricted to, comma-separated (for evidence). */
  readonly accounts?: string;
  readonly regions?: string;
  /** The query's parameters as the request gave them, JSON (for evidence). */
  readonly parameters?: string;
  /** The days read from the columnar copy, `YYYY/MM/DD..YYYY/MM/DD` (for evidence). */
  readonly compacted?: string;
}

const PREFIX = '-- trailhound ';
const REQUIRED = ['query', 'from', 'to'] as const satisfies readonly (keyof StatementHeader)[];
const OPTIONAL = [
  'owner',
  'estimate',
  'label',
  'notify',
  'integrity',
  'unverified',
  'accounts',
  'regions',
  'parameters',
  'compacted',
] as const satisfies readonly (keyof StatementHeader)[];

const encode = (value: string): string =>
  value.replaceAll(/[^A-Za-z0-9._:/@+-]/g, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );

const decode = (value: string): string | undefined => {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
};

export const writeStatementHeader = (header: StatementHeader): string =>
  `${PREFIX}${[...REQUIRED, ...OPTIONAL]
    .flatMap((key) => (header[key] === undefined ? [] : [`${key}=${encode(header[key])}`]))
    .join(' ')}`;

/** The header of a statement this module wrote, or undefined for any other text. */
export const readStatementHeader = (sql: string | undefined): StatementHeader | undefined => {
  const firstLine = sql?.split('\n', 1)[0];
  if (!firstLine?.startsWith(PREFIX)) return undefined;
  const fields = new Map<string, string>();
  for (const pair of firstLine.slice(PREFIX.length).split(' ')) {
    const at = pair.indexOf('=');
    const value = at > 0 ? decode(pair.slice(at + 1)) : undefined;
    if (value !== undefined) fields.set(pair.slice(0, at), value);
  }
  const [query, from, to] = REQUIRED.map((key) => fields.get(key));
  if (!query || !from || !to) return undefined;
  const optional = Object.fromEntries(
    OPTIONAL.flatMap((key) => (fields.has(key) ? [[key, fields.get(key)]] : [])),
  );
  return { query, from, to, ...optional };
};

/** `sql` with its header changed by `change`: for what is known only once the statement is built. */
export const rewriteStatementHeader = (
  sql: string,
  change: (header: StatementHeader) => StatementHeader,
): string => {
  const header = readStatementHeader(sql);
  if (!header) throw new Error('the statement has no header');
  return `${writeStatementHeader(change(header))}${sql.slice(sql.indexOf('\n'))}`;
};
