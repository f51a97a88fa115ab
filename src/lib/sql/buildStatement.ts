/**
 * Assembles the SQL that runs: the one place where a statement is put together. In order:
 * the header line (statementHeader), `events` (the window's rows of cloudtrail_logs), `params`
 * (one `?` per bound value, named), the template's own CTEs, then its SELECT. Only fixed text and
 * `?` placeholders are joined; every value goes to `parameters`, in placeholder order.
 */
import { PARQUET_TABLE_NAME, TABLE_NAME } from '../schema/cloudtrailTable.js';
import { type StatementHeader, writeStatementHeader } from './statementHeader.js';
import type { TimeWindow } from './timeWindow.js';

/** A named subquery of the WITH clause. */
export interface Cte {
  readonly name: string;
  readonly sql: string;
  /**
   * `true`: computed once however often it is read; `false`: computed where it is read (DuckDB's
   * `AS [NOT] MATERIALIZED`, in statements only DuckDB runs); absent: as the engine chooses.
   */
  readonly materialized?: boolean;
}

/** The relation over the partial results an engine kept (PartialsTemplate), which it defines. */
export const KEPT_PARTIALS = 'kept_partials';
/**
 * The relation over the bands of the reduced partials an engine reads (PartialsTemplate.reduce),
 * which it defines: `partial_file` (the reduced file's), `account`, `band_start` and `band_end`.
 */
export const KEPT_BANDS = 'kept_bands';
/** The error a combining statement raises when a partial row of another source meets a band. */
export const BAND_MET = 'trailhound: a partial row meets the band of a reduced file';

/**
 * A query whose answer can be put together from partial results, each over the events of one
 * account, region, delivery day and day of eventtime: an engine that keeps them (DuckDB, over its
 * store) makes those of a compacted file once, with the values that serve every request, and
 * answers each request from the kept ones and those of the window's raw days, made afresh. The
 * parts are DuckDB's dialect: Athena runs the one statement.
 */
interface PartialsTemplate {
  /**
   * CTEs and SELECT over `events` and `params`: the partial rows. Each has `account`, `region`,
   * `day` (the delivery day) and `first_seen` (its first event's eventtime), and every event of a
   * row has the same account, region, day and date of eventtime.
   */
  readonly partial: { readonly with: readonly Cte[]; readonly sql: string };
  /** The values a partial is made with, kept and read by every request: the most inclusive. */
  readonly inclusive: BoundValues;
  /** A condition on a partial row and `params`: whether the request asks for its rows. */
  readonly asked: string;
  /**
   * CTEs and SELECT over `partials` (the window's partial rows, each named by `partial_file` and
   * `partial_row`) and `params`: the query's answer, the same rows as its one statement's, in the
   * same order, each as its CSV line (csvLine.ts), in one column, `line`. A partial row that is
   * already an answer row may keep its line, made with the partial: the answer then only orders it.
   */
  readonly combine: { readonly with: readonly Cte[]; readonly sql: string };
  /**
   * How the partials of several files of one account (an engine reduces a month's) are reduced
   * to fewer rows that combine, with any other rows, into the same answer, as long as no other
   * row meets the band the reduction was given. `with` and `sql`: CTEs and SELECT over `partials`
   * (the files' rows, named by `partial_file` and `partial_row`) and `params` (`band_start` and
   * `band_end`, seconds since the epoch), giving the rows left (rows of the files, or rows that
   * each stand for several of them, as the combining would take them together), in the partials'
   * columns without the names. `meets`: a condition on a partial row `p` and a band `band`
   * (KEPT_BANDS): whether `p` might combine with a row the reduction left out or took together.
   */
  readonly reduce?: { readonly with: readonly Cte[]; readonly sql: string; readonly meets: string };
}

/** What a query contributes to its statement. */
export interface StatementTemplate {
  readonly name: string;
  /** CTEs the SELECT reads besides `events` and `params`, in order. */
  readonly with?: readonly Cte[];
  /** The final SELECT, over `events`, `params` (when values are bound) and `with`. */
  readonly sql: string;
  /**
   * A condition on a row of `events` and `params` that every row the query uses meets: the
   * statement applies it itself, and an engine that can read the rows meeting it first, and the
   * rest of their columns only then, may narrow `events` with it (engines/duckdb/matchedEvents.ts).
   * Worth declaring only for a condition on narrow columns that DuckDB cannot test in its file
   * reader, such as an OR across columns: a conjunction of one-column comparisons it tests there
   * already, and the second pass then costs more than it saves (measured: iam-user-provenance's
   * eventsource and eventname, 650 ms in one pass, 730 in two).
   */
  readonly match?: string;
  /** How its answer is put together from kept partial results, for a query that can be. */
  readonly partials?: PartialsTemplate;
}

