/**
 * The sweep and its detections, on real records: every detection raises its positives and not its
 * near misses (event ids read off the raw JSON, listed in tests/fixtures/detection-examples/
 * expectations.json); the Stratus Red Team detonations are each covered; the invictus attack steps
 * are each found; the parameters choose detections and severities. Every answer here is compared
 * with the raw records, never with what the engine said before.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DETECTIONS, findDetection } from '../../src/detections/catalog.js';
import { SEVERITIES } from '../../src/detections/detection.js';
import {
  DATA_DIR,
  DETECTION_EXAMPLES_DIR,
  detectionRecordsById,
  type RawRecord,
} from '../helpers/cloudtrailData.js';
import { useQueryServer } from '../helpers/queryHarness.js';

interface Expectations {
  detections: Record<string, { positives: string[]; negatives: string[]; windows: string[] }>;
  stratus: Record<string, { account: string; detections: string[] }>;
  invictus: { step: string; detection: string; eventIds: string[] }[];
}
const expectations = JSON.parse(
  readFileSync(path.join(DETECTION_EXAMPLES_DIR, 'expectations.json'), 'utf8'),
) as Expectations;

const records = detectionRecordsById();

type Finding = Record<string, string | null>;
const server = useQueryServer({ detectionExamples: true });
const sweep = async (from: string, to: string, parameters: Record<string, unknown> = {}) =>
  (await server.run('sweep', parameters, from, to)) as Finding[];
const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The full sweep of each day the expectations name, run once. */
const byDay = new Map<string, Finding[]>();
beforeAll(async () => {
  const days = [...new Set(Object.values(expectations.detections).flatMap((e) => e.windows))].sort();
  for (const day of days) byDay.set(day, await sweep(`${day}T00:00:00Z`, `${nextDay(day)}T00:00:00Z`));
}, 300_000);

describe('each detection, on real records', () => {
  it('has expectations for every detection of the catalog, on records that exist, in the days named', () => {
    expect(Object.keys(expectations.detections).sort()).toEqual(DETECTIONS.map((d) => d.name).sort());
    for (const [name, e] of Object.entries(expectations.detections)) {
      expect(e.positives.length, `${name} has a positive`).toBeGreaterThan(0);
      expect(e.negatives.length + e.positives.length, name).toBeGreaterThan(0);
      for (const id of [...e.positives, ...e.negatives]) {
        const record = records.get(id);
        expect(record, `${name}: ${id} is a record of the data`).toBeDefined();
        expect(e.windows, `${name}: ${id}'s day`).toContain(String(record?.eventTime).slice(0, 10));
      }
    }
  });

  it.each(DETECTIONS.map((d) => [d.name]))('%s raises its positives and none of its near misses', (name) => {
    const e = expectations.detections[name];
    if (!e) throw new Error(`no expectations for ${name}`);
    const raised = new Set(
      e.windows.flatMap((day) =>
        (byDay.get(day) ?? []).filter((f) => f.detection === name).map((f) => f.eventid),
      ),
    );
    for (const id of e.positives) expect(raised.has(id), `${name} raises ${id}`).toBe(true);
    for (const id of e.negatives) expect(raised.has(id), `${name} stays silent on ${id}`).toBe(false);
  });

  it('says, on each finding, its severity, techniques, the event as recorded, and who did what', () => {
    const findings = [...byDay.values()].flat();
    expect(findings.length).toBeGreaterThan(100);
    for (const f of findings) {
      const detection = findDetection(String(f.detection));
      const record = records.get(String(f.eventid));
      expect(detection, String(f.detection)).toBeDefined();
      expect(record, String(f.eventid)).toBeDefined();
      expect(f).toMatchObject({
        severity: detection?.severity,
        techniques: detection?.techniques.join(','),
        eventtime: record?.eventTime,
        eventname: record?.eventName,
        source_ip: record?.sourceIPAddress ?? null,
        error_code: record?.errorCode ?? null,
        account: record?.folderAccount,
        region: record?.awsRegion,
      });
      expect(f.summary, `${f.detection} on ${f.eventid}`).toMatch(/^\S.{10,}\.$/);
    }
  });

  it('orders findings most severe first, then by time', () => {
    for (const findings of byDay.values()) {
      const keys = findings.map(
        (f) => [-SEVERITIES.indexOf(f.severity as never), String(f.eventtime)] as const,
      );
      const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
      expect(keys).toEqual(sorted);
    }
  });
});

