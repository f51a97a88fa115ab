/**
 * Checks a real answer against what the OpenAPI document says that route answers with that status
 * and content type: the documented schema, compiled with Ajv (JSON Schema 2020-12, as OpenAPI 3.1).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../src/openapi/openApiDocument.js';
import { API_ROUTES } from '../../src/routes.js';

export const DOCUMENT = openApiDocument(API_ROUTES);

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ $id: 'openapi', components: DOCUMENT.components });

const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

// biome-ignore lint/suspicious/noExplicitAny: the document is free-form JSON
type Json = any;

/** The errors of `body` against the documented answer, or [] when it fits. */
export const answerProblems = (
  method: string,
  resource: string,
  status: number,
  contentType: string,
  body: unknown,
): string[] => {
  const operation: Json = (DOCUMENT.paths as Json)[resource]?.[method.toLowerCase()];
  if (!operation) return [`${method} ${resource} is not documented`];
  const response = operation.responses[String(status)];
  if (!response) return [`${method} ${resource} does not document status ${status}`];
  // An answer documented without content (204) has none.
  if (!response.content) return body === '' || body === null || body === undefined ? [] : ['has a body'];
  const mediaType = contentType.split(';')[0]?.trim() ?? '';
  const content = response.content?.[mediaType];
  if (!content) return [`${method} ${resource} ${status} does not document ${mediaType}`];
  const key = `${method} ${resource} ${status} ${mediaType}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(
      JSON.parse(JSON.stringify(content.schema).replaceAll('"#/components/', '"openapi#/components/')),
    );
    compiled.set(key, validate);
  }
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};