/** A value bound to a typed column of `params`: text, cast with try_cast, so '' becomes NULL. */
export interface TypedValue {
  readonly text: string;
  readonly type: 'integer' | 'bigint';
}

/** Every value is a string or a typed string; an absent optional value is '' (no filter). */
type BoundValue = string | TypedValue;
export type BoundValues = Readonly<Record<string, BoundValue>>;

export const integerValue = (value: number | undefined): TypedValue => ({
  text: value === undefined ? '' : String(value),
  type: 'integer',
});

export const bigintValue = (value: number | undefined): TypedValue => ({
  text: value === undefined ? '' : String(value),
  type: 'bigint',
});

export interface Statement {
  readonly sql: string;
  /** One string per `?`, in order. */
  readonly parameters: readonly string[];
  readonly header: StatementHeader;
  /** The window's scope and everything after `events`, for `readingCompactedDays` to reassemble. */
  readonly parts: StatementParts;
  /**
   * For a query with partials: the statement that makes them (over every event of its relation,
   * with the inclusive values), and the one that answers from them (the request's values and
   * window, `kept_partials`, and with `rawDays` the partials of `events` made in it).
   */
  readonly partials?: {
    readonly making: Statement;
    /** Its rows are the answer's CSV lines (PartialsTemplate.combine). */
    readonly combining: (reads: CombiningReads) => Statement;
    /**
     * For partials that can be reduced: the statement reducing the rows of `kept_partials` to
     * those the band leaves, and the combining statement that raises BAND_MET, before any row,
     * when a row of another source meets a band of KEPT_BANDS.
     */
    readonly reduced?: {
      readonly reducing: (band: { readonly start: number; readonly end: number }) => Statement;
      readonly combining: (reads: CombiningReads) => Statement;
    };
  };
}

/** What a combining statement reads besides the kept partials. */
interface CombiningReads {
  /**
   * Whether the window has raw days, whose partials the statement makes from `events`. Without,
   * it leaves out the making's steps: on the bench's year the sweep's statement, every
   * detection's condition in them, took 90 ms to prepare and ran 150 ms longer over no rows.
   */
  readonly rawDays: boolean;
}

interface StatementParts {
  readonly scope: { readonly sql: string; readonly parameters: readonly string[] };
  /** The CTEs after `events` and the SELECT, with their parameters. */
  readonly rest: {
    readonly ctes: readonly Cte[];
    readonly sql: string;
    readonly parameters: readonly string[];
    /** The columns of `params`, one per parameter, in order: a name, and the type its text is cast to. */
    readonly params: readonly { readonly name: string; readonly type: 'varchar' | TypedValue['type'] }[];
  };
  /** The template's `match`, if it has one. */
  readonly match?: string;
  readonly window: TimeWindow;
}

