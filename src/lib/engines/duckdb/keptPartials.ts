/**
 * Partial results kept beside the store, for a query that declares them (PartialsTemplate in
 * buildStatement.ts: the sweep's runs). Those of a compacted file are made the first time a
 * request reads it, over all of the file's events with the values that serve every request, and
 * kept under `<store>/.partials/<digest>/`, at the file's own path: its name is new for every
 * build, so a file compacted again has none kept until it is read. The digest is that of the
 * making statement as DuckDB runs it: a change of the query (a detection added) makes new ones.
 * A request is then answered from the kept partials of its compacted files and those of its raw
 * days, made in its own statement. Only a window from midnight to midnight reads them: a kept
 * row's events share one day, which such a window holds whole or not at all.
 *
 * Reduced months: for a query whose partials can be reduced (the sweep's runs), a month of one
 * account whose files the request reads whole (none only some of its days), and none of whose
 * days it reads raw for that account, is read from its partials reduced, kept under
 * `<digest>/reduced/<account>/<year>/<month>/`: the rows that cannot change the answer unless a
 * row of another source comes within the month's band (the days its files hold, less six hours
 * at either end) are left out, or taken together into fewer that combine into the same answer
 * (PartialsTemplate.reduce). The band lies within the request's window as well: a row taken
 * together from several may span days, which a window that cut it would divide. A window that cuts
 * the month's days has its month reduced within its own. The answering statement checks that no
 * row of another source meets a band before it reads a row, and raises BAND_MET if one does (an
 * event delivered days late); the request is then answered from the months' files' partials, as
 * without reductions. A month that
 * cannot be reduced (a full disk) is read unreduced, and the server says so.
 */
import { createHash, randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DAY_MS } from '../../clock.js';
import { logger } from '../../logging/logger.js';
import { KEPT_BANDS, KEPT_PARTIALS, type Statement } from '../../sql/buildStatement.js';
import { toSqlLiteral } from '../../sql/sqlLiteral.js';
import type { TimeWindow } from '../../sql/timeWindow.js';
import { dayStartMs, isDay } from '../../store/closedDays.js';
import { createCloudTrailViews, literalPath } from '../../store/duckdb/cloudtrailRelation.js';
import { bytesOfColumns, parquetColumnsRead } from '../../store/duckdb/columnsRead.js';
import { literal as writeLiteral } from '../../store/duckdb/compactUnit.js';
import { exists, PARTIALS_DIR } from '../../store/duckdb/keptPartialsFiles.js';
import type { ScanPlan } from '../../store/duckdb/scanPlan.js';
import { applySettings, engineStatement } from './matchedEvents.js';

type CompactedFile = ScanPlan['compacted'][number];

/** Where an engine keeps partial results, if it does: beside its store. */
export const keptPartialsOf = (engine: {
  readonly keepPartials: boolean;
  readonly storeDir: string | undefined;
}): { readonly storeDir: string } | undefined =>
  engine.keepPartials && engine.storeDir ? { storeDir: engine.storeDir } : undefined;

/** Whether a request over `window` may read kept partials: it starts and ends at midnight. */
export const readsKeptPartials = (window: TimeWindow): boolean =>
  window.from.endsWith('T00:00:00Z') && window.to.endsWith('T00:00:00Z');

/** The digest partials are kept under: the making statement, as DuckDB runs it. */
const partialsDigest = (making: Statement): string => {
  const { settings, sql, parameters } = engineStatement(making);
  return createHash('sha256')
    .update(JSON.stringify([sql, parameters, settings]))
    .digest('hex')
    .slice(0, 16);
};

/** The kept partials of a compacted file. */
const keptPathOf = (storeDir: string, digest: string, file: CompactedFile): string =>
  path.join(storeDir, PARTIALS_DIR, digest, path.relative(storeDir, file.path));

const sizeOf = (file: string) =>
  stat(file).then(
    (s) => s.size,
    () => undefined,
  );

