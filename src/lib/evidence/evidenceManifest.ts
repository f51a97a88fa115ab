/**
 * Signed evidence of an execution: what was asked, of which files, by whom, when, what those files'
 * integrity was, and what the answer was (its rows and the SHA-256 of the CSV a client downloads),
 * with a signature over the manifest's canonical JSON. A ticket can hold it beside the CSV, and
 * `trailhound verify-evidence` checks both years later.
 */
import { z } from 'zod';

export const EVIDENCE_FORMAT = 'trailhound-evidence/1';

const SourceSchema = z
  .object({
    /** The log file's key under AWSLogs/. */
    key: z.string(),
    bytes: z.number().int(),
    /** Read from the columnar store (built from this file) or from the file itself. */
    readFrom: z.enum(['raw', 'compacted']),
    /** Where the execution verified its logs: the gunzipped SHA-256 and what the check found. */
    sha256: z.string().optional(),
    verdict: z.enum(['valid', 'modified', 'undigested', 'uncovered']).optional(),
  })
  .strict();

const EvidenceManifestSchema = z
  .object({
    format: z.literal(EVIDENCE_FORMAT),
    executionId: z.string(),
    query: z.string(),
    label: z.string().optional(),
    /** The parameters as the request gave them. */
    parameters: z.record(z.string(), z.unknown()),
    window: z
      .object({
        from: z.string(),
        to: z.string(),
        accounts: z.array(z.string()).optional(),
        regions: z.array(z.string()).optional(),
      })
      .strict(),
    engine: z.enum(['duckdb', 'athena']),
    /** The statement as the engine ran it, `?` placeholders and their values in order. */
    statement: z.object({ text: z.string(), parameters: z.array(z.string()) }).strict(),
    /** Who started it (an IAM principal's ARN, or apiKey:<id>); absent on the local server. */
    caller: z.string().optional(),
    times: z.object({ submittedAt: z.string(), completedAt: z.string(), signedAt: z.string() }).strict(),
    sources: z.array(SourceSchema),
    integrity: z
      .object({
        checkId: z.string(),
        verdict: z.enum(['intact', 'tampered', 'unverifiable']),
        summary: z.record(z.string(), z.unknown()),
      })
      .strict()
      .optional(),
    result: z.object({ rows: z.number().int(), csvSha256: z.string() }).strict(),
  })
  .strict();
export type EvidenceManifest = z.infer<typeof EvidenceManifestSchema>;

export const EvidenceSignatureSchema = z
  .object({
    algorithm: z.enum(['Ed25519', 'ECDSA_SHA_256']),
    /** SHA-256 of the public key's DER (SubjectPublicKeyInfo), hex: which key to verify with. */
    publicKeySha256: z.string(),
    /** Base64 of the signature over the canonical JSON of `manifest`, UTF-8. */
    value: z.string(),
  })
  .strict();

export const EvidenceSchema = z
  .object({ manifest: EvidenceManifestSchema, signature: EvidenceSignatureSchema })
  .strict();
export type Evidence = z.infer<typeof EvidenceSchema>;