describe('the sweep over the Stratus Red Team detonations', () => {
  let findings: Finding[];
  beforeAll(async () => {
    findings = await sweep('2024-07-30T00:00:00Z', '2024-12-01T00:00:00Z');
  }, 120_000);

  it.each(Object.entries(expectations.stratus))(
    '%s: each detection expected on its account fires there, one of them declared as covering it',
    (technique, { account, detections }) => {
      const fired = new Set(findings.filter((f) => f.account === account).map((f) => f.detection));
      expect([...fired].sort()).toEqual([...detections].sort());
      const covering = DETECTIONS.filter((d) =>
        d.references.some((r) => r.kind === 'stratus' && r.id === technique),
      ).map((d) => d.name);
      expect(
        covering.filter((name) => fired.has(name)),
        `a detection declared for ${technique}`,
      ).not.toEqual([]);
    },
  );

  it('maps every technique detonated in the set: one account each, 35 in all', () => {
    const accounts = new Set(
      [...records.values()]
        .filter((r) => r.file.includes('/stratus-detonations-pseudonymized/'))
        .map((r) => r.folderAccount),
    );
    expect(Object.keys(expectations.stratus)).toHaveLength(35);
    expect(new Set(Object.values(expectations.stratus).map((t) => t.account))).toEqual(accounts);
  });
});

describe('the sweep over the invictus attack simulation', () => {
  it.each(expectations.invictus.map((s) => [s.step, s]))(
    'finds: %s',
    async (_step, { detection, eventIds }) => {
      const findings = await sweep('2023-07-10T00:00:00Z', '2023-07-11T00:00:00Z', {
        detections: [detection],
      });
      const raised = new Set(findings.map((f) => f.eventid));
      for (const id of eventIds) expect(raised.has(id), `${detection} raises ${id}`).toBe(true);
      expect(new Set(findings.map((f) => f.detection))).toEqual(new Set([detection]));
    },
  );
});

