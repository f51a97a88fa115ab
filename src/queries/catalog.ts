/** The query catalog: every named query the API runs, looked up by name. */
import { iamUserProvenance } from './iamUserProvenance.js';
import { mentions } from './mentions.js';
import { principalActivity } from './principalActivity.js';
import type { QueryDefinition } from './queryDefinition.js';
import { securityGroupIngress } from './securityGroupIngress.js';

export const QUERIES: readonly QueryDefinition[] = [
  securityGroupIngress,
  principalActivity,
  iamUserProvenance,
  mentions,
];

const byName = new Map(QUERIES.map((q) => [q.name, q]));

export const findQuery = (name: string): QueryDefinition | undefined => byName.get(name);
