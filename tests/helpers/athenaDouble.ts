/**
 * A test double of Amazon Athena (and of the S3 bucket holding its results), built on
 * aws-sdk-client-mock, that behaves as Athena does where trailhound depends on it:
 * - StartQueryExecution substitutes ExecutionParameters into the `?` positions as literal text,
 *   exactly as given (a quoting bug in them changes the SQL), checks the workgroup, honours
 *   ClientRequestToken, and runs the resulting SQL text on DuckDB over the real log files,
 *   pruning files by the day/account/region partition predicates as partition projection does;
 * - GetQueryExecution walks QUEUED, RUNNING, then SUCCEEDED or FAILED, with statistics and
 *   AthenaError, and answers InvalidRequestException for an unknown id;
 * - GetQueryResults pages with an opaque NextToken, at most 1,000 rows, a header row first,
 *   every value as VarCharValue text (NULL as no value) and column types in the metadata;
 * - StopQueryExecution cancels; the result CSV is kept as an S3 object;
 * - the columnar copy: the store bucket (STORE_BUCKET) as S3 answers for it (objects with ETags,
 *   conditional PUTs refused with 412, listing, DeleteObjects), UNLOAD written as Parquet (zstd)
 *   under its destination: with `partitioned_by`, a file per partition under `name=value/`
 *   directories, the partition columns left out of the files, at most 100 partitions a query, and
 *   beside whatever the destination holds; without it, refused when the destination holds
 *   anything; and the `cloudtrail_parquet` table read from those files with partitions projected
 *   from their keys;
 * - at an organization's size, without a byte of real logs: a synthetic trail (accounts × regions
 *   × days of listed objects, `syntheticTrail`), whose UNLOADs write objects of the right keys and
 *   sizes, each taking `unloadMs` of a test's clock;
 * - what IAM would be asked: every call (`calls`) with its action, resource ARN and condition keys,
 *   and the function whose role makes it (awsCalls.ts): the calls made directly, and those Athena
 *   makes with the caller's credentials to run a query (Glue reads of the tables, S3 reads of the
 *   files, writes of the results and of UNLOAD's files, KMS for encrypted buckets). Results go
 *   where the template's workgroups put them: `athena/`, and `athena-compaction/` for a
 *   workgroup whose name ends in -compaction.
 */
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  AthenaClient,
  BatchGetQueryExecutionCommand,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  InvalidRequestException,
  ListQueryExecutionsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { sdkStreamMixin } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import type { Clock } from '../../src/lib/clock.js';
import { TRINO_MACROS, toDuckDbDialect } from '../../src/lib/engines/duckdb/trinoCompat.js';
import { toCsvLine } from '../../src/lib/results/csvFormat.js';
import { CLOUDTRAIL_FIELDS, columnName, PARQUET_TABLE_NAME } from '../../src/lib/schema/cloudtrailTable.js';
import { createCloudTrailViews } from '../../src/lib/store/duckdb/cloudtrailRelation.js';
import type { LogFile } from '../../src/lib/store/duckdb/logFiles.js';
import { type AwsCall, currentFunction, glueArns, s3Arn, workGroupArn } from './awsCalls.js';
import { logFilePaths } from './cloudtrailData.js';

const DOUBLE_REGION = 'us-east-1';
export const RESULTS_BUCKET = 'trailhound-results-test';
/** The trail's bucket: the log files, keyed as CloudTrail writes them (`AWSLogs/…`). */
export const LOG_BUCKET = 'trailhound-logs-test';
/** The columnar copy's bucket: Parquet under `cloudtrail/<day>/account=<a>/region=<r>/`, and the control objects. */
export const STORE_BUCKET = 'trailhound-store-test';

const invalid = (message: string) => new InvalidRequestException({ message, $metadata: {} });

/** Replaces each `?` outside string literals, quoted identifiers and comments by the next parameter's text. */
export const substituteParameters = (sql: string, parameters: readonly string[]): string => {
  let out = '';
  let next = 0;
  for (let i = 0; i < sql.length; i += 1) {
    const c = sql[i] as string;
    const skipTo = (end: string, from: number) => {
      const j = sql.indexOf(end, from);
      const stop = j === -1 ? sql.length : j + end.length;
      out += sql.slice(i, stop);
      i = stop - 1;
    };
    if (c === "'") {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j;
    } else if (c === '"') skipTo('"', i + 1);
    else if (c === '-' && sql[i + 1] === '-') skipTo('\n', i);
    else if (c === '/' && sql[i + 1] === '*') skipTo('*/', i + 2);
    else if (c === '?') {
      if (next >= parameters.length)
        throw invalid('Query has more parameters than ExecutionParameters given');
      out += parameters[next];
      next += 1;
    } else out += c;
  }
  if (next !== parameters.length)
    throw invalid('More ExecutionParameters given than the query has parameters');
  return out;
};

/** What a synthetic trail holds: `filesPerPartition` files of `bytesPerFile` each account, region and day. */
interface SyntheticTrail {
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  readonly days: readonly string[];
  readonly filesPerPartition: number;
  readonly bytesPerFile: number;
}

/** Where the synthetic trail's keys are said to be: no file there is ever read. */
const SYNTHETIC_DIR = '/synthetic-trail';

const syntheticFiles = (trail: SyntheticTrail): LogFile[] =>
  trail.days.flatMap((day) =>
    trail.accounts.flatMap((account) =>
      trail.regions.flatMap((region) =>
        Array.from({ length: trail.filesPerPartition }, (_, n) => ({
          path: `${SYNTHETIC_DIR}/AWSLogs/${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${day.replaceAll('/', '')}T0000Z_${n}.json.gz`,
          account,
          region,
          day,
          bytes: trail.bytesPerFile,
          modifiedMs: 0,
        })),
      ),
    ),
  );

