/**
 * Another team's attack and tampering events: the positive test events of Panther's CloudTrail rules
 * (tests/fixtures/panther-rule-tests, Apache License 2.0), laid out as a trail writes them to its
 * bucket. The changes made on the way are the README's, each for a reason CloudTrail itself gives: a record as Panther's tests hold it is not always a record as CloudTrail
 * writes it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RawRecord, writeTrail } from './cloudtrailData.js';

const PANTHER_RULE_TESTS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/panther-rule-tests',
);

/** Where an event comes from: a rule file of panther-labs/panther-analysis, and the test in it. */
interface PantherTest {
  readonly rule: string;
  readonly commit: string;
  readonly ruleId: string;
  readonly severity: string;
  readonly tactics: readonly string[];
  readonly test: string;
}

/** One event as the rules' tests hold it (several tests may share it), and the tests that do. */
export interface PantherEvent {
  readonly from: readonly PantherTest[];
  readonly record: RawRecord;
}

export const pantherEvents = async (): Promise<PantherEvent[]> =>
  (
    JSON.parse(await readFile(path.join(PANTHER_RULE_TESTS_DIR, 'events.json'), 'utf8')) as {
      events: PantherEvent[];
    }
  ).events;

/** The event id the trail gives the event at `index` (their own are missing or shared by tests). */
const pantherEventId = (index: number): string =>
  `7a000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`;

const CLOUDTRAIL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DATA_LAKE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})/;
const ACCOUNT = /^\d{12}$/;

/**
 * The record as CloudTrail would write it: its own event id; eventTime in CloudTrail's
 * `YYYY-MM-DDTHH:MM:SSZ` (the tests' data-lake `YYYY-MM-DD HH:MM:SS.fff` read as UTC; one that has
 * none gets 2024-01-01). Nothing else changes.
 */
const asTrailRecord = (record: RawRecord, index: number): RawRecord => {
  const out: RawRecord = { ...record, eventID: pantherEventId(index) };
  const time = String(record.eventTime ?? '');
  if (!CLOUDTRAIL_TIME.test(time)) {
    const parts = DATA_LAKE_TIME.exec(time);
    out.eventTime = parts ? `${parts[1]}T${parts[2]}Z` : '2024-01-01T00:00:00Z';
  }
  return out;
};

/**
 * The account folder a trail would write the record to: its own when it has 12 digits, as a real
 * one does; else 123456789012, the one most tests use.
 */
const accountOf = (record: RawRecord): string =>
  [record.recipientAccountId, record.userIdentity?.accountId].map(String).find((a) => ACCOUNT.test(a)) ??
  '123456789012';

/** A logs directory holding every event as a trail lays them out; the records as written. */
export const pantherTrailDir = async (
  events: readonly PantherEvent[],
): Promise<{ dir: string; records: RawRecord[] }> => {
  const records = events.map((e, i) => asTrailRecord(e.record, i));
  return {
    dir: await writeTrail(records.map((record) => ({ account: accountOf(record), record }))),
    records,
  };
};
