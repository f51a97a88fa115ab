/**
 * GET /v1/detections: the detection catalog the sweep query runs, each detection with its
 * severity, MITRE ATT&CK techniques, what it means, its benign causes and references.
 */
import { z } from 'zod';
import { DETECTIONS } from '../detections/catalog.js';
import { json } from '../lib/http/responses.js';
import { schemaInput, staticRoute } from '../lib/http/route.js';

// Fixed at build time: described once, not on every request.
const catalog = {
  detections: DETECTIONS.map(({ condition: _condition, summary: _summary, ...described }) => described),
};

export const listDetections = staticRoute({
  name: 'listDetections',
  method: 'GET',
  resource: '/v1/detections',
  input: schemaInput(z.object({})),
  handle: async () => json(200, catalog),
});
