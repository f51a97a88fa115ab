/** The query catalog: every named query the API runs, looked up by name, in the order listed. */
import { accessDenied } from './accessDenied.js';
import { accessKeyActivity } from './accessKeyActivity.js';
import { activityTimeline } from './activityTimeline.js';
import { consoleLogins } from './consoleLogins.js';
import { events } from './events.js';
import { iamPrivilegeChanges } from './iamPrivilegeChanges.js';
import { iamUserProvenance } from './iamUserProvenance.js';
import { kmsKeyDeletion } from './kmsKeyDeletion.js';
import { loggingTampering } from './loggingTampering.js';
import { mentions } from './mentions.js';
import { principalActivity } from './principalActivity.js';
import type { Query } from './queryDefinition.js';
import { rootActivity } from './rootActivity.js';
import { s3Exposure } from './s3Exposure.js';
import { securityGroupExposure } from './securityGroupExposure.js';
import { securityGroupIngress } from './securityGroupIngress.js';
import { sourceIpActivity } from './sourceIpActivity.js';
import { sweep } from './sweep.js';

export const QUERIES: readonly Query[] = [
  securityGroupIngress,
  securityGroupExposure,
  principalActivity,
  accessKeyActivity,
  sourceIpActivity,
  iamUserProvenance,
  iamPrivilegeChanges,
  consoleLogins,
  rootActivity,
  accessDenied,
  loggingTampering,
  s3Exposure,
  kmsKeyDeletion,
  events,
  activityTimeline,
  mentions,
  sweep,
];

const byName = new Map(QUERIES.map((q) => [q.name, q]));

export const findQuery = (name: string): Query | undefined => byName.get(name);
