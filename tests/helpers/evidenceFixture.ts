/**
 * An evidence manifest for signature tests, and the CSV it describes: a one-row result of the
 * `events` query, read from one raw log file.
 */
import { createHash } from 'node:crypto';
import { EVIDENCE_FORMAT, type EvidenceManifest } from '../../src/lib/evidence/evidenceManifest.js';

export const EVIDENCE_CSV = Buffer.from('"eventtime","eventname"\n"2023-07-10T12:10:08Z","CreateUser"\n');

export const EVIDENCE_MANIFEST: EvidenceManifest = {
  format: EVIDENCE_FORMAT,
  executionId: '6f1c2e1a-1111-4aaa-8bbb-123456789abc',
  query: 'events',
  parameters: { eventNames: ['CreateUser'] },
  window: { from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' },
  engine: 'duckdb',
  statement: { text: '-- trailhound query=events\nSELECT 1', parameters: ['CreateUser'] },
  times: {
    submittedAt: '2026-12-04T10:00:00.000Z',
    completedAt: '2026-12-04T10:00:01.000Z',
    signedAt: '2026-12-04T10:00:02.000Z',
  },
  sources: [{ key: 'AWSLogs/1/CloudTrail/us-east-1/2023/07/10/x.json.gz', bytes: 10, readFrom: 'raw' }],
  result: { rows: 1, csvSha256: createHash('sha256').update(EVIDENCE_CSV).digest('hex') },
};