const allLogFiles = (logsDir: string): LogFile[] => {
  return logFilePaths(path.join(logsDir, 'AWSLogs')).flatMap((file) => {
    const m = /\/(\d{12})\/CloudTrail\/([^/]+)\/(\d{4}\/\d{2}\/\d{2})\/[^/]+$/.exec(file);
    return m
      ? [
          {
            path: file,
            account: m[1] as string,
            region: m[2] as string,
            day: m[3] as string,
            bytes: statSync(file).size,
            modifiedMs: 0,
          },
        ]
      : [];
  });
};

/**
 * Partition projection: the files whose partitions the statement's predicates allow. The raw
 * table's window is its last `day BETWEEN` (a statement across the watermark names the compacted
 * range first), less the compacted range it excludes with `(day < … OR day > …)`.
 */
const prune = <T extends { account: string; region: string; day: string }>(files: T[], sql: string): T[] => {
  const ranges = [...sql.matchAll(/day BETWEEN '([^']*)' AND '([^']*)'/g)];
  const days = ranges.at(-1);
  const excluded = /\(day < '([^']*)' OR day > '([^']*)'\)/.exec(sql);
  const single = (column: string) => new RegExp(`\\b${column} = '([^']*)'`).exec(sql)?.[1];
  const list = (column: string) => {
    const m = new RegExp(`${column} IN \\(([^)]*)\\)`).exec(sql);
    if (m) return [...(m[1] as string).matchAll(/'([^']*)'/g)].map((x) => x[1]);
    const one = single(column);
    return one === undefined ? undefined : [one];
  };
  const accounts = list('account');
  const regions = list('region');
  const day = single('day');
  return files.filter(
    (f) =>
      (!days || (f.day >= (days[1] as string) && f.day <= (days[2] as string))) &&
      (!excluded || f.day < (excluded[1] as string) || f.day > (excluded[2] as string)) &&
      (day === undefined || f.day === day) &&
      (!accounts || accounts.includes(f.account)) &&
      (!regions || regions.includes(f.region)),
  );
};

/** The compacted range a statement across the watermark reads from the Parquet table. */
const parquetRange = (sql: string): [string, string] | undefined => {
  const m = new RegExp(`FROM ${PARQUET_TABLE_NAME}\\s+WHERE day BETWEEN '([^']*)' AND '([^']*)'`).exec(sql);
  return m ? [m[1] as string, m[2] as string] : undefined;
};

/** A store object's path: …/cloudtrail/YYYY/MM/DD/account=<a>/region=<r>/<file>, as a DuckDB literal. */
const STORE_KEY_PARTITIONS = String.raw`'/cloudtrail/(\d{4}/\d{2}/\d{2})/account=(\d{12})/region=([^/]+)/[^/]+$'`;
const STORE_KEY = /^cloudtrail\/(\d{4}\/\d{2}\/\d{2})\/account=(\d{12})\/region=([^/]+)\/[^/]+$/;
/** Athena's limit of partitions one UNLOAD (or CTAS, INSERT) writes. */
const MAX_UNLOAD_PARTITIONS = 100;

const UNLOAD = /^UNLOAD \(([\s\S]*)\)\s*TO '(s3:\/\/[^']+)'\s*WITH \(([^)]*)\)\s*$/;

/**
 * One ListObjectsV2 page as S3 answers it: keys in UTF-8 binary order under the prefix and after
 * StartAfter (a continuation token supersedes it), at most MaxKeys and `pageSize`, with an opaque
 * continuation token.
 */
const listPage = (
  objects: readonly { Key: string; Size: number }[],
  input: { Prefix?: string; MaxKeys?: number; ContinuationToken?: string; StartAfter?: string },
  pageSize: number,
) => {
  const after = input.ContinuationToken
    ? Buffer.from(input.ContinuationToken, 'base64url').toString('utf8')
    : (input.StartAfter ?? '');
  const keys = objects
    .filter((o) => o.Key.startsWith(input.Prefix ?? '') && o.Key > after)
    .sort((a, b) => Buffer.compare(Buffer.from(a.Key), Buffer.from(b.Key)));
  const size = Math.min(input.MaxKeys ?? 1000, pageSize);
  const page = keys.slice(0, size);
  const truncated = keys.length > size;
  return {
    Contents: page,
    KeyCount: page.length,
    IsTruncated: truncated,
    ...(truncated
      ? { NextContinuationToken: Buffer.from(page.at(-1)?.Key ?? '').toString('base64url') }
      : {}),
  };
};

/** A GetObject Body as the SDK gives it in Node: a stream with transformToString and friends. */
const sdkBody = (bytes: Buffer) => sdkStreamMixin(Readable.from([bytes]));

interface StoreObject {
  readonly body: Buffer | undefined;
  readonly size: number;
  readonly etag: string;
  /** Where a Parquet object's bytes are, for DuckDB to read. */
  readonly file?: string;
}

const ATHENA_TYPES: Record<string, string> = {
  VARCHAR: 'varchar',
  INTEGER: 'integer',
  BIGINT: 'bigint',
  BOOLEAN: 'boolean',
  DOUBLE: 'double',
};

type RunState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

interface Run {
  id: string;
  workGroup: string;
  /** The database the statement's tables are in (QueryExecutionContext). */
  database: string;
  sql: string;
  parameters: string[];
  submitted: Date;
  polls: number;
  /** The last state GetQueryExecution reported: what a client believes. */
  reported: string;
  cancelled: boolean;
  done: Promise<void>;
  bytes: number;
  columns: { Name: string; Type: string }[];
  rows: (string | null)[][];
  error?: string;
  completed?: Date;
  /** With a clock: when the run ends, in the clock's time. */
  endsAt?: number;
}

