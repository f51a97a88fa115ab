/**
 * Where the planted events go and what the four bench questions must answer because of them.
 * Five files get planted events: the first half hour of the first day, one mid-morning file a
 * quarter in, a 23:30 file half-way (delivered just after midnight, so it sits in the next day's
 * directory), one three quarters in, and the last day's 23:30 file (delivered on the day after the
 * window, which the engine reads as slack). The IAM user is created in the second and deleted in
 * the third, both in files of the first region (us-east-1 by default), where IAM events are
 * recorded. Everything is drawn from one PRNG stream, so every process plans the same events.
 */
import { Prng } from '../lib/prng.js';
import { buildAnswers, type PlantedAnswers, type PlantedEvent, type Question } from './plantedAnswers.js';
import {
  indexInvictus,
  ingressRule,
  mentionIn,
  mentionInUserAgent,
  PLANTED_NAMES,
  renamePrincipal,
  renameVictim,
  retarget,
  SOURCE_IDS,
} from './plantedRecipes.js';
import type { JsonObject } from './sourceRecords.js';
import {
  describeFile,
  firstOrdinal,
  type Pair,
  pairFor,
  plantedSerial,
  SLOT_SECONDS,
  SLOTS_PER_DAY,
  type TrailOptions,
  toEventTime,
} from './trailLayout.js';

export interface PlantedEntry {
  readonly offsetSec: number;
  readonly json: string;
}

export interface PlantedPlan {
  /** Key `${ordinal}|${slot}`: the planted records of that file. */
  readonly byFile: ReadonlyMap<string, readonly PlantedEntry[]>;
  readonly answers: PlantedAnswers;
}

export const fileKey = (ordinal: number, slot: number): string => `${ordinal}|${slot}`;

interface Draft {
  readonly question: Question | 'decoy';
  readonly note: string;
  readonly offsetSec: number;
  readonly record: JsonObject;
}

/** The five files, as (day index, slot); throws when the window is too short to spread them. */
const plantSites = (options: TrailOptions, pairs: readonly Pair[]) => {
  const days = options.days;
  if (days < 7) throw new Error('--days must be at least 7 to spread the planted events');
  const first = firstOrdinal(options);
  const home = (day: number, slot: number) => pairFor(pairs, first + day, slot).region === options.regions[0];
  const homeSlot = (day: number, from: number) => {
    for (let s = from; s < from + SLOTS_PER_DAY; s += 1)
      if (home(day, s % SLOTS_PER_DAY)) return s % SLOTS_PER_DAY;
    throw new Error('no file of the first region on that day');
  };
  let crossing = Math.round(days / 2);
  while (!home(crossing, SLOTS_PER_DAY - 1)) crossing += 1;
  if (crossing >= days - 1) throw new Error('no 23:30 file of the first region in the middle of the window');
  const created = Math.round(days / 4);
  return [
    { day: 0, slot: 0 },
    { day: created, slot: homeSlot(created, 20), iam: 'create' as const },
    { day: crossing, slot: SLOTS_PER_DAY - 1, iam: 'delete' as const },
    { day: Math.round((3 * days) / 4), slot: 33 },
    { day: days - 1, slot: SLOTS_PER_DAY - 1 },
  ];
};

const spread = (rng: Prng) => 60 + rng.int(SLOT_SECONDS - 120);