/** Defines `cloudtrail_logs` over every row of `files`. @returns the SQL of the views. */
const defineWholeFiles = async (connection: DuckDBConnection, files: readonly CompactedFile[]) => {
  const views = createCloudTrailViews({
    json: { paths: [], objectBytes: 1 << 20 },
    parquet: {
      days: { first: '0000/00/00', last: '9999/99/99' },
      files: files.map((f) => ({ path: f.path })),
    },
  });
  for (const view of views) await connection.run(view);
  return views.join(';\n');
};

/** Where an answer's partials are kept, which of its compacted files have none yet, and what it reads. */
export interface PartialsPlan {
  readonly kept: { readonly storeDir: string; readonly digest: string };
  readonly missing: readonly CompactedFile[];
  /**
   * The raw files' bytes, the kept partials', and those of the columns that making the missing
   * ones reads: what the answer counts as scanned (the partials it makes are read back whole).
   */
  readonly bytesScanned: number;
  /**
   * Whether making the missing partials reads more bytes than the raw files of the days the
   * request reads from those files (a short window over a month with none kept): then the request
   * runs its one statement and makes none, so that no execution reads more than the raw files.
   */
  readonly costlier: boolean;
}

/**
 * What answering from kept partials reads over `plan`, with the partials made by `making` kept
 * under `storeDir`. Leaves `cloudtrail_logs` defined over the compacted files whose partials are
 * not kept (read whole), and the making statement's values set.
 */
export const settlePartials = async (
  connection: DuckDBConnection,
  plan: ScanPlan,
  making: Statement,
  storeDir: string,
  columnNames: readonly string[],
): Promise<PartialsPlan> => {
  const kept = { storeDir, digest: partialsDigest(making) };
  const sizes = await Promise.all(plan.compacted.map((f) => sizeOf(keptPathOf(storeDir, kept.digest, f))));
  const missing = plan.compacted.filter((_, i) => sizes[i] === undefined);
  let bytesScanned = plan.raw.reduce((sum, f) => sum + f.bytes, 0);
  for (const size of sizes) bytesScanned += size ?? 0;
  const views = await defineWholeFiles(connection, missing);
  const { settings, sql, parameters } = engineStatement(making);
  await applySettings(connection, settings);
  let makingBytes = 0;
  if (missing.length > 0) {
    const columns = await parquetColumnsRead(connection, sql, parameters, columnNames, views);
    for (const f of missing) makingBytes += bytesOfColumns(f.unit, columns);
  }
  const replaced = missing.reduce((sum, f) => sum + f.replaces.reduce((s, r) => s + r.bytes, 0), 0);
  return { kept, missing, bytesScanned: bytesScanned + makingBytes, costlier: makingBytes > replaced };
};

/** The account, region and month a compacted file's path names (…/<account>/CloudTrail/<region>/YYYY/MM/<file>). */
const partitionOf = (file: string): { account: string; region: string; year: string; month: string } => {
  const parts = file.replaceAll('\\', '/').split('/');
  return {
    account: parts.at(-6) ?? '',
    region: parts.at(-4) ?? '',
    year: parts.at(-3) ?? '',
    month: parts.at(-2) ?? '',
  };
};

const MADE = 'trailhound_partials_made';

/**
 * The rows of the files made in one statement at most: making holds every partial of its files.
 * On the bench's year (2.4 million rows, 49 files), all at once peaked the server at 1.8 GB in
 * 16 s; by 1.2 million, 1.05 GB (the one statement's peak: 1.02 GB) in 18 s; by 600,000, 0.9 GB
 * in 22.5 s. Answering from them then peaked at 0.6 GB.
 */
const MAKING_ROWS = 1_200_000;

/** `files` in order, cut into batches of `maxRows` rows at most (a file larger alone). */
export const batchesOf = <F extends { readonly unit: { readonly rows: number } }>(
  files: readonly F[],
  maxRows: number,
): F[][] => {
  const batches: F[][] = [];
  let rows = Number.POSITIVE_INFINITY;
  for (const file of files) {
    if (rows + file.unit.rows > maxRows) {
      batches.push([]);
      rows = 0;
    }
    batches.at(-1)?.push(file);
    rows += file.unit.rows;
  }
  return batches;
};