export interface AthenaDoubleOptions {
  /** The real trail the double serves, laid out as in a trail bucket: one of it or `syntheticTrail`. */
  readonly logsDir?: string;
  readonly syntheticTrail?: SyntheticTrail;
  readonly workGroup: string;
  /** Workgroups besides `workGroup` that exist (the compaction's). */
  readonly otherWorkGroups?: readonly string[];
  /** Keys per ListObjectsV2 page at most (S3's is 1,000): small, to make listings page. */
  readonly listPageSize?: number;
  /**
   * Time, for runs that take time: with a clock a run is RUNNING until `unloadMs` (an UNLOAD) or
   * `queryMs` (anything else, default 0) of it have passed. Without one, a run is QUEUED at its
   * first poll, RUNNING at its second, and ended at the third.
   */
  readonly clock?: Clock;
  readonly unloadMs?: number;
  readonly queryMs?: number;
  /** The KMS key the log and store buckets are encrypted with, as the template's `kmsKeyArn` makes them. */
  readonly kmsKeyArn?: string;
  /** Whether to record the calls IAM would be asked (default: yes; a synthetic trail's make millions). */
  readonly recordCalls?: boolean;
  /** The trail bucket's name (default LOG_BUCKET): the one its digests name, for integrity checks. */
  readonly logBucket?: string;
}

/** A real trail's digests (CloudTrail-Digest/…json.gz), as keys of the bucket. */
const digestKeys = (logsDir: string): { Key: string; Size: number }[] => {
  const root = path.join(logsDir, 'AWSLogs');
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter(
      (e) =>
        e.isFile() &&
        e.name.endsWith('.json.gz') &&
        e.parentPath.includes(`${path.sep}CloudTrail-Digest${path.sep}`),
    )
    .map((e) => {
      const file = path.join(e.parentPath, e.name);
      return { Key: path.relative(logsDir, file).split(path.sep).join('/'), Size: statSync(file).size };
    });
};

/** Where a workgroup's results go, as the template configures its two. */
const resultsPrefix = (workGroup: string) =>
  workGroup.endsWith('-compaction') ? 'athena-compaction/' : 'athena/';

export class AthenaDouble {
  readonly athena = new AthenaClient({ region: DOUBLE_REGION });
  readonly s3 = new S3Client({
    region: DOUBLE_REGION,
    credentials: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
  });
  readonly athenaMock = mockClient(this.athena);
  /** S3 as far as the engine calls it: result objects, and listing the log bucket. */
  readonly s3Mock = mockClient(this.s3);
  /** The results bucket: key to CSV text. */
  readonly objects = new Map<string, string>();
  /** The store bucket: key to object. */
  readonly store = new Map<string, StoreObject>();
  /** Every call IAM would be asked to allow, in order (see the module's header). */
  readonly calls: AwsCall[] = [];
  readonly #storeDir = mkdtempSync(path.join(tmpdir(), 'trailhound-athena-store-'));
  readonly #runs = new Map<string, Run>();
  readonly #tokens = new Map<string, string>();
  readonly #files: LogFile[];
  /** The log bucket's objects in key order, listed without sorting them at every call. */
  readonly #logObjects: { Key: string; Size: number }[];
  readonly #logKeys: Set<string>;
  readonly logBucket: string;
  readonly #logsDir: string;
  readonly #instance: Promise<DuckDBInstance>;

