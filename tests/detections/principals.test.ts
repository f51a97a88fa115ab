/**
 * Coverage that survives the principal: every positive example of every detection, rewritten as
 * done by each kind of principal (an IAM user's long-term keys, a role session, an IAM Identity
 * Center session, an EC2 instance's role session, the root user), is found again, unless the detection declares the kinds it is
 * about (`principals`, which GET /v1/detections shows). Each rewrite also moves the example to
 * another region and gives it a plain command-line client, unless the client is what the
 * detection finds (`userAgentIsSignal`), and makes it three times: as recorded, refused for want of
 * permission, and as if it had succeeded; a detection about one outcome only declares it
 * (`outcome`). An aggregate detection's example is its
 * whole burst: every event of that principal, account and day, rewritten alike. AWS does not let a
 * role session sign in to the console or call GetFederationToken or GetSessionToken, nor the root
 * user assume a role: those are not rewritten into what cannot happen.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETECTIONS } from '../../src/detections/catalog.js';
import { isAggregate, PRINCIPAL_KINDS } from '../../src/detections/detection.js';
import { runToEnd } from '../helpers/apiClient.js';
import {
  DETECTION_EXAMPLES_DIR,
  detectionRecordsById,
  type LocatedRecord,
  type RawRecord,
  writeTrail,
} from '../helpers/cloudtrailData.js';
import { duckDbTestRuntime, startTestServer, type TestServer } from '../helpers/testServer.js';

type Kind = (typeof PRINCIPAL_KINDS)[number];
type Located = LocatedRecord;

const expectations = JSON.parse(
  readFileSync(path.join(DETECTION_EXAMPLES_DIR, 'expectations.json'), 'utf8'),
) as {
  detections: Record<string, { positives: string[] }>;
};

const records = detectionRecordsById();

/** The identity of each kind, in `account`, as CloudTrail records it. */
const identity = (kind: Kind, account: string, variant = ''): RawRecord => {
  const session = (role: string, name: string) => ({
    type: 'AssumedRole',
    principalId: `AROAREWRITTENROLE0001:${name}`,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${name}`,
    accountId: account,
    accessKeyId: 'ASIAREWRITTENKEY0001',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAREWRITTENROLE0001',
        arn: `arn:aws:iam::${account}:role/${role.startsWith('AWSReservedSSO') ? 'aws-reserved/sso.amazonaws.com/' : ''}${role}`,
        accountId: account,
        userName: role,
      },
      attributes: { creationDate: '2020-01-01T00:00:00Z', mfaAuthenticated: 'false' },
    },
  });
  switch (kind) {
    case 'IAMUser':
      return {
        type: 'IAMUser',
        principalId: 'AIDAREWRITTENUSER0001',
        arn: `arn:aws:iam::${account}:user/rewritten-user${variant}`,
        accountId: account,
        accessKeyId: 'AKIAREWRITTENKEY0001',
        userName: `rewritten-user${variant}`,
      };
    case 'AssumedRole':
      return session('rewritten-role', `rewritten-session${variant}`);
    case 'SSO':
      return session(
        'AWSReservedSSO_AdministratorAccess_0123456789abcdef',
        `rewritten.user${variant}@example.com`,
      );
    case 'InstanceRole':
      return {
        ...session('rewritten-instance-role', 'i-0123456789abcdef0'),
        sessionContext: {
          ...session('rewritten-instance-role', 'i-0123456789abcdef0').sessionContext,
          ec2RoleDelivery: '2.0',
        },
      };
    case 'Root':
      return {
        type: 'Root',
        principalId: account,
        arn: `arn:aws:iam::${account}:root`,
        accountId: account,
        accessKeyId: 'AKIAREWRITTENROOT001',
      };
  }
};

/**
 * What AWS does not allow a kind of principal to do at all, and what means something else when
 * another does it: the root user creating its own access key (CreateAccessKey naming no user).
 */
const impossible = (kind: Kind, r: RawRecord): boolean =>
  ((kind === 'AssumedRole' || kind === 'SSO' || kind === 'InstanceRole') &&
    ['ConsoleLogin', 'GetFederationToken', 'GetSessionToken'].includes(String(r.eventName))) ||
  (kind === 'Root' && String(r.eventName).startsWith('AssumeRole')) ||
  (kind !== 'Root' &&
    r.userIdentity?.type === 'Root' &&
    r.eventName === 'CreateAccessKey' &&
    !r.requestParameters?.userName);

const principalOf = (r: RawRecord) =>
  String(r.userIdentity?.arn ?? r.userIdentity?.principalId ?? r.userIdentity?.type);
const day = (r: RawRecord) => String(r.eventTime).slice(0, 10);

/** A positive example and the records that make it: itself, or an aggregate's whole burst. */
const exampleRecords = (aggregate: boolean, positive: Located): Located[] =>
  aggregate
    ? [...records.values()].filter(
        (r) =>
          r.folderAccount === positive.folderAccount &&
          day(r) === day(positive) &&
          principalOf(r) === principalOf(positive),
      )
    : [positive];

interface Case {
  readonly detection: string;
  readonly kind: Kind;
  readonly original: string;
  readonly rewritten: string;
  readonly expected: boolean;
}

const cases: Case[] = [];
const rewrittenRecords = new Map<string, Located>();
const PLAIN_CLIENT = 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0 exe/x86_64.amzn.2023';

/** The example as recorded, refused for want of permission, and as if it had succeeded. */
const OUTCOMES = ['as-recorded', 'refused', 'succeeded'] as const;
const withOutcome = (r: RawRecord, outcome: (typeof OUTCOMES)[number]): RawRecord => {
  if (outcome === 'as-recorded') return r;
  const { errorCode: _code, errorMessage: _message, ...rest } = r;
  return outcome === 'succeeded'
    ? rest
    : {
        ...rest,
        errorCode: 'AccessDenied',
        errorMessage: 'not authorized to perform this action',
        responseElements: null,
      };
};

for (const detection of DETECTIONS) {
  for (const id of expectations.detections[detection.name]?.positives ?? []) {
    const positive = records.get(id);
    if (!positive) throw new Error(`${detection.name}: no record ${id}`);
    // A console sign-in's outcome is in its response, not an error code: it is kept as recorded.
    const outcomes = positive.eventName === 'ConsoleLogin' ? (['as-recorded'] as const) : OUTCOMES;
    for (const kind of PRINCIPAL_KINDS) {
      if (impossible(kind, positive)) continue;
      for (const outcome of outcomes) {
        // Another principal, from another region, with a plain command-line client, unless the
        // client is what the detection finds.
        const keepsUserAgent = detection.userAgentIsSignal === true;
        const prefix = `${kind}-${outcome}-${keepsUserAgent ? 'ua-' : ''}`;
        for (const r of exampleRecords(isAggregate(detection), positive)) {
          const eventID = `${prefix}${r.eventID}`;
          rewrittenRecords.set(eventID, {
            ...(withOutcome(r, outcome) as Located),
            eventID,
            // Hours apart, so that an aggregate's bursts of each outcome stay apart whoever acted.
            eventTime: new Date(Date.parse(String(r.eventTime)) + OUTCOMES.indexOf(outcome) * 2 * 3_600_000)
              .toISOString()
              .replace(/\.000Z$/, 'Z'),
            userIdentity: identity(kind, r.folderAccount, outcome === 'as-recorded' ? '' : `-${outcome}`),
            awsRegion: 'eu-west-1',
            ...(keepsUserAgent ? {} : { userAgent: PLAIN_CLIENT }),
          });
        }
        cases.push({
          detection: detection.name,
          kind,
          original: `${outcome} ${id}`,
          rewritten: `${prefix}${id}`,
          expected:
            (detection.principals ?? PRINCIPAL_KINDS).includes(kind) &&
            (outcome === 'as-recorded' || detection.outcome === undefined || detection.outcome === outcome),
        });
      }
    }
  }
}

let server: TestServer;
const found = new Set<string>();
beforeAll(async () => {
  // The rewritten records, a file per account, region and day, as a trail lays them out.
  const dir = await writeTrail(
    [...rewrittenRecords.values()].map(({ folderAccount, ...record }) => ({
      account: folderAccount,
      record,
    })),
  );
  server = await startTestServer(await duckDbTestRuntime(dir));
  for (const d of new Set([...rewrittenRecords.values()].map(day))) {
    const next = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const { rows } = await runToEnd(server.baseUrl, {
      query: 'sweep',
      parameters: {},
      from: `${d}T00:00:00Z`,
      to: `${next}T00:00:00Z`,
    });
    for (const row of rows) found.add(`${row.detection} ${row.eventid}`);
  }
}, 600_000);
afterAll(async () => {
  await server?.close();
});

describe('every positive example, done by another kind of principal', () => {
  it("rewrites every detection's examples", () => {
    expect(new Set(cases.map((c) => c.detection))).toEqual(new Set(DETECTIONS.map((d) => d.name)));
    // Most examples are rewritten as done by four kinds or five: a few hundred in all.
    expect(cases.filter((c) => c.expected).length).toBeGreaterThan(DETECTIONS.length * 4);
  });

  it.each(DETECTIONS.map((d) => [d.name]))(
    '%s: found for the kinds it is about, and only declared kinds are left out',
    (name) => {
      const missed = cases
        .filter((c) => c.detection === name && c.expected && !found.has(`${name} ${c.rewritten}`))
        .map((c) => `${c.kind} ${c.original}`);
      expect(missed).toEqual([]);
    },
  );
});
