/**
 * The real CloudTrail records vendored under data/cloudtrail, read straight from the gzipped
 * files so that tests can work out expected answers independently of any SQL.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

export const DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data/cloudtrail');
/** Records written from AWS's published examples, for shapes no real set holds (see its README). */
const DOC_EXAMPLES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/aws-doc-examples',
);

const SETS = [
  'invictus-attack-simulation',
  'grycap-research-account',
  'stratus-detonations-pseudonymized',
  'otrf-cloudgoat-partial',
] as const;
export type DataSet = (typeof SETS)[number];

// biome-ignore lint/suspicious/noExplicitAny: raw CloudTrail records are free-form JSON
export type RawRecord = Record<string, any>;

/** Every .json.gz log file below `dir`, at any depth (digests, under CloudTrail-Digest, are not logs). */
export const logFilePaths = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() && e.name === 'CloudTrail-Digest'
      ? []
      : e.isDirectory()
        ? logFilePaths(path.join(dir, e.name))
        : e.name.endsWith('.json.gz')
          ? [path.join(dir, e.name)]
          : [],
  );

const cache = new Map<string, RawRecord[]>();

export const rawRecords = (set: DataSet): RawRecord[] => {
  let records = cache.get(set);
  if (!records) {
    records = logFilePaths(path.join(DATA_DIR, set)).flatMap(
      (f) => (JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')) as { Records: RawRecord[] }).Records,
    );
    cache.set(set, records);
  }
  return records;
};

export const allRawRecords = (): RawRecord[] => SETS.flatMap(rawRecords);

/** A record with where it was read: its file, and the account of the folder that holds it. */
export type LocatedRecord = RawRecord & { readonly folderAccount: string; readonly file: string };

/**
 * Every record the detection tests' server reads (the vendored sets, the AWS doc examples and the
 * records written for the detections), by event id.
 */
export const detectionRecordsById = (): Map<string, LocatedRecord> =>
  new Map(
    [DATA_DIR, DOC_EXAMPLES_DIR, DETECTION_EXAMPLES_DIR]
      .flatMap((dir) => logFilePaths(dir))
      .flatMap((file) =>
        (JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { Records: RawRecord[] }).Records.map(
          (r): LocatedRecord => ({
            ...r,
            file,
            folderAccount: /AWSLogs\/(?:o-[a-z0-9]+\/)?(\d{12})\//.exec(file)?.[1] ?? '',
          }),
        ),
      )
      .map((r) => [String(r.eventID), r]),
  );

/**
 * The compressed bytes of every vendored log file (all sets and the doc examples) in the day
 * folders from `firstDay` to `lastDay` (`YYYY/MM/DD`, both included), read from the disk.
 */
export const logBytesOfDays = (firstDay: string, lastDay: string): number =>
  [...SETS.map((set) => path.join(DATA_DIR, set)), DOC_EXAMPLES_DIR]
    .flatMap((dir) => logFilePaths(dir))
    .filter((file) => {
      const day = /\/CloudTrail\/[^/]+\/(\d{4}\/\d{2}\/\d{2})\//.exec(file)?.[1];
      return day !== undefined && day >= firstDay && day <= lastDay;
    })
    .reduce((sum, file) => sum + statSync(file).size, 0);

/** Records written for the detection tests, where no real set holds an example (see its README). */
export const DETECTION_EXAMPLES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/detection-examples',
);

/**
 * A logs directory holding every vendored set and the doc examples under one AWSLogs/, as one
 * bucket would; with `detectionExamples`, the detection tests' records too (May 2024).
 */
export const mergedLogsDir = async (options: { detectionExamples?: boolean } = {}): Promise<string> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-logs-'));
  const sources = [...SETS.map((set) => path.join(DATA_DIR, set)), DOC_EXAMPLES_DIR];
  if (options.detectionExamples) sources.push(DETECTION_EXAMPLES_DIR);
  for (const source of sources) {
    await cp(path.join(source, 'AWSLogs'), path.join(dir, 'AWSLogs'), { recursive: true });
  }
  return dir;
};

/**
 * A logs directory holding `records` as a trail lays them out: a gzipped log file per account
 * folder, region and day (of eventTime), under AWSLogs/. `account` is the folder's account.
 */
export const writeTrail = async (
  records: Iterable<{ readonly account: string; readonly record: RawRecord }>,
): Promise<string> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'trailhound-trail-'));
  const files = new Map<string, RawRecord[]>();
  for (const { account, record } of records) {
    const day = String(record.eventTime).slice(0, 10).replaceAll('-', '/');
    const key = `AWSLogs/${account}/CloudTrail/${record.awsRegion ?? 'us-east-1'}/${day}`;
    files.set(key, [...(files.get(key) ?? []), record]);
  }
  for (const [key, list] of files) {
    await mkdir(path.join(dir, key), { recursive: true });
    await writeFile(path.join(dir, key, 'trail.json.gz'), gzipSync(JSON.stringify({ Records: list })));
  }
  return dir;
};
