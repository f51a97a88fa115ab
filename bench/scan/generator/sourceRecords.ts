/**
 * The bundled real CloudTrail records (data/cloudtrail/<set>/AWSLogs/**.json.gz, all four sets),
 * loaded once per process and turned into templates: each record serialized once, split where
 * its eventTime, eventID, awsRegion and account ids go, so that writing a sampled copy is string
 * concatenation instead of a clone and a JSON.stringify per record.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export type JsonObject = { [key: string]: unknown };

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DATA_DIR = path.join(REPO_ROOT, 'data/cloudtrail');

export interface SourceRecord {
  readonly set: string;
  readonly record: JsonObject;
}

export type Hole = 'time' | 'id' | 'region' | 'account';

/** A record as text with holes: parts[0] hole[0] parts[1] ... parts[n]. */
export interface RecordTemplate {
  readonly parts: readonly string[];
  readonly holes: readonly Hole[];
}

export interface HoleValues {
  readonly time: string;
  readonly id: string;
  readonly region: string;
  readonly account: string;
}

/** The log files below `dir`: digests (CloudTrail-Digest/, since the sets carry theirs) are not logs. */
const listGz = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json.gz'))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => !file.split(path.sep).includes('CloudTrail-Digest'));

/** Every record of every set, in a fixed order (sets and files sorted by name) for determinism. */
export const loadSourceRecords = (dataDir: string = DATA_DIR): SourceRecord[] => {
  const out: SourceRecord[] = [];
  const sets = readdirSync(dataDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const set of sets) {
    for (const file of listGz(path.join(dataDir, set, 'AWSLogs')).sort()) {
      const { Records } = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as {
        Records: JsonObject[];
      };
      for (const record of Records) out.push({ set, record });
    }
  }
  if (out.length === 0) throw new Error(`no CloudTrail records under ${dataDir}`);
  return out;
};

const SENTINEL = /"__th_hole_(time|id|region|account)__"/;

/**
 * The template of one record. Only fields the record has are rewritten: the 2,600 old grycap
 * records without recipientAccountId keep lacking it, as real eventVersion 1.01 records do.
 */
export const toTemplate = (record: JsonObject): RecordTemplate => {
  const copy = structuredClone(record);
  copy.eventTime = '__th_hole_time__';
  copy.eventID = '__th_hole_id__';
  if ('awsRegion' in copy) copy.awsRegion = '__th_hole_region__';
  if (typeof copy.recipientAccountId === 'string') copy.recipientAccountId = '__th_hole_account__';
  const identity = copy.userIdentity as JsonObject | undefined;
  if (identity && typeof identity.accountId === 'string') identity.accountId = '__th_hole_account__';
  const pieces = JSON.stringify(copy).split(new RegExp(SENTINEL, 'g'));
  // split() with a capture group alternates text and captured hole names.
  return {
    parts: pieces.filter((_, i) => i % 2 === 0),
    holes: pieces.filter((_, i) => i % 2 === 1) as Hole[],
  };
};

export const fillTemplate = (template: RecordTemplate, values: HoleValues): string => {
  let out = template.parts[0] ?? '';
  for (let i = 0; i < template.holes.length; i += 1) {
    out += `"${values[template.holes[i] as Hole]}"${template.parts[i + 1] ?? ''}`;
  }
  return out;
};