describe('sweep parameters', () => {
  const day = '2023-07-10';
  it('detections: only those named, the same rows the full sweep has for them', async () => {
    const chosen = ['security-group-ingress-open-to-world', 'iam-user-created'];
    const rows = await sweep(`${day}T00:00:00Z`, `${nextDay(day)}T00:00:00Z`, { detections: chosen });
    expect(rows).toEqual((byDay.get(day) ?? []).filter((f) => chosen.includes(String(f.detection))));
    expect(rows.length).toBeGreaterThan(0);
  });

  it('minSeverity: only findings at least that severe, the same rows', async () => {
    const rows = await sweep(`${day}T00:00:00Z`, `${nextDay(day)}T00:00:00Z`, { minSeverity: 'high' });
    expect(rows).toEqual(
      (byDay.get(day) ?? []).filter((f) => f.severity === 'high' || f.severity === 'critical'),
    );
    expect(rows.length).toBeGreaterThan(0);
  });

  it('refuses an unknown detection or severity with 400, naming the field', async () => {
    for (const parameters of [
      { detections: ['no-such-detection'] },
      { minSeverity: 'severe' },
      { detections: [] },
    ]) {
      const response = await fetch(`${server.baseUrl}/v1/executions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'sweep',
          parameters,
          from: `${day}T00:00:00Z`,
          to: `${nextDay(day)}T00:00:00Z`,
        }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { pointer: string }[] };
      expect(body.errors[0]?.pointer).toMatch(/^#\/body\/parameters\/(detections|minSeverity)/);
    }
  });
});

describe('false positives: the sweep over four years of a benign research account (grycap)', () => {
  const GRYCAP = '974349055189';
  // 2014-05-10 to 2018-05-09, in windows of at most 366 days.
  const WINDOWS = [
    ['2014-05-01', '2015-05-01'],
    ['2015-05-01', '2016-05-01'],
    ['2016-05-01', '2017-05-01'],
    ['2017-05-01', '2018-05-01'],
    ['2018-05-01', '2018-06-01'],
  ] as const;
  let counts: Map<string, number>;
  beforeAll(async () => {
    counts = new Map(DETECTIONS.map((d) => [d.name, 0]));
    for (const [from, to] of WINDOWS) {
      for (const f of await sweep(`${from}T00:00:00Z`, `${to}T00:00:00Z`)) {
        if (f.account === GRYCAP) counts.set(String(f.detection), (counts.get(String(f.detection)) ?? 0) + 1);
      }
    }
  }, 300_000);

  it("matches the README's detection table: every detection, its severity and techniques, and its findings there", () => {
    const readme = readFileSync(path.join(DATA_DIR, '../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| detection | severity |'));
    const rows = new Map(
      [...table.matchAll(/^\| `([a-z0-9-]+)` \| (\w+) \| ([^|]+) \| [^|]+ \| (\d+) \|$/gm)].map((m) => [
        m[1],
        { severity: m[2], techniques: m[3]?.trim(), grycap: Number(m[4]) },
      ]),
    );
    expect([...rows.keys()].sort()).toEqual(DETECTIONS.map((d) => d.name).sort());
    for (const d of DETECTIONS) {
      expect(rows.get(d.name), d.name).toEqual({
        severity: d.severity,
        techniques: d.techniques.join(', '),
        grycap: counts.get(d.name),
      });
    }
  });
});

describe('aggregate findings: a burst, read off the raw records', () => {
  /** The records of `account` that `keep` holds, in time order (then event id), as the sweep orders them. */
  const burstOf = (account: string, keep: (r: RawRecord) => boolean) =>
    [...records.values()]
      .filter((r) => r.folderAccount === account && keep(r))
      .sort(
        (a, b) =>
          String(a.eventTime).localeCompare(String(b.eventTime)) ||
          String(a.eventID).localeCompare(String(b.eventID)),
      );

  it.each([
    {
      detection: 'secrets-read-in-bulk',
      day: '2024-07-31',
      account: '903144391865',
      keep: (r: RawRecord) => r.eventName === 'GetSecretValue',
      resources: (r: RawRecord) => [String((r.requestParameters as { secretId: string }).secretId)],
    },
    {
      detection: 'ssm-parameters-read-in-bulk',
      day: '2024-08-01',
      account: '933175858973',
      keep: (r: RawRecord) => r.eventName === 'GetParameters',
      resources: (r: RawRecord) => (r.requestParameters as { names: string[] }).names,
    },
    {
      detection: 'password-data-read-in-bulk',
      day: '2024-07-30',
      account: '457448411975',
      keep: (r: RawRecord) => r.eventName === 'GetPasswordData',
      resources: (r: RawRecord) => [String((r.requestParameters as { instanceId: string }).instanceId)],
    },
    {
      detection: 'permission-probing',
      day: '2024-05-07',
      account: '111122223333',
      keep: (r: RawRecord) => String(r.userIdentity?.arn).endsWith('/build-agent/probe'),
      resources: (r: RawRecord) => [`${r.eventSource}:${r.eventName}`],
    },
  ])(
    '$detection: one finding, its first and last event, counts and samples as the records say',
    async ({ detection, day, account, keep, resources }) => {
      const burst = burstOf(account, keep);
      const findings = (
        byDay.get(day) ?? (await sweep(`${day}T00:00:00Z`, `${nextDay(day)}T00:00:00Z`))
      ).filter((f) => f.detection === detection && f.account === account);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        eventid: burst[0]?.eventID,
        eventtime: burst[0]?.eventTime,
        first_seen: burst[0]?.eventTime,
        last_seen: burst.at(-1)?.eventTime,
        events: burst.length,
        distinct_resources: new Set(burst.flatMap(resources)).size,
        sample_event_ids: burst
          .slice(0, 5)
          .map((r) => r.eventID)
          .join(','),
      });
    },
  );

  it('gives an event finding its one event as its burst', () => {
    const event = (byDay.get('2023-07-10') ?? []).find(
      (f) => f.detection === 'cloudtrail-trail-stopped-or-deleted',
    );
    expect(event).toMatchObject({
      first_seen: event?.eventtime,
      last_seen: event?.eventtime,
      events: 1,
      distinct_resources: null,
      sample_event_ids: event?.eventid,
    });
  });
});
