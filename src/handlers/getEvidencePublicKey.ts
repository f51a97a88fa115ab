/** GET /v1/evidence/public-key: the public key evidence is signed with, PEM, for verify-evidence. */
import { z } from 'zod';
import { text } from '../lib/http/responses.js';
import { engineRoute, schemaInput } from '../lib/http/route.js';
import { evidenceSignerOf } from '../lib/runtime.js';

export const getEvidencePublicKey = engineRoute({
  name: 'getEvidencePublicKey',
  method: 'GET',
  resource: '/v1/evidence/public-key',
  input: schemaInput(z.object({})),
  handle: async (_input, { runtime }) =>
    text(200, await evidenceSignerOf(runtime).publicKeyPem(), 'application/x-pem-file'),
});