/** The events of one site, before times and ids: what each question gets there, and decoys. */
const draftsFor = (
  site: { iam?: 'create' | 'delete' },
  pair: Pair,
  invictus: ReturnType<typeof indexInvictus>,
  rng: Prng,
): Draft[] => {
  const copy = (record: JsonObject) => retarget(record, pair.account, pair.region);
  const drafts: Draft[] = [];
  const add = (question: Draft['question'], note: string, record: JsonObject, offsetSec = spread(rng)) =>
    drafts.push({ question, note, offsetSec, record });
  for (let i = 0; i < 8; i += 1) {
    const record = copy(rng.pick(invictus.principalCandidates));
    renamePrincipal(record, pair.account);
    add('principal-activity', 'bert-jan call renamed', record);
  }
  for (let i = 0; i < 5; i += 1) {
    const record = copy(rng.pick(invictus.mentionCandidates));
    mentionIn(record, PLANTED_NAMES.needle, i === 0);
    add('mentions', i === 0 ? 'needle upper-case in parameter name' : 'needle in parameter name', record);
  }
  const nearMiss = copy(rng.pick(invictus.mentionCandidates));
  mentionIn(nearMiss, PLANTED_NAMES.nearMiss, false);
  add('decoy', 'near-miss text in parameters: not a mention', nearMiss);
  const inAgent = copy(rng.pick(invictus.mentionCandidates));
  mentionInUserAgent(inAgent, PLANTED_NAMES.needle);
  add('decoy', 'needle in userAgent only: not a mention', inAgent);
  const rules: [string, { port?: number; cidr?: string }, Draft['question'], string][] = [
    [SOURCE_IDS.sgFlat22, {}, 'security-group-ingress', 'flat cidrIp form, tcp 22 from 0.0.0.0/0'],
    [
      SOURCE_IDS.sgNested443,
      { port: 22 },
      'security-group-ingress',
      'nested ipPermissions form, moved to 22',
    ],
    [SOURCE_IDS.sgNested443, {}, 'decoy', 'nested form, tcp 443: not port 22'],
    [
      SOURCE_IDS.sgFlat22,
      { cidr: '10.20.0.0/16' },
      'decoy',
      'flat form, 22 from 10.20.0.0/16: not the world',
    ],
  ];
  for (const [id, edit, question, note] of rules) {
    const record = copy(invictus.byId(id));
    ingressRule(record, edit);
    add(question, note, record);
  }
  const iam = (id: string, question: Draft['question'], offsetSec: number) =>
    add(
      question,
      `${String(invictus.byId(id).eventName)} of ${PLANTED_NAMES.victim}`,
      renameVictim(copy(invictus.byId(id))),
      offsetSec,
    );
  if (site.iam === 'create') {
    // Same seconds as the original: created, given AdministratorAccess and a key within a second.
    iam(SOURCE_IDS.createUser, 'iam-user-provenance', 600);
    iam(SOURCE_IDS.attachUserPolicy, 'iam-user-provenance', 600);
    iam(SOURCE_IDS.createAccessKey, 'iam-user-provenance', 601);
  } else if (site.iam === 'delete') {
    iam(SOURCE_IDS.listAccessKeys, 'decoy', 1500);
    iam(SOURCE_IDS.deleteAccessKey, 'iam-user-provenance', 1500);
    iam(SOURCE_IDS.detachUserPolicy, 'iam-user-provenance', 1500);
    iam(SOURCE_IDS.deleteUser, 'iam-user-provenance', 1500);
  }
  return drafts;
};

export const planPlanted = (
  options: TrailOptions,
  pairs: readonly Pair[],
  invictusRecords: readonly JsonObject[],
): PlantedPlan => {
  const invictus = indexInvictus(invictusRecords);
  const rng = new Prng(`${options.seed}|planted`);
  const first = firstOrdinal(options);
  const byFile = new Map<string, PlantedEntry[]>();
  const events: PlantedEvent[] = [];
  for (const site of plantSites(options, pairs)) {
    const ordinal = first + site.day;
    const file = describeFile(options, pairs, ordinal, site.slot);
    const entries = byFile.get(fileKey(ordinal, site.slot)) ?? [];
    for (const draft of draftsFor(site, file, invictus, rng)) {
      draft.record.eventTime = toEventTime(file.startMs + draft.offsetSec * 1000);
      draft.record.eventID = rng.uuid(plantedSerial(ordinal, site.slot, entries.length));
      entries.push({ offsetSec: draft.offsetSec, json: JSON.stringify(draft.record) });
      events.push({
        question: draft.question,
        note: draft.note,
        file: file.relativePath,
        record: draft.record,
      });
    }
    byFile.set(fileKey(ordinal, site.slot), entries);
  }
  return { byFile, answers: buildAnswers(options, events) };
};
