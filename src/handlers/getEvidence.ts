/**
 * GET /v1/executions/{executionId}/evidence: the signed evidence of an execution that SUCCEEDED,
 * `{manifest, signature}`: what was asked (query, parameters, window, statement), by whom, when,
 * of which log files (and, where it verified them, each one's hash and verdict), and what it
 * answered (rows, the SHA-256 of the CSV). `trailhound verify-evidence` checks it.
 */
import { z } from 'zod';
import { CapabilityUnavailableError } from '../lib/errors.js';
import { signedEvidence } from '../lib/evidence/composeEvidence.js';
import { callerOf } from '../lib/http/caller.js';
import { ExecutionPathSchema } from '../lib/http/executionPath.js';
import { json } from '../lib/http/responses.js';
import { engineRoute, schemaInput } from '../lib/http/route.js';
import { logger } from '../lib/logging/logger.js';
import { evidenceSignerOf, integrityChecksOf } from '../lib/runtime.js';

export const getEvidence = engineRoute({
  name: 'getEvidence',
  method: 'GET',
  resource: '/v1/executions/{executionId}/evidence',
  input: schemaInput(z.object({ path: ExecutionPathSchema, principal: z.string().optional() })),
  handle: async ({ path, principal }, { runtime }) => {
    logger.appendKeys({ executionId: path.executionId });
    const signer = evidenceSignerOf(runtime);
    const { engine } = runtime;
    if (!engine.facts)
      throw new CapabilityUnavailableError('This engine cannot state what an execution read');
    const facts = await engine.facts(path.executionId, callerOf(principal, runtime.config));
    const checkId = facts.execution.statistics.integrity?.checkId;
    const check = checkId ? await integrityChecksOf(runtime).record(checkId) : undefined;
    const evidence = await signedEvidence(
      {
        facts,
        engine: runtime.config.TRAILHOUND_ENGINE,
        caller: principal,
        check,
        signedAt: new Date().toISOString(),
      },
      signer,
    );
    return json(200, evidence);
  },
});