/**
 * Makes and keeps the partials of the plan's missing files, on the connection settlePartials
 * left (its values set), a statement for each batch of files of MAKING_ROWS rows at most (a file
 * larger alone): its rows are told apart by account, region and delivery day, which name the file
 * each came from. Each file's are written aside, then renamed into place (a reader sees them whole
 * or not at all); a file with none is kept as a file of no rows, so that it is not made again.
 * @returns the bytes of Parquet kept.
 */
export const makePartials = async (
  connection: DuckDBConnection,
  making: Statement,
  { kept, missing }: PartialsPlan,
  checkpoint: () => void,
): Promise<number> => {
  let keptBytes = 0;
  for (const batch of batchesOf(missing, MAKING_ROWS)) {
    await defineWholeFiles(connection, batch);
    keptBytes += await makeBatch(connection, making, kept, batch, checkpoint);
  }
  return keptBytes;
};

const makeBatch = async (
  connection: DuckDBConnection,
  making: Statement,
  kept: PartialsPlan['kept'],
  missing: readonly CompactedFile[],
  checkpoint: () => void,
): Promise<number> => {
  const units = missing.flatMap((f, unit) => {
    const { account, region } = partitionOf(f.path);
    return Object.keys(f.unit.days).map(
      (day) => `(${toSqlLiteral(account)}, ${toSqlLiteral(region)}, ${toSqlLiteral(day)}, ${unit})`,
    );
  });
  const { sql, parameters } = engineStatement(making);
  const prepared = await connection.prepare(
    `CREATE OR REPLACE TEMP TABLE ${MADE} AS
SELECT made.*, units.unit FROM (
${sql}
) AS made
JOIN (VALUES ${units.join(', ')}) AS units (unit_account, unit_region, unit_day, unit)
  ON made.account = units.unit_account AND made.region = units.unit_region AND made.day = units.unit_day`,
  );
  parameters.forEach((value, i) => {
    prepared.bindVarchar(i + 1, value);
  });
  checkpoint();
  await prepared.run();
  checkpoint();
  const dir = path.join(kept.storeDir, PARTIALS_DIR, kept.digest);
  const aside = path.join(dir, `.making-${randomUUID()}`);
  await mkdir(aside, { recursive: true, mode: 0o700 });
  let keptBytes = 0;
  try {
    await connection.run(
      `COPY ${MADE} TO ${writeLiteral(aside)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (unit))`,
    );
    for (const [unit, file] of missing.entries()) {
      const target = keptPathOf(kept.storeDir, kept.digest, file);
      const written = path.join(aside, `unit=${unit}`);
      const parts = (await readdir(written).catch(() => [])).map((name) => path.join(written, name));
      const single = path.join(aside, `${unit}.parquet`);
      // One file a partition is what DuckDB writes; several are put in one, and none (the file has
      // no partial) is kept as a file of no rows.
      const rows =
        parts.length > 0
          ? `SELECT * FROM read_parquet([${parts.map(literalPath).join(', ')}], hive_partitioning = false)`
          : `SELECT * EXCLUDE (unit) FROM ${MADE} LIMIT 0`;
      if (parts.length === 1) await rename(parts[0] as string, single);
      else
        await connection.run(`COPY (${rows}) TO ${writeLiteral(single)} (FORMAT parquet, COMPRESSION zstd)`);
      await chmod(single, 0o600);
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      await keep(single, target);
      keptBytes += (await stat(target)).size;
    }
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${MADE}`).catch(() => undefined);
    await rm(aside, { recursive: true, force: true });
  }
  return keptBytes;
};

/**
 * Puts a made file in place unless another execution kept the same file's first: a file once
 * kept is never replaced, since a statement reading it names its rows by their place in it, and
 * two makings need not write them in the same order. A hard link is both atomic and exclusive; a
 * file system without links gets a rename when the place is free.
 */
const keep = async (made: string, target: string): Promise<void> => {
  try {
    await link(made, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV'].includes(code)) throw error;
    if (!(await exists(target))) await rename(made, target);
  }
};

/**
 * Defines KEPT_PARTIALS over the kept partials of `files`: the reduced partials of the months in
 * `reduced`, and each other file's for the days the plan reads from it, with `partial_file` (a
 * number, the file's) and `partial_row` naming each row; and KEPT_BANDS over the reduced files'
 * bands.
 */
export const defineKeptPartials = async (
  connection: DuckDBConnection,
  kept: { readonly storeDir: string; readonly digest: string },
  files: readonly CompactedFile[],
  reduced: readonly ReducedMonth[] = [],
): Promise<void> => {
  // A file is named by its number (`offset` and its place in its read): a number sorts and joins
  // in a fraction of the time of its path, which the two windows of the sweep's runs sort by.
  const read = (paths: readonly string[], where: string, offset: number) =>
    `SELECT * EXCLUDE (file_row_number), CAST(file_index AS BIGINT) + ${offset} AS partial_file, file_row_number AS partial_row
FROM read_parquet([${paths.map(literalPath).join(', ')}], file_row_number = true, hive_partitioning = false)${where}`;
  const inReduced = new Set(reduced.flatMap((m) => m.files.map((f) => f.path)));
  const rest = files.filter((f) => !inReduced.has(f.path));
  const paths = rest.map((f) => keptPathOf(kept.storeDir, kept.digest, f));
  const whole = paths.filter((_, i) => rest[i]?.only === undefined);
  const first = reduced.length + whole.length;
  const reads = [
    ...(reduced.length > 0
      ? [
          read(
            reduced.map((m) => m.path),
            '',
            0,
          ),
        ]
      : []),
    ...(whole.length > 0 ? [read(whole, '', reduced.length)] : []),
    ...rest.flatMap((f, i) =>
      f.only
        ? [read([paths[i] as string], `\nWHERE day IN (${f.only.map(toSqlLiteral).join(', ')})`, first + i)]
        : [],
    ),
  ];
  await connection.run(`CREATE OR REPLACE TEMP VIEW ${KEPT_PARTIALS} AS\n${reads.join('\nUNION ALL\n')}`);
  const bands = reduced.map(
    (m, i) => `(CAST(${i} AS BIGINT), ${toSqlLiteral(m.account)}, ${m.band.start}, ${m.band.end})`,
  );
  await connection.run(
    `CREATE OR REPLACE TEMP VIEW ${KEPT_BANDS} AS ${
      bands.length > 0
        ? `SELECT * FROM (VALUES ${bands.join(', ')}) AS bands (partial_file, account, band_start, band_end)`
        : 'SELECT CAST(NULL AS BIGINT) AS partial_file, CAST(NULL AS VARCHAR) AS account, CAST(NULL AS BIGINT) AS band_start, CAST(NULL AS BIGINT) AS band_end WHERE false'
    }`,
  );
};

/**
 * How far from a month's ends a reduction of its runs stops (seconds): a run of the month within
 * its gap of this margin of either end is kept, so that the files of the months beside it, which
 * hold events delivered late (within the hour on the bench's year), stay clear of its band.
 */
const BAND_MARGIN_SECONDS = 6 * 3600;

/** A month of one account's compacted files, read whole, whose partials are read reduced. */
export interface ReducedMonth {
  readonly account: string;
  readonly files: readonly CompactedFile[];
  /** The reduced partials' file. */
  readonly path: string;
  /** Seconds since the epoch: the days the month's files hold, less the margins. */
  readonly band: { readonly start: number; readonly end: number };
}

/**
 * The months of one account none of whose compacted files the plan reads only some days of (the
 * store keeps a month of an account and region in one file), with those files.
 */
const monthsOf = (
  files: readonly CompactedFile[],
): { account: string; year: string; month: string; files: CompactedFile[] }[] => {
  const months = new Map<string, { account: string; year: string; month: string; files: CompactedFile[] }>();
  const partial = new Set<string>();
  for (const file of files) {
    const { account, year, month } = partitionOf(file.path);
    const key = `${account}/${year}/${month}`;
    const entry = months.get(key) ?? { account, year, month, files: [] };
    months.set(key, entry);
    entry.files.push(file);
    if (file.only !== undefined) partial.add(key);
  }
  return [...months].filter(([key]) => !partial.has(key)).map(([, entry]) => entry);
};

const TO_REDUCE = 'trailhound_partials_reduced';

/**
 * The reduced partials of every month of the plan's compacted files that it reads without a raw
 * day of the account among the month's days, reduced within a band the window holds: made where
 * they are not kept yet (from the kept partials of the month's files, on `connection`, whose
 * KEPT_PARTIALS it redefines), and kept under `<digest>/reduced/<account>/<year>/<month>/`, named
 * by the reducing statement, the band and the month's files: a file compacted again makes another.
 */
export const reducedMonths = async (
  connection: DuckDBConnection,
  reducing: (band: ReducedMonth['band']) => Statement,
  kept: PartialsPlan['kept'],
  plan: Pick<ScanPlan, 'compacted' | 'raw'>,
  window: Pick<TimeWindow, 'from' | 'to'>,
  checkpoint: () => void,
): Promise<ReducedMonth[]> => {
  const reduced: ReducedMonth[] = [];
  for (const { account, year, month, files: ofMonth } of monthsOf(plan.compacted)) {
    const days = ofMonth.flatMap((f) => Object.keys(f.unit.days)).sort();
    const [first, last] = [days[0] ?? '', days.at(-1) ?? ''];
    if (!isDay(first) || !isDay(last)) continue;
    // A day of the account read raw among the month's (its files changed since): its runs would
    // meet the band, and the answer would be made twice.
    if (plan.raw.some((f) => f.account === account && f.day >= first && f.day <= last)) continue;
    // The days the month's files hold, not the calendar's: the current month's file holds the
    // days compacted so far, and the days after, read raw, stay clear of its band.
    const start = dayStartMs(first) / 1000;
    const end = (dayStartMs(last) + DAY_MS) / 1000;
    // Within the window too: a burst the reduction takes together is then in the window whole (a
    // window that cut it would keep or leave it by its first event, where the one statement
    // counts the part it holds). A window that cuts the month's days reduces it within its own.
    const band = {
      start: Math.max(start + BAND_MARGIN_SECONDS, Date.parse(window.from) / 1000),
      end: Math.min(end - BAND_MARGIN_SECONDS, Date.parse(window.to) / 1000),
    };
    if (band.end <= band.start) continue;
    const statement = engineStatement(reducing(band));
    const digest = createHash('sha256')
      .update(JSON.stringify([statement, ofMonth.map((f) => path.relative(kept.storeDir, f.path)).sort()]))
      .digest('hex')
      .slice(0, 16);
    const target = path.join(
      kept.storeDir,
      PARTIALS_DIR,
      kept.digest,
      'reduced',
      account,
      year,
      month,
      `${digest}.parquet`,
    );
    if (!(await exists(target))) {
      checkpoint();
      try {
        await reduceMonth(connection, statement, kept, ofMonth, target);
      } catch (error) {
        // A stop stops; a month that cannot be reduced (a full disk) is read unreduced.
        checkpoint();
        logger.warn('partials not reduced', {
          account,
          month: `${year}/${month}`,
          error: (error as Error).message,
        });
        continue;
      }
    }
    reduced.push({ account, files: ofMonth, path: target, band });
  }
  return reduced;
};

/** Makes a month's reduced partials from its files' kept ones, and keeps them at `target`. */
const reduceMonth = async (
  connection: DuckDBConnection,
  statement: ReturnType<typeof engineStatement>,
  kept: PartialsPlan['kept'],
  files: readonly CompactedFile[],
  target: string,
): Promise<void> => {
  const dir = path.dirname(target);
  const aside = path.join(dir, `.making-${randomUUID()}.parquet`);
  try {
    await defineKeptPartials(connection, kept, files);
    await applySettings(connection, statement.settings);
    const prepared = await connection.prepare(
      `CREATE OR REPLACE TEMP TABLE ${TO_REDUCE} AS\n${statement.sql}`,
    );
    statement.parameters.forEach((value, i) => {
      prepared.bindVarchar(i + 1, value);
    });
    await prepared.run();
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await connection.run(`COPY ${TO_REDUCE} TO ${writeLiteral(aside)} (FORMAT parquet, COMPRESSION zstd)`);
    await chmod(aside, 0o600);
    await keep(aside, target);
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${TO_REDUCE}`).catch(() => undefined);
    await rm(aside, { force: true });
  }
};
