// @ts-check
'use strict';
/**
 * The template's Lambda functions, for serverless.yml's `functions:`. Which functions exist, and
 * each route's method and path, come from the code (deploy/generated/functions.json, generated
 * from the route table by `npm run generate`); what is a deployment's own is set here, once per
 * function: its role (deploy/resources/roles.yml), and for the event functions their events and
 * time limits. Everything is the framework's native configuration:
 * - every HTTP route is an `http` event signed with SigV4 (`authorizer: aws_iam`), also behind an
 *   API key when `apiKeys=true` (`private`), with the framework's `cors` preflights when
 *   `corsOrigins` lists origins;
 * - `reservedConcurrency` when the parameter is above 0 (the framework's 0 would throttle a
 *   function to nothing: our 0 means that nothing is reserved).
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');

/**
 * @typedef {{ http: { function: string, method: string, path: string }[], events: string[],
 *   cors: { headers: string[], maxAge: number } }} Generated
 */

/** @returns {Generated} */
const generated = () => JSON.parse(readFileSync(path.join(__dirname, 'generated/functions.json'), 'utf8'));

/** Each function's role: what its handler calls, and no more (deploy/resources/roles.yml). */
const ROLES = {
  health: 'NoAwsRole',
  listQueries: 'NoAwsRole',
  listDetections: 'NoAwsRole',
  getOpenApi: 'NoAwsRole',
  createWatch: 'CreateWatchRole',
  listWatches: 'ListWatchesRole',
  getWatch: 'GetWatchRole',
  deleteWatch: 'DeleteWatchRole',
  runWatch: 'RunWatchRole',
  runWatches: 'RunWatchesRole',
  startExecution: 'StartExecutionRole',
  listExecutions: 'ListExecutionsRole',
  getExecution: 'GetExecutionRole',
  cancelExecution: 'CancelExecutionRole',
  getResults: 'GetResultsRole',
  getCsv: 'GetCsvRole',
  startIntegrityCheck: 'StartIntegrityCheckRole',
  getIntegrityCheck: 'GetIntegrityCheckRole',
  runIntegrityCheck: 'RunIntegrityCheckRole',
  getEvidence: 'GetEvidenceRole',
  getEvidencePublicKey: 'GetEvidencePublicKeyRole',
  notifyExecution: 'NotifyExecutionRole',
  compactDays: 'CompactionRole',
};

/**
 * The functions no HTTP request reaches, each with its own settings.
 * @param {{ workGroup: string }} names
 * @returns {Record<string, Record<string, unknown>>}
 */
const eventFunctionSettings = ({ workGroup }) => ({
  // Athena's state changes of the workgroup, for callbacks: seven tries over a minute, each up to
  // 10 s; retried by nobody else, so delivered once. 15 minutes: an execution that verifies its
  // logs is delivered once its check (up to 15 minutes in runIntegrityCheck) has ended too.
  notifyExecution: {
    timeout: 900,
    maximumRetryAttempts: 0,
    events: [
      {
        eventBridge: {
          pattern: {
            source: ['aws.athena'],
            'detail-type': ['Athena Query State Change'],
            detail: { workgroupName: [workGroup], currentState: ['SUCCEEDED', 'FAILED', 'CANCELLED'] },
          },
        },
      },
    ],
  },
  // The daily compaction (CompactionSchedule in deploy/resources/store.yml): 15 minutes, never
  // retried by Lambda (the next run completes what a failed one left).
  compactDays: {
    timeout: 900,
    maximumRetryAttempts: 0,
    environment: { TRAILHOUND_COMPACT_WORKGROUP: `${workGroup}-compaction` },
  },
  // Integrity checks, invoked asynchronously by startIntegrityCheck: 15 minutes, never retried by
  // Lambda (a check that failed says so in its record; the caller starts another). 3,008 MB, the
  // most a new account may give a function: about two vCPUs, to gunzip and hash as files stream.
  runIntegrityCheck: {
    timeout: 900,
    memorySize: 3008,
    maximumRetryAttempts: 0,
  },
  // The watches' schedule: every 5 minutes it finishes the runs that ended, starts those due and
  // waits for them within its 15 minutes. Never retried by Lambda (the next tick goes on: every
  // run is claimed in the table, so two ticks at once neither run nor deliver one twice).
  runWatches: {
    timeout: 900,
    maximumRetryAttempts: 0,
    events: [{ schedule: { rate: ['rate(5 minutes)'], enabled: true } }],
  },
});

/** @param {string | undefined} value */
const list = (value) => (value ? String(value).split(',').filter(Boolean) : []);

/**
 * The functions, from the generated list and the resolved parameters.
 * @param {Generated} functions
 * @param {Record<string, string>} params apiKeys, corsOrigins, reservedConcurrency
 * @param {{ workGroup: string }} names
 */
const lambdaFunctions = (functions, params, names) => {
  const events = eventFunctionSettings(names);
  const all = [...functions.http.map((f) => f.function), ...functions.events];
  const unknown = [
    ...all.filter((name) => !(name in ROLES)),
    ...functions.events.filter((name) => !(name in events)),
  ];
  if (unknown.length > 0) throw new Error(`deploy/functions.cjs has no settings for ${unknown.join(', ')}`);
  const reserved = Number(params.reservedConcurrency);
  const origins = list(params.corsOrigins);
  /** @param {string} name */
  const base = (name) => ({
    handler: `src/lambda/${name}.handler`,
    role: ROLES[/** @type {keyof typeof ROLES} */ (name)],
    ...(reserved > 0 ? { reservedConcurrency: reserved } : {}),
  });
  return Object.fromEntries([
    ...functions.http.map((route) => [
      route.function,
      {
        ...base(route.function),
        events: [
          {
            http: {
              path: route.path,
              method: route.method,
              authorizer: 'aws_iam',
              private: params.apiKeys === 'true',
              ...(origins.length > 0
                ? {
                    cors: {
                      origins,
                      headers: functions.cors.headers,
                      allowCredentials: false,
                      maxAge: functions.cors.maxAge,
                    },
                  }
                : {}),
            },
          },
        ],
      },
    ]),
    ...functions.events.map((name) => [name, { ...base(name), ...events[name] }]),
  ]);
};

/** @param {{ resolveVariable: (variable: string) => Promise<any> }} framework */
module.exports = async ({ resolveVariable }) =>
  lambdaFunctions(generated(), await resolveVariable('self:custom.parameters'), {
    workGroup: String(await resolveVariable('self:custom.workGroup')),
  });
module.exports.lambdaFunctions = lambdaFunctions;
module.exports.ROLES = ROLES;