/** Days, `YYYY/MM/DD`, inclusive at both ends: those a columnar copy holds for every account and region. */
export interface DayRange {
  readonly from: string;
  readonly through: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** Names the statement's own CTEs take, here or in an engine's reading of `events`. */
const RESERVED_NAMES = new Set(['events', 'params', 'events_matched']);

/** Throws unless `name` may name a `params` column or a CTE; checked when a query is defined. */
export const assertSqlName = (name: string, what: string): void => {
  if (!IDENTIFIER.test(name) || RESERVED_NAMES.has(name)) {
    throw new Error(
      `${what} '${name}' must be lower_snake_case and not one of ${[...RESERVED_NAMES].join(', ')}`,
    );
  }
};

const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

const windowPredicate = (window: TimeWindow): { sql: string; parameters: string[] } => {
  const clauses = ['day BETWEEN ? AND ?', 'eventtime >= ?', 'eventtime < ?'];
  const parameters = [window.firstDay, window.lastDay, window.from, window.to];
  if (window.accounts) {
    clauses.push(`account IN (${placeholders(window.accounts.length)})`);
    parameters.push(...window.accounts);
  }
  if (window.regions) {
    clauses.push(`region IN (${placeholders(window.regions.length)})`);
    parameters.push(...window.regions);
  }
  return { sql: clauses.join('\n    AND '), parameters };
};

/** `events`: the window's rows of cloudtrail_logs, within the scope (its `?`s take the scope's parameters). */
export const windowEvents = (scope: StatementParts['scope']): Cte => ({
  name: 'events',
  sql: `SELECT * FROM ${TABLE_NAME}\n  WHERE ${scope.sql}`,
});

const paramsColumn = (name: string, value: BoundValue): string =>
  typeof value === 'string' ? `? AS ${name}` : `try_cast(? AS ${value.type}) AS ${name}`;

const withClause = (header: StatementHeader, ctes: readonly Cte[], select: string): string =>
  [
    writeStatementHeader(header),
    `WITH ${ctes.map((cte) => `${cte.name} AS ${cte.materialized === undefined ? '' : cte.materialized ? 'MATERIALIZED ' : 'NOT MATERIALIZED '}(\n  ${cte.sql.trim()}\n)`).join(',\n')}`,
    select,
  ].join('\n');

const assemble = (
  header: StatementHeader,
  events: Cte,
  parts: StatementParts,
  eventsParameters: readonly string[],
): Statement => ({
  sql: withClause(header, [events, ...parts.rest.ctes], parts.rest.sql),
  parameters: [...eventsParameters, ...parts.rest.parameters],
  header,
  parts,
});

/**
 * The statement's header and final SELECT around other CTEs, whose `?`s take `parameters` in
 * order: how an engine reads `events` its own way. The SELECT has no `?` of its own.
 */
export const withCtes = (
  statement: Statement,
  ctes: readonly Cte[],
  parameters: readonly string[],
): { readonly sql: string; readonly parameters: readonly string[] } => ({
  sql: withClause(statement.header, ctes, statement.parts.rest.sql),
  parameters,
});

type Started = { owner?: string | undefined; label?: string | undefined; notify?: string | undefined };

/** Every instant a window may name: what a partial is made over (its relation's files bound it). */
const EVERY_INSTANT: TimeWindow = {
  from: '1970-01-01T00:00:00Z',
  to: '9999-12-31T23:59:59Z',
  firstDay: '1970/01/01',
  lastDay: '9999/12/31',
};

/** Whether `text` is in `list` (comma-joined values; '' for every value). */
const listed = (list: string, text: string) =>
  `(${list} = '' OR strpos(concat(',', ${list}, ','), concat(',', ${text}, ',')) > 0)`;

/**
 * The window as values of `params`, for the kept partial rows: a row is in the window when its
 * first event is, which holds for all of its events when the window starts and ends at midnight
 * (an engine reads kept partials only then). A reduced row may span days and regions: an engine
 * reduces rows within a band the window holds, so that such a row is in the window whole.
 */
const PARTIALS_SCOPE = `day BETWEEN params.partials_first_day AND params.partials_last_day
    AND first_seen >= params.partials_from AND first_seen < params.partials_to
    AND ${listed('params.partials_accounts', 'account')}
    AND ${listed('params.partials_regions', 'region')}`;

const partialsOf = (
  template: StatementTemplate,
  partials: PartialsTemplate,
  values: BoundValues,
  window: TimeWindow,
  started: Started,
): NonNullable<Statement['partials']> => {
  const making = buildStatement(
    { name: template.name, with: partials.partial.with, sql: partials.partial.sql },
    partials.inclusive,
    EVERY_INSTANT,
  );
  const asked = `SELECT * FROM ${KEPT_PARTIALS}
  WHERE ${PARTIALS_SCOPE}
    AND (${partials.asked})`;
  /**
   * The answer from the kept partials and, with `rawDays`, the raw days' partials, those read
   * after `guard` (made over the same rows, given as SQL) when given.
   */
  const combining = ({ rawDays }: CombiningReads, guard?: (rows: string) => Cte) => {
    const cleared = guard?.(rawDays ? `${asked}\n      UNION ALL\n      SELECT * FROM live` : asked);
    const clear = cleared ? `(SELECT clear FROM ${cleared.name})` : undefined;
    return buildStatement(
      {
        name: template.name,
        with: [
          ...(rawDays
            ? [
                ...partials.partial.with,
                // The raw days' partials, made once and numbered once: `partials` is read more than once.
                {
                  name: 'live',
                  sql: `SELECT *, CAST(-1 AS BIGINT) AS partial_file, row_number() OVER () AS partial_row FROM (\n${partials.partial.sql}\n)`,
                  materialized: true,
                },
              ]
            : []),
          ...(cleared ? [cleared] : []),
          {
            // Read where it is read (the sweep reads it twice): DuckDB would otherwise materialize it whole.
            name: 'partials',
            materialized: false,
            sql: `${asked}${clear ? `\n    AND ${clear}` : ''}${
              rawDays ? `\n  UNION ALL\n  SELECT * FROM live${clear ? ` WHERE ${clear}` : ''}` : ''
            }`,
          },
          ...partials.combine.with,
        ],
        sql: partials.combine.sql,
      },
      {
        ...values,
        partials_from: window.from,
        partials_to: window.to,
        partials_first_day: window.firstDay,
        partials_last_day: window.lastDay,
        partials_accounts: window.accounts?.join(',') ?? '',
        partials_regions: window.regions?.join(',') ?? '',
      },
      window,
      started,
    );
  };
  const { reduce } = partials;
  return {
    making,
    combining: (reads) => combining(reads),
    ...(reduce
      ? {
          reduced: {
            reducing: (band) =>
              buildStatement(
                {
                  name: template.name,
                  with: [{ name: 'partials', sql: `SELECT * FROM ${KEPT_PARTIALS}` }, ...reduce.with],
                  sql: reduce.sql,
                },
                { band_start: bigintValue(band.start), band_end: bigintValue(band.end) },
                EVERY_INSTANT,
              ),
            // Every row the answer reads, of another source than the band's own file, tested once
            // against every band, before any row is read for the answer.
            combining: (reads) =>
              combining(reads, (rows) => ({
                name: 'bands_clear',
                materialized: true,
                sql: `SELECT CASE WHEN EXISTS (
    SELECT 1 FROM (${rows}) AS p
    JOIN ${KEPT_BANDS} AS band ON p.account = band.account AND p.partial_file <> band.partial_file
    WHERE ${reduce.meets}
  ) THEN error('${BAND_MET}') ELSE true END AS clear`,
              })),
          },
        }
      : {}),
  };
};

export const buildStatement = (
  template: StatementTemplate,
  values: BoundValues,
  window: TimeWindow,
  started: Started = {},
): Statement => {
  const scope = windowPredicate(window);
  const bound = Object.entries(values);
  for (const [name] of bound) assertSqlName(name, 'A parameter');
  const ctes: Cte[] = [
    ...(bound.length > 0
      ? [
          {
            name: 'params',
            sql: `SELECT ${bound.map(([name, value]) => paramsColumn(name, value)).join(', ')}`,
          },
        ]
      : []),
    ...(template.with ?? []),
  ];
  const header = {
    query: template.name,
    from: window.from,
    to: window.to,
    ...(started.owner ? { owner: started.owner } : {}),
    ...(started.label ? { label: started.label } : {}),
    ...(started.notify ? { notify: started.notify } : {}),
  };
  const parts: StatementParts = {
    scope,
    rest: {
      ctes,
      sql: template.sql.trim(),
      parameters: bound.map(([, value]) => (typeof value === 'string' ? value : value.text)),
      params: bound.map(([name, value]) => ({
        name,
        type: typeof value === 'string' ? 'varchar' : value.type,
      })),
    },
    ...(template.match ? { match: template.match } : {}),
    window,
  };
  const statement = assemble(header, windowEvents(scope), parts, scope.parameters);
  const { partials } = template;
  if (!partials) return statement;
  // Built when an engine asks for them (the embedded engine over a store): Athena never does.
  let built: NonNullable<Statement['partials']> | undefined;
  const made = () => {
    built ??= partialsOf(template, partials, values, window, started);
    return built;
  };
  return {
    ...statement,
    partials: {
      get making() {
        return made().making;
      },
      get combining() {
        return made().combining;
      },
      get reduced() {
        return made().reduced;
      },
    },
  };
};

/**
 * The same statement reading the days of `compacted` from the columnar table and every other day
 * of its window from the raw one, in one `events` relation (UNION ALL): the two tables have the
 * same columns in the same order, and a day is in exactly one of the two parts, so the rows are
 * the raw table's. Only the parts the window needs are read: a window wholly compacted never
 * touches the raw table, one wholly outside the range is the statement unchanged.
 */
export const readingCompactedDays = (statement: Statement, compacted: DayRange): Statement => {
  const { window, scope } = statement.parts;
  const overlaps = window.firstDay <= compacted.through && window.lastDay >= compacted.from;
  if (!overlaps) return statement;
  const covered = window.firstDay >= compacted.from && window.lastDay <= compacted.through;
  const parquet = {
    sql: `SELECT * FROM ${PARQUET_TABLE_NAME}\n  WHERE day BETWEEN ? AND ?\n    AND ${scope.sql}`,
    parameters: [compacted.from, compacted.through, ...scope.parameters],
  };
  if (covered) {
    return assemble(
      statement.header,
      { name: 'events', sql: parquet.sql },
      statement.parts,
      parquet.parameters,
    );
  }
  const raw = {
    sql: `SELECT * FROM ${TABLE_NAME}\n  WHERE (day < ? OR day > ?)\n    AND ${scope.sql}`,
    parameters: [compacted.from, compacted.through, ...scope.parameters],
  };
  return assemble(
    statement.header,
    { name: 'events', sql: `${parquet.sql}\n  UNION ALL\n  ${raw.sql}` },
    statement.parts,
    [...parquet.parameters, ...raw.parameters],
  );
};