  constructor(readonly options: AthenaDoubleOptions) {
    this.#logsDir = options.syntheticTrail ? SYNTHETIC_DIR : (options.logsDir ?? '');
    this.#files = options.syntheticTrail
      ? syntheticFiles(options.syntheticTrail)
      : allLogFiles(this.#logsDir);
    this.logBucket = options.logBucket ?? LOG_BUCKET;
    this.#logObjects = [
      ...this.#files.map((f) => ({
        Key: path.relative(this.#logsDir, f.path).split(path.sep).join('/'),
        Size: f.bytes,
      })),
      ...(options.syntheticTrail ? [] : digestKeys(this.#logsDir)),
    ].sort((a, b) => Buffer.compare(Buffer.from(a.Key), Buffer.from(b.Key)));
    this.#logKeys = new Set(this.#logObjects.map((o) => o.Key));
    this.#instance = DuckDBInstance.create(':memory:').then(async (instance) => {
      const setup = await instance.connect();
      for (const macro of TRINO_MACROS) await setup.run(macro);
      setup.closeSync();
      return instance;
    });
    this.athenaMock.on(StartQueryExecutionCommand).callsFake(async (input) => this.#start(input));
    this.athenaMock
      .on(GetQueryExecutionCommand)
      .callsFake(async (input) => this.#get(input.QueryExecutionId));
    this.athenaMock.on(GetQueryResultsCommand).callsFake(async (input) => this.#results(input));
    this.athenaMock.on(ListQueryExecutionsCommand).callsFake(async (input) => this.#listIds(input));
    this.athenaMock
      .on(BatchGetQueryExecutionCommand)
      .callsFake(async (input) => this.#batchGet(input.QueryExecutionIds ?? []));
    this.athenaMock
      .on(StopQueryExecutionCommand)
      .callsFake(async (input) => this.#stop(input.QueryExecutionId));
    this.#mockS3();
    this.#recordSent();
  }

  #record(action: string, resource: string, context?: Record<string, string>) {
    if (this.options.recordCalls === false) return;
    this.calls.push({ fn: currentFunction(), action, resource, ...(context ? { context } : {}) });
  }

  /** KMS for an object of a bucket the template encrypts with the logs' key (the log and store buckets). */
  #recordKms(bucket: string, action: 'kms:Decrypt' | 'kms:GenerateDataKey') {
    const { kmsKeyArn } = this.options;
    if (kmsKeyArn && (bucket === this.logBucket || bucket === STORE_BUCKET)) this.#record(action, kmsKeyArn);
  }

  #recordObject(action: 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject', bucket: string, key: string) {
    this.#record(action, s3Arn(bucket, key));
    if (action !== 's3:DeleteObject')
      this.#recordKms(bucket, action === 's3:GetObject' ? 'kms:Decrypt' : 'kms:GenerateDataKey');
  }

  /** Records what IAM is asked for each command sent, before the mock answers it. */
  #recordSent() {
    const workGroupOf = (id: string | undefined) =>
      this.#runs.get(id ?? '')?.workGroup ?? this.options.workGroup;
    const athenaSend = this.athena.send.bind(this.athena);
    this.athena.send = ((
      command: { constructor: { name: string }; input: Record<string, never> },
      ...rest: never[]
    ) => {
      const name = command.constructor.name.replace(/Command$/, '');
      const { input } = command;
      const workGroups =
        name === 'StartQueryExecution' || name === 'ListQueryExecutions'
          ? [input.WorkGroup ?? 'primary']
          : name === 'BatchGetQueryExecution'
            ? [...new Set((input.QueryExecutionIds as string[] | undefined)?.map(workGroupOf) ?? [])]
            : [workGroupOf(input.QueryExecutionId)];
      for (const workGroup of workGroups) this.#record(`athena:${name}`, workGroupArn(workGroup));
      return athenaSend(command as never, ...rest);
    }) as typeof this.athena.send;
    const s3Send = this.s3.send.bind(this.s3);
    this.s3.send = ((
      command: { constructor: { name: string }; input: Record<string, never> },
      ...rest: never[]
    ) => {
      const name = command.constructor.name.replace(/Command$/, '');
      const { Bucket: bucket = '', Key: key = '' } = command.input as { Bucket?: string; Key?: string };
      switch (name) {
        case 'ListObjectsV2':
          this.#record('s3:ListBucket', s3Arn(bucket), {
            's3:prefix': (command.input as { Prefix?: string }).Prefix ?? '',
          });
          break;
        case 'GetObject':
        case 'HeadObject':
          this.#recordObject('s3:GetObject', bucket, key);
          break;
        case 'PutObject':
        case 'CreateMultipartUpload':
        case 'UploadPart':
        case 'CompleteMultipartUpload':
          this.#recordObject('s3:PutObject', bucket, key);
          break;
        case 'AbortMultipartUpload':
          this.#record('s3:AbortMultipartUpload', s3Arn(bucket, key));
          break;
        case 'DeleteObject':
          this.#recordObject('s3:DeleteObject', bucket, key);
          break;
        case 'DeleteObjects':
          for (const o of (command.input as { Delete?: { Objects?: { Key?: string }[] } }).Delete?.Objects ??
            []) {
            this.#recordObject('s3:DeleteObject', bucket, o.Key ?? '');
          }
          break;
        default:
          throw new Error(`The double does not know what IAM asks for ${name}`);
      }
      return s3Send(command as never, ...rest);
    }) as typeof this.s3.send;
  }

  #logKey(file: LogFile): string {
    return path.relative(this.#logsDir, file.path).split(path.sep).join('/');
  }

  #resultKey(run: Run): string {
    return `${resultsPrefix(run.workGroup)}${run.id}.csv`;
  }

  /** The result file and its metadata, written by Athena with the caller's credentials. */
  #writeResult(run: Run, csv: string) {
    const key = this.#resultKey(run);
    this.#record('s3:GetBucketLocation', s3Arn(RESULTS_BUCKET));
    this.#recordObject('s3:PutObject', RESULTS_BUCKET, key);
    this.#recordObject('s3:PutObject', RESULTS_BUCKET, `${key}.metadata`);
    // The compaction's workgroup encrypts what it writes with the logs' key (deploy/resources/store.yml).
    if (this.options.kmsKeyArn && key.startsWith('athena-compaction/')) {
      this.#record('kms:GenerateDataKey', this.options.kmsKeyArn);
    }
    this.objects.set(key, csv);
  }

  /** What Athena is allowed to read a table by: the catalog, the database and the table (Glue's IAM reference). */
  #recordTableRead(database: string, table: string) {
    const [catalog, db] = glueArns(database, table);
    for (const arn of [catalog, db] as string[]) this.#record('glue:GetDatabase', arn);
    for (const arn of glueArns(database, table)) this.#record('glue:GetTable', arn);
  }

  /** Athena reading files of a bucket: where the bucket is, a listing of each prefix, each object. */
  #recordFilesRead(bucket: string, keys: readonly string[]) {
    if (keys.length === 0) return;
    this.#record('s3:GetBucketLocation', s3Arn(bucket));
    for (const prefix of new Set(keys.map((k) => k.slice(0, k.lastIndexOf('/') + 1)))) {
      this.#record('s3:ListBucket', s3Arn(bucket), { 's3:prefix': prefix });
    }
    for (const key of keys) this.#recordObject('s3:GetObject', bucket, key);
  }

  /** The results bucket as S3 answers: HEAD and GET of an object, PUT of a whole one or in parts. */
  #mockS3() {
    const notFound = () =>
      Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });
    const known = (input: { Bucket?: string; Key?: string }) =>
      input.Bucket === RESULTS_BUCKET ? this.objects.get(input.Key ?? '') : undefined;
    const parts = new Map<string, Map<number, string>>();
    const text = async (body: unknown) =>
      typeof body === 'string' ? body : Buffer.from(body as Uint8Array).toString('utf8');
    this.s3Mock
      .on(ListObjectsV2Command)
      .callsFake(async (input) =>
        input.Bucket === STORE_BUCKET ? this.#listStore(input) : this.#list(input),
      );
    this.s3Mock.on(DeleteObjectCommand).callsFake(async (input) => {
      if (input.Bucket !== STORE_BUCKET) throw notFound();
      const object = this.store.get(input.Key ?? '');
      if (object?.file) rmSync(object.file, { force: true });
      this.store.delete(input.Key ?? '');
      return {};
    });
    this.s3Mock.on(DeleteObjectsCommand).callsFake(async (input) => {
      if (input.Bucket !== STORE_BUCKET) throw notFound();
      for (const { Key } of input.Delete?.Objects ?? []) {
        const object = this.store.get(Key ?? '');
        if (object?.file) rmSync(object.file, { force: true });
        this.store.delete(Key ?? '');
      }
      return { Deleted: input.Delete?.Objects ?? [] };
    });
    /** A log file or digest of a real trail, as the bucket holds it. */
    const logFile = (input: { Bucket?: string; Key?: string }) =>
      input.Bucket === this.logBucket && this.#logKeys.has(input.Key ?? '') && !this.options.syntheticTrail
        ? path.join(this.#logsDir, input.Key ?? '')
        : undefined;
    this.s3Mock.on(HeadObjectCommand).callsFake(async (input) => {
      const file = logFile(input);
      if (file) {
        // A digest's signature is its object metadata (saved beside it on disk as .metadata.json).
        const metadata = existsSync(`${file}.metadata.json`)
          ? (JSON.parse(readFileSync(`${file}.metadata.json`, 'utf8')) as Record<string, string>)
          : undefined;
        return { ContentLength: statSync(file).size, ...(metadata ? { Metadata: metadata } : {}) };
      }
      const body = known(input);
      if (body === undefined) throw notFound();
      return { ContentLength: Buffer.byteLength(body) };
    });
    this.s3Mock.on(GetObjectCommand).callsFake(async (input) => {
      if (input.Bucket === STORE_BUCKET) {
        const object = this.store.get(input.Key ?? '');
        if (!object?.body) throw Object.assign(notFound(), { name: 'NoSuchKey' });
        return { Body: sdkBody(object.body), ETag: object.etag };
      }
      const file = logFile(input);
      if (file) return { Body: sdkBody(readFileSync(file)) };
      const body = known(input);
      if (body === undefined) throw Object.assign(notFound(), { name: 'NoSuchKey' });
      // In Node the SDK's Body is a Readable with the SDK's helpers mixed in.
      return { Body: sdkBody(Buffer.from(body)) };
    });
    this.s3Mock.on(PutObjectCommand).callsFake(async (input) => {
      if (input.Bucket === STORE_BUCKET) {
        const current = this.store.get(input.Key ?? '');
        // S3's conditional writes: If-None-Match '*' only where there is nothing, If-Match only
        // on the ETag the object has now.
        if ((input.IfNoneMatch === '*' && current) || (input.IfMatch && input.IfMatch !== current?.etag)) {
          throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
            name: 'PreconditionFailed',
            $metadata: { httpStatusCode: 412 },
          });
        }
        const body = Buffer.from(await text(input.Body));
        const etag = `"${randomUUID()}"`;
        this.store.set(input.Key ?? '', { body, size: body.length, etag });
        return { ETag: etag };
      }
      this.objects.set(input.Key ?? '', await text(input.Body));
      return {};
    });
    this.s3Mock.on(CreateMultipartUploadCommand).callsFake(async () => {
      const id = randomUUID();
      parts.set(id, new Map());
      return { UploadId: id };
    });
    this.s3Mock.on(UploadPartCommand).callsFake(async (input) => {
      parts.get(input.UploadId ?? '')?.set(input.PartNumber ?? 0, await text(input.Body));
      return { ETag: `"${input.PartNumber}"` };
    });
    this.s3Mock.on(CompleteMultipartUploadCommand).callsFake(async (input) => {
      const uploaded = parts.get(input.UploadId ?? '') ?? new Map<number, string>();
      this.objects.set(
        input.Key ?? '',
        [...uploaded.entries()]
          .sort(([a], [b]) => a - b)
          .map(([, part]) => part)
          .join(''),
      );
      return {};
    });
  }

  /** The trail bucket's accounts and regions, as the template projects them. */
  logLocation(): { accounts: string[]; regions: string[] } {
    return {
      accounts: [...new Set(this.#files.map((f) => f.account))].sort(),
      regions: [...new Set(this.#files.map((f) => f.region))].sort(),
    };
  }

  /**
   * ListObjectsV2 as S3 answers it over the log bucket: keys in UTF-8 binary order under the
   * prefix and after StartAfter, at most MaxKeys (and the page size) a page, an opaque continuation token.
   */
  #list(input: {
    Bucket?: string;
    Prefix?: string;
    MaxKeys?: number;
    ContinuationToken?: string;
    StartAfter?: string;
  }) {
    if (input.Bucket !== this.logBucket) {
      throw Object.assign(new Error('The specified bucket does not exist'), {
        name: 'NoSuchBucket',
        $metadata: { httpStatusCode: 404 },
      });
    }
    return listPage(this.#logObjects, input, this.options.listPageSize ?? 1000);
  }

  /** ListObjectsV2 over the store bucket, in key order, 1,000 a page. */
  #listStore(input: { Prefix?: string; MaxKeys?: number; ContinuationToken?: string; StartAfter?: string }) {
    return listPage(
      [...this.store.entries()].map(([Key, o]) => ({ Key, Size: o.size })),
      input,
      1000,
    );
  }

  /** The Parquet objects of the store, as partitions of the columnar table. */
  #parquetFiles() {
    return [...this.store.entries()].flatMap(([key, o]) => {
      const m = STORE_KEY.exec(key);
      return m && o.file
        ? [
            {
              key,
              file: o.file,
              bytes: o.size,
              day: m[1] as string,
              account: m[2] as string,
              region: m[3] as string,
            },
          ]
        : [];
    });
  }

  /** Where an UNLOAD writes, checked as Athena and S3 would: the store bucket, a prefix ending in '/'. */
  #destination(sql: string) {
    const [, select, destination, options] = UNLOAD.exec(sql) as RegExpExecArray;
    if (!/format\s*=\s*'PARQUET'/i.test(options as string))
      throw new Error('the double unloads Parquet only');
    const location = /^s3:\/\/([^/]+)\/(.+\/)$/.exec(destination as string);
    if (!location || location[1] !== STORE_BUCKET) throw new Error(`Access Denied writing ${destination}`);
    const prefix = location[2] as string;
    const partitionedBy = /partitioned_by\s*=\s*ARRAY\[([^\]]*)\]/i.exec(options as string);
    const partitions = partitionedBy
      ? [...(partitionedBy[1] as string).matchAll(/'([^']+)'/g)].map((m) => m[1] as string)
      : [];
    // Only an UNLOAD that writes partitions may write where something already is.
    if (partitions.length === 0 && [...this.store.keys()].some((key) => key.startsWith(prefix))) {
      throw new Error(`HIVE_PATH_ALREADY_EXISTS: Target directory for table already exists: ${destination}`);
    }
    return { select: select as string, prefix, partitions };
  }

  #putStoreFile(key: string, file: string) {
    this.#recordObject('s3:PutObject', STORE_BUCKET, key);
    this.store.set(key, { body: undefined, size: statSync(file).size, etag: `"${randomUUID()}"`, file });
  }

  /** UNLOAD: the SELECT written as Parquet under its destination in the store bucket. */
  async #unload(run: Run, connection: DuckDBConnection, sql: string) {
    const { select, prefix, partitions } = this.#destination(sql);
    const query = toDuckDbDialect(select);
    run.columns = [];
    run.rows = [];
    // UNLOAD looks at its destination, and writes its manifest beside the workgroup's results.
    this.#record('s3:ListBucket', s3Arn(STORE_BUCKET), { 's3:prefix': prefix });
    this.#writeResult(run, '');
    if (partitions.length === 0) {
      const dir = path.join(this.#storeDir, prefix);
      mkdirSync(dir, { recursive: true });
      const name = `${randomUUID()}.parquet`;
      await connection.run(
        `COPY (${query}) TO '${path.join(dir, name).replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`,
      );
      this.#putStoreFile(`${prefix}${name}`, path.join(dir, name));
      return;
    }
    const columns = partitions.join(', ');
    const counted = await connection.runAndReadAll(
      `SELECT count(*) FROM (SELECT DISTINCT ${columns} FROM (${query}))`,
    );
    if (Number(counted.getRows()[0]?.[0]) > MAX_UNLOAD_PARTITIONS) {
      throw new Error(
        `HIVE_TOO_MANY_OPEN_PARTITIONS: Exceeded limit of ${MAX_UNLOAD_PARTITIONS} open writers for partitions/buckets`,
      );
    }
    // DuckDB writes Hive-style directories of its own; each file then takes a name of the UNLOAD's.
    const scratch = mkdtempSync(path.join(this.#storeDir, 'unload-'));
    await connection.run(
      `COPY (${query}) TO '${scratch.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (${columns}))`,
    );
    for (const file of readdirSync(scratch, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.parquet')) continue;
      const key = `${prefix}${path.dirname(file).split(path.sep).join('/')}/${randomUUID()}`;
      const target = path.join(this.#storeDir, key);
      mkdirSync(path.dirname(target), { recursive: true });
      renameSync(path.join(scratch, file), target);
      this.#putStoreFile(key, target);
    }
    rmSync(scratch, { recursive: true, force: true });
  }

  /**
   * UNLOAD over the synthetic trail: an object per partition the SELECT reads (a third of its raw
   * bytes, about what Parquet takes), under the same keys as a real one, and the same limit.
   */
  #syntheticUnload(run: Run, sql: string) {
    const { prefix, partitions } = this.#destination(sql);
    if (partitions.join() !== 'account,region')
      throw new Error('the synthetic trail unloads by account and region');
    const read = prune(this.#files, sql);
    const byPartition = new Map<string, LogFile[]>();
    for (const f of read) {
      const partition = `account=${f.account}/region=${f.region}`;
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), f]);
    }
    if (byPartition.size > MAX_UNLOAD_PARTITIONS) {
      throw new Error(
        `HIVE_TOO_MANY_OPEN_PARTITIONS: Exceeded limit of ${MAX_UNLOAD_PARTITIONS} open writers for partitions/buckets`,
      );
    }
    this.#recordTableRead(run.database, 'cloudtrail_logs');
    this.#recordFilesRead(
      this.logBucket,
      read.map((f) => this.#logKey(f)),
    );
    for (const [partition, files] of byPartition) {
      const size = Math.round(files.reduce((sum, f) => sum + f.bytes, 0) / 3);
      const key = `${prefix}${partition}/${randomUUID()}`;
      this.#recordObject('s3:PutObject', STORE_BUCKET, key);
      this.store.set(key, { body: undefined, size, etag: `"${randomUUID()}"` });
    }
    run.bytes = read.reduce((sum, f) => sum + f.bytes, 0);
    run.columns = [];
    run.rows = [];
  }

  async #start(input: {
    QueryString?: string;
    ExecutionParameters?: string[];
    WorkGroup?: string;
    ClientRequestToken?: string;
    QueryExecutionContext?: { Database?: string };
  }) {
    if (![this.options.workGroup, ...(this.options.otherWorkGroups ?? [])].includes(input.WorkGroup ?? ''))
      throw invalid(`WorkGroup ${input.WorkGroup} is not found`);
    if (input.ClientRequestToken) {
      const known = this.#tokens.get(input.ClientRequestToken);
      const first = known ? this.#runs.get(known) : undefined;
      // Athena: "An error is returned if a parameter, such as QueryString, has changed."
      if (
        first &&
        (first.sql !== input.QueryString ||
          first.parameters.join('\n') !== (input.ExecutionParameters ?? []).join('\n'))
      ) {
        throw invalid(
          'Idempotent parameters do not match the request that first used this ClientRequestToken',
        );
      }
      if (known) return { QueryExecutionId: known };
    }
    for (const p of input.ExecutionParameters ?? []) {
      if (p.length < 1 || p.length > 1024)
        throw invalid('ExecutionParameters members must be 1 to 1024 characters');
    }
    const sql = substituteParameters(input.QueryString ?? '', input.ExecutionParameters ?? []);
    const run: Run = {
      id: randomUUID(),
      workGroup: input.WorkGroup as string,
      database: input.QueryExecutionContext?.Database ?? 'default',
      sql: input.QueryString ?? '',
      parameters: input.ExecutionParameters ?? [],
      submitted: new Date(),
      polls: 0,
      reported: 'QUEUED',
      cancelled: false,
      done: Promise.resolve(),
      bytes: 0,
      columns: [],
      rows: [],
    };
    const { clock } = this.options;
    if (clock) {
      run.endsAt =
        clock.now() + (UNLOAD.test(sql) ? (this.options.unloadMs ?? 0) : (this.options.queryMs ?? 0));
    }
    run.done = this.#execute(run, sql);
    this.#runs.set(run.id, run);
    if (input.ClientRequestToken) this.#tokens.set(input.ClientRequestToken, run.id);
    return { QueryExecutionId: run.id };
  }

  async #execute(run: Run, sql: string) {
    if (this.options.syntheticTrail) {
      try {
        if (!UNLOAD.test(sql)) throw new Error('the synthetic trail answers UNLOADs only');
        this.#syntheticUnload(run, sql);
      } catch (error) {
        run.error = (error as Error).message;
      }
      run.completed = new Date();
      return;
    }
    const compacted = parquetRange(sql);
    const files = prune(this.#files, compacted ? sql.slice(sql.indexOf('UNION ALL')) : sql);
    const rawFiles = compacted && !sql.includes('FROM cloudtrail_logs') ? [] : files;
    const parquet = compacted
      ? prune(this.#parquetFiles(), sql.split('UNION ALL')[0] as string).filter(
          (f) => f.day >= compacted[0] && f.day <= compacted[1],
        )
      : [];
    run.bytes = [...rawFiles, ...parquet].reduce((sum, f) => sum + f.bytes, 0);
    // What Athena asks IAM for, with the caller's credentials, to read what the statement reads.
    if (sql.includes('FROM cloudtrail_logs') || !compacted) {
      this.#recordTableRead(run.database, 'cloudtrail_logs');
      this.#recordFilesRead(
        this.logBucket,
        rawFiles.map((f) => this.#logKey(f)),
      );
    }
    if (compacted) {
      this.#recordTableRead(run.database, PARQUET_TABLE_NAME);
      this.#recordFilesRead(
        STORE_BUCKET,
        parquet.map((f) => f.key),
      );
    }
    const connection = await (await this.#instance).connect();
    try {
      // Athena reads the raw table; a generous object buffer stands in for its JSON reader.
      for (const view of createCloudTrailViews({
        json: { paths: rawFiles.map((f) => f.path), objectBytes: 1 << 26 },
        parquet: { days: { first: '', last: '' }, files: [] },
      })) {
        await connection.run(view);
      }
      // The columnar table: the store's Parquet, its partitions projected from the keys.
      await connection.run(
        parquet.length > 0
          ? `CREATE OR REPLACE TEMP VIEW ${PARQUET_TABLE_NAME} AS SELECT ${CLOUDTRAIL_FIELDS.map(columnName).join(', ')},
               regexp_extract(filename, ${STORE_KEY_PARTITIONS}, 2) AS account,
               regexp_extract(filename, ${STORE_KEY_PARTITIONS}, 3) AS region,
               regexp_extract(filename, ${STORE_KEY_PARTITIONS}, 1) AS day
             FROM read_parquet([${parquet.map((f) => `'${f.file.replaceAll("'", "''")}'`).join(', ')}], filename = true)`
          : `CREATE OR REPLACE TEMP VIEW ${PARQUET_TABLE_NAME} AS SELECT * FROM cloudtrail_logs WHERE false`,
      );
      if (UNLOAD.test(sql)) {
        await this.#unload(run, connection, sql);
        return;
      }
      const reader = await connection.runAndReadAll(toDuckDbDialect(sql));
      run.columns = reader.columnNames().map((name, i) => ({
        Name: name,
        Type: ATHENA_TYPES[String(reader.columnTypes()[i])] ?? 'varchar',
      }));
      run.rows = reader.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
      this.#writeResult(run, [run.columns.map((c) => c.Name), ...run.rows].map(toCsvLine).join(''));
    } catch (error) {
      run.error = (error as Error).message;
    } finally {
      connection.closeSync();
      run.completed = new Date();
    }
  }

  #find(id: string | undefined): Run {
    const run = id ? this.#runs.get(id) : undefined;
    if (!run) throw invalid(`QueryExecution ${id} was not found`);
    return run;
  }

  #state(run: Run): RunState {
    if (run.cancelled) return 'CANCELLED';
    if (run.endsAt !== undefined && this.options.clock) {
      if (this.options.clock.now() < run.endsAt) return 'RUNNING';
      return run.error ? 'FAILED' : 'SUCCEEDED';
    }
    if (run.polls === 0) return 'QUEUED';
    if (run.polls === 1) return 'RUNNING';
    return run.error ? 'FAILED' : 'SUCCEEDED';
  }

  async #get(id: string | undefined): Promise<{ QueryExecution: QueryExecution }> {
    const run = this.#find(id);
    if (run.polls >= 1 || run.endsAt !== undefined) await run.done;
    const state = this.#state(run);
    run.polls += 1;
    run.reported = state;
    return { QueryExecution: this.#described(run, state) };
  }

  /**
   * ListQueryExecutions: the workgroup's execution ids, newest first, at most MaxResults (0 to 50)
   * a page, with an opaque NextToken.
   */
  #listIds(input: { WorkGroup?: string; MaxResults?: number; NextToken?: string }) {
    const max = input.MaxResults ?? 50;
    if (max < 0 || max > 50) throw invalid('MaxResults must be between 0 and 50');
    const ids = [...this.#runs.values()]
      .filter((run) => run.workGroup === (input.WorkGroup ?? 'primary'))
      .reverse()
      .map((run) => run.id);
    const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64url').toString()) : 0;
    if (!Number.isSafeInteger(start)) throw invalid('Invalid NextToken');
    const page = ids.slice(start, start + max);
    const next =
      start + max < ids.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
    return { QueryExecutionIds: page, ...(next ? { NextToken: next } : {}) };
  }

  /** BatchGetQueryExecution: 1 to 50 ids, each as GetQueryExecution describes it, without polling it. */
  #batchGet(ids: readonly string[]) {
    if (ids.length < 1 || ids.length > 50) throw invalid('QueryExecutionIds must hold 1 to 50 ids');
    const known = ids.flatMap((id) => this.#runs.get(id) ?? []);
    return {
      QueryExecutions: known.map((run) => this.#described(run, run.reported as RunState)),
      UnprocessedQueryExecutionIds: ids
        .filter((id) => !this.#runs.has(id))
        .map((id) => ({ QueryExecutionId: id, ErrorCode: 'InvalidRequestException' })),
    };
  }

  #described(run: Run, state: RunState): QueryExecution {
    const ended = state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED';
    return {
      QueryExecutionId: run.id,
      Query: run.sql,
      StatementType: 'DML',
      WorkGroup: run.workGroup,
      ExecutionParameters: run.parameters,
      ResultConfiguration: { OutputLocation: `s3://${RESULTS_BUCKET}/${this.#resultKey(run)}` },
      Status: {
        State: state,
        SubmissionDateTime: run.submitted,
        ...(ended ? { CompletionDateTime: run.completed ?? new Date() } : {}),
        ...(state === 'FAILED'
          ? {
              StateChangeReason: run.error,
              AthenaError: { ErrorCategory: 2, ErrorType: 1006, Retryable: false, ErrorMessage: run.error },
            }
          : {}),
      },
      Statistics: {
        DataScannedInBytes: state === 'SUCCEEDED' ? run.bytes : 0,
        EngineExecutionTimeInMillis: ended ? 42 : 0,
        QueryQueueTimeInMillis: 3,
      },
    };
  }

  async #results(input: { QueryExecutionId?: string; MaxResults?: number; NextToken?: string }) {
    const run = this.#find(input.QueryExecutionId);
    if (this.#state(run) !== 'SUCCEEDED')
      throw invalid(`Query has not yet finished. Current state: ${this.#state(run)}`);
    // Athena reads the result file with the caller's credentials.
    this.#recordObject('s3:GetObject', RESULTS_BUCKET, this.#resultKey(run));
    const max = input.MaxResults ?? 1000;
    if (max < 1 || max > 1000) throw invalid('MaxResults must be between 1 and 1000');
    let offset = 0;
    if (input.NextToken) {
      const decoded = /^([0-9a-f-]{36}):(\d+)$/.exec(Buffer.from(input.NextToken, 'base64').toString());
      if (!decoded || decoded[1] !== run.id) throw invalid('The NextToken is not valid');
      offset = Number(decoded[2]);
    }
    const all = [run.columns.map((c) => c.Name), ...run.rows];
    const page = all.slice(offset, offset + max);
    const next = offset + page.length;
    return {
      ResultSet: {
        Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        ResultSetMetadata: {
          ColumnInfo: run.columns.map((c) => ({
            Name: c.Name,
            Label: c.Name,
            Type: c.Type,
            Nullable: 'UNKNOWN' as const,
          })),
        },
      },
      ...(next < all.length ? { NextToken: Buffer.from(`${run.id}:${next}`).toString('base64') } : {}),
    };
  }

  async #stop(id: string | undefined) {
    const run = this.#find(id);
    // A query the client last saw running is one Athena would still be running.
    if (run.reported === 'QUEUED' || run.reported === 'RUNNING') run.cancelled = true;
    return {};
  }

  /**
   * What S3 answers a presigned GET of a result object: the object, with the response-* overrides
   * the link asked for, if the link names our bucket, is signed and has not expired.
   */
  download(url: string): Response {
    const link = new URL(url);
    const bucket = link.hostname.split('.')[0];
    const key = decodeURIComponent(link.pathname.slice(1));
    // A presigned GET acts with the rights of the role that signed it: getCsv's, the one that presigns.
    if (bucket) this.calls.push({ fn: 'getCsv', action: 's3:GetObject', resource: s3Arn(bucket, key) });
    const signedAt = link.searchParams.get('X-Amz-Date') ?? '';
    const expires = Number(link.searchParams.get('X-Amz-Expires'));
    const signedMs = Date.parse(
      signedAt.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    const body = this.objects.get(key);
    if (bucket !== RESULTS_BUCKET || !link.searchParams.get('X-Amz-Signature') || body === undefined) {
      return new Response('<Error><Code>AccessDenied</Code></Error>', { status: 403 });
    }
    if (!(signedMs + expires * 1000 > Date.now()))
      return new Response('<Error><Code>AccessDenied</Code></Error>', { status: 403 });
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': link.searchParams.get('response-content-type') ?? 'binary/octet-stream',
        ...(link.searchParams.get('response-content-disposition')
          ? { 'content-disposition': link.searchParams.get('response-content-disposition') as string }
          : {}),
      },
    });
  }

  async close() {
    (await this.#instance).closeSync();
    rmSync(this.#storeDir, { recursive: true, force: true });
    this.athenaMock.restore();
    this.s3Mock.restore();
  }
}
