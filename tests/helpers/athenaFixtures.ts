/** An Athena QueryExecution as GetQueryExecution returns one for a statement trailhound started. */
import type { QueryExecution } from '@aws-sdk/client-athena';
import { writeStatementHeader } from '../../src/lib/sql/statementHeader.js';

export const EXECUTION_ID = '6f1a5f0e-4b1d-4e8e-9d55-0a2a2c9a9e11';

export const queryExecution = (
  overrides: Partial<QueryExecution> = {},
  state = 'SUCCEEDED',
  query = 'principal-activity',
): QueryExecution => ({
  QueryExecutionId: EXECUTION_ID,
  Query: `${writeStatementHeader({ query, from: '2023-07-10T00:00:00Z', to: '2023-07-11T00:00:00Z' })}
WITH events AS (SELECT 1)
SELECT 1`,
  WorkGroup: 'trailhound',
  ExecutionParameters: ["'2023/07/10'", "'2023/07/11'", "'2023-07-10T00:00:00Z'", "'2023-07-11T00:00:00Z'"],
  ResultConfiguration: { OutputLocation: `s3://trailhound-results/athena/${EXECUTION_ID}.csv` },
  Status: {
    State: state as never,
    SubmissionDateTime: new Date('2026-01-01T00:00:00Z'),
    CompletionDateTime: new Date('2026-01-01T00:00:02Z'),
  },
  Statistics: { DataScannedInBytes: 337195, EngineExecutionTimeInMillis: 1234, QueryQueueTimeInMillis: 56 },
  ...overrides,
});
