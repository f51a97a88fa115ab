/**
 * GET /v1/detections: the detection catalog the sweep query runs, each detection with its
 * severity, MITRE ATT&CK techniques, what it means, its benign causes and references.
 */
import { z } from 'zod';
import { DETECTIONS } from '../detections/catalog.js';
import { type Detection, isAggregate, PRINCIPAL_KINDS } from '../detections/detection.js';
import { json } from '../lib/http/responses.js';
import { schemaInput, staticRoute } from '../lib/http/route.js';

/** What a detection is for a reader: its description, the principals it is about, its kind, and an aggregate's threshold; never its SQL. */
const described = (detection: Detection) => {
  const { name, title, severity, techniques, description, benignCauses, references } = detection;
  return {
    name,
    title,
    severity,
    techniques,
    description,
    benignCauses,
    references,
    principals: detection.principals ?? PRINCIPAL_KINDS,
    ...(isAggregate(detection)
      ? { kind: 'aggregate' as const, threshold: detection.aggregate.threshold }
      : { kind: 'event' as const }),
  };
};

// Fixed at build time: described once, not on every request.
const catalog = { detections: DETECTIONS.map(described) };

export const listDetections = staticRoute({
  name: 'listDetections',
  method: 'GET',
  resource: '/v1/detections',
  input: schemaInput(z.object({})),
  handle: async () => json(200, catalog),
});
