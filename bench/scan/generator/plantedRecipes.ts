/**
 * The real invictus records the planted events are copied from, and the edits that turn a copy
 * into a planted event: new names that no bundled record holds (so sampled background records can
 * never match), the file's account and region, and for decoys an edit that must NOT match.
 */
import type { JsonObject } from './sourceRecords.js';

/** Unique strings: no bundled record contains any of them (checked when the plan is made). */
export const PLANTED_NAMES = {
  principal: 'th-bench-planted',
  needle: 'th-bench-needle-7f3a',
  nearMiss: 'th-bench-needle-7f3b',
  // The API accepts sg- and 8 to 17 hex digits only, so the bench group id is hex ("0bec4...a47ed").
  groupId: 'sg-0bec40000d1a47ed',
  victim: 'th-bench-victim',
} as const;

export const INVICTUS_SET = 'invictus-attack-simulation';
const INVICTUS_ACCOUNT = '123837392027';

/** eventIDs of the invictus records copied for the security-group and IAM-user questions. */
export const SOURCE_IDS = {
  sgFlat22: '74bd84b4-6729-4895-b2a4-e2beb7c6b377',
  sgNested443: '7e96f0e7-4d78-423d-b3f5-391370685b30',
  createUser: '85c89720-8103-4281-9e0e-8977b52bcdbe',
  attachUserPolicy: 'f4923a37-92d5-4dfd-9786-6caef2b5f33c',
  createAccessKey: '8c282c0b-00d1-4369-95b7-cb50b6eee620',
  listAccessKeys: 'b6349c43-9682-40c4-abf2-f57fb09ccaed',
  deleteAccessKey: '20e603c0-e2d6-4bc4-9f25-031d3e314950',
  detachUserPolicy: '7dfa2d8e-aa3d-44d1-bd90-d990f58311e0',
  deleteUser: '0bb0dbe3-f64f-461a-aa94-bde583ff90b6',
} as const;

export const obj = (value: unknown, what: string): JsonObject => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${what}: not an object`);
  return value as JsonObject;
};

const items = (value: unknown, what: string): JsonObject[] => {
  const list = obj(value, what).items;
  if (!Array.isArray(list)) throw new Error(`${what}.items: not an array`);
  return list.map((item, i) => obj(item, `${what}.items[${i}]`));
};

export interface InvictusIndex {
  byId(eventId: string): JsonObject;
  /** bert-jan's calls with an identity ARN: the principal-activity copies. */
  readonly principalCandidates: readonly JsonObject[];
  /** SSM parameter calls with requestParameters.name: the mentions copies. */
  readonly mentionCandidates: readonly JsonObject[];
}

export const indexInvictus = (records: readonly JsonObject[]): InvictusIndex => {
  const ids = new Map(records.map((r) => [r.eventID as string, r]));
  const identity = (r: JsonObject) => (r.userIdentity ?? {}) as JsonObject;
  return {
    byId(eventId) {
      const record = ids.get(eventId);
      if (!record) throw new Error(`invictus record ${eventId} not found in ${INVICTUS_SET}`);
      return record;
    },
    principalCandidates: records.filter(
      (r) => identity(r).userName === 'bert-jan' && typeof identity(r).arn === 'string',
    ),
    mentionCandidates: records.filter(
      (r) =>
        /^(Get|Put|Delete)Parameter$/.test(String(r.eventName)) &&
        typeof (r.requestParameters as JsonObject | null)?.name === 'string',
    ),
  };
};

/** A copy moved into the file's account (every mention of the original one) and region. */
export const retarget = (record: JsonObject, account: string, region: string): JsonObject => {
  const copy = JSON.parse(JSON.stringify(record).replaceAll(INVICTUS_ACCOUNT, account)) as JsonObject;
  copy.awsRegion = region;
  return copy;
};

export const renamePrincipal = (record: JsonObject, account: string): void => {
  const identity = obj(record.userIdentity, 'userIdentity');
  identity.userName = PLANTED_NAMES.principal;
  identity.arn = `arn:aws:iam::${account}:user/${PLANTED_NAMES.principal}`;
};

/** Puts `text` into the SSM parameter name: upper-case once, to exercise case-insensitivity. */
export const mentionIn = (record: JsonObject, text: string, upper: boolean): void => {
  const parameters = obj(record.requestParameters, 'requestParameters');
  const name = String(parameters.name);
  parameters.name = upper ? `/${text.toUpperCase()}${name}` : `${name}-${text}`;
};

/** The needle where mentions must not look: the user agent, not the request parameters. */
export const mentionInUserAgent = (record: JsonObject, text: string): void => {
  record.userAgent = `${String(record.userAgent)} ${text}`;
};

/** Moves an AuthorizeSecurityGroupIngress copy to the planted group, request and response alike. */
export const ingressRule = (record: JsonObject, edit: { port?: number; cidr?: string } = {}): void => {
  const request = obj(record.requestParameters, 'requestParameters');
  request.groupId = PLANTED_NAMES.groupId;
  const response = items(obj(record.responseElements, 'responseElements').securityGroupRuleSet, 'ruleSet');
  for (const rule of response) {
    rule.groupId = PLANTED_NAMES.groupId;
    if (edit.port !== undefined) Object.assign(rule, { fromPort: edit.port, toPort: edit.port });
    if (edit.cidr !== undefined) rule.cidrIpv4 = edit.cidr;
  }
  if (typeof request.cidrIp === 'string') {
    if (edit.port !== undefined) Object.assign(request, { fromPort: edit.port, toPort: edit.port });
    if (edit.cidr !== undefined) request.cidrIp = edit.cidr;
  } else {
    for (const permission of items(request.ipPermissions, 'ipPermissions')) {
      if (edit.port !== undefined) Object.assign(permission, { fromPort: edit.port, toPort: edit.port });
      if (edit.cidr !== undefined)
        for (const range of items(permission.ipRanges, 'ipRanges')) range.cidrIp = edit.cidr;
    }
  }
};

/** Renames malicious-iam-user to the victim everywhere in the copy (request, response, ARN). */
export const renameVictim = (record: JsonObject): JsonObject =>
  JSON.parse(JSON.stringify(record).replaceAll('malicious-iam-user', PLANTED_NAMES.victim)) as JsonObject;
