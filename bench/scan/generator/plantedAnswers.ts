/**
 * What the four bench questions must answer over the whole generated window, derived from the
 * planted records themselves, in the order the API returns rows. Written to <out>/planted.json so
 * that any side (jq, the engine, a future engine) can be checked against the same answers.
 */
import { PLANTED_NAMES } from './plantedRecipes.js';
import type { JsonObject, SourceRecord } from './sourceRecords.js';
import { dayOf, ordinalOf, type TrailOptions } from './trailLayout.js';

export type Question = 'principal-activity' | 'mentions' | 'security-group-ingress' | 'iam-user-provenance';

export interface PlantedEvent {
  readonly question: Question | 'decoy';
  readonly note: string;
  readonly file: string;
  readonly record: JsonObject;
}

export type Cell = string | number | null;

export interface ExpectedAnswer {
  readonly query: Question;
  readonly parameters: Readonly<Record<string, string | number>>;
  /** The result columns compared, in this order, for each row. */
  readonly columns: readonly string[];
  /** In the API's order. */
  readonly rows: readonly Cell[][];
}

export interface PlantedAnswers {
  readonly window: { readonly from: string; readonly to: string };
  readonly questions: readonly ExpectedAnswer[];
  readonly events: readonly {
    question: string;
    note: string;
    file: string;
    eventTime: string;
    eventID: string;
    eventName: string;
  }[];
}

const str = (record: JsonObject, key: string): string => String(record[key]);

/** Byte order, as SQL compares varchar (localeCompare would not). */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** ORDER BY eventtime, eventid: text order, which is time order for CloudTrail's format. */
const byTimeAndId = (a: JsonObject, b: JsonObject): number =>
  cmp(str(a, 'eventTime'), str(b, 'eventTime')) || cmp(str(a, 'eventID'), str(b, 'eventID'));

/** iam-user-provenance's order: within a second, creation first and deletion last. */
const lifecycleRank = (record: JsonObject): number =>
  record.eventName === 'CreateUser' ? 0 : record.eventName === 'DeleteUser' ? 2 : 1;

const ruleRow = (record: JsonObject): Cell[] => {
  const response = record.responseElements as { securityGroupRuleSet: { items: JsonObject[] } };
  const rule = response.securityGroupRuleSet.items[0] as JsonObject;
  return [
    str(record, 'eventID'),
    PLANTED_NAMES.groupId,
    str(rule, 'ipProtocol'),
    Number(rule.fromPort),
    Number(rule.toPort),
    str(rule, 'cidrIpv4'),
    null,
  ];
};

export const buildAnswers = (options: TrailOptions, events: readonly PlantedEvent[]): PlantedAnswers => {
  const of = (question: Question) =>
    events
      .filter((e) => e.question === question)
      .map((e) => e.record)
      .sort(byTimeAndId);
  const provenance = of('iam-user-provenance').sort(
    (a, b) =>
      cmp(str(a, 'eventTime'), str(b, 'eventTime')) ||
      lifecycleRank(a) - lifecycleRank(b) ||
      cmp(str(a, 'eventID'), str(b, 'eventID')),
  );
  const firstDay = dayOf(ordinalOf(options.endDay) - options.days + 1);
  return {
    window: { from: `${firstDay}T00:00:00Z`, to: `${dayOf(ordinalOf(options.endDay) + 1)}T00:00:00Z` },
    questions: [
      {
        query: 'principal-activity',
        parameters: { userName: PLANTED_NAMES.principal },
        columns: ['eventid'],
        rows: of('principal-activity').map((r) => [str(r, 'eventID')]),
      },
      {
        query: 'mentions',
        parameters: { text: PLANTED_NAMES.needle },
        columns: ['eventid'],
        rows: of('mentions').map((r) => [str(r, 'eventID')]),
      },
      {
        query: 'security-group-ingress',
        parameters: { groupId: PLANTED_NAMES.groupId, port: 22 },
        columns: ['eventid', 'group_id', 'protocol', 'from_port', 'to_port', 'cidr', 'source_group'],
        rows: of('security-group-ingress').map(ruleRow),
      },
      {
        query: 'iam-user-provenance',
        parameters: { userName: PLANTED_NAMES.victim },
        columns: ['eventid', 'eventname'],
        rows: provenance.map((r) => [str(r, 'eventID'), str(r, 'eventName')]),
      },
    ],
    events: events.map((e) => ({
      question: e.question,
      note: e.note,
      file: e.file,
      eventTime: str(e.record, 'eventTime'),
      eventID: str(e.record, 'eventID'),
      eventName: str(e.record, 'eventName'),
    })),
  };
};

/** Refuses to plant if any bundled record already holds a planted name (case-insensitively). */
export const assertNamesUnused = (sources: readonly SourceRecord[]): void => {
  const names = Object.values(PLANTED_NAMES).map((n) => n.toLowerCase());
  // The shared prefix of the needle and its near miss is enough to catch both.
  const probes = [...names, 'th-bench-needle'];
  for (const { set, record } of sources) {
    const text = JSON.stringify(record).toLowerCase();
    const hit = probes.find((p) => text.includes(p));
    if (hit) throw new Error(`bundled record ${String(record.eventID)} of ${set} already contains ${hit}`);
  }
};
