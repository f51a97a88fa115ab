/**
 * An execution's evidence: the manifest made from what its engine knows of it (ExecutionFacts)
 * and, where it verified its logs, what the integrity check found of each file; then signed over
 * its canonical JSON.
 */
import type { EngineName } from '../config.js';
import type { ExecutionFacts } from '../engines/queryEngine.js';
import type { CheckRecord } from '../integrity/integrityChecks.js';
import { canonicalJson } from './canonicalJson.js';
import { EVIDENCE_FORMAT, type Evidence, type EvidenceManifest } from './evidenceManifest.js';
import type { EvidenceSigner } from './evidenceSigner.js';

export interface EvidenceInput {
  readonly facts: ExecutionFacts;
  readonly engine: EngineName;
  readonly caller: string | undefined;
  /** The check of the execution's logs, when it asked for one (verifyIntegrity). */
  readonly check: CheckRecord | undefined;
  readonly signedAt: string;
}

const evidenceManifest = ({ facts, engine, caller, check, signedAt }: EvidenceInput): EvidenceManifest => {
  const { execution } = facts;
  const checked = new Map((check?.files ?? []).map((f) => [f.key, f]));
  return {
    format: EVIDENCE_FORMAT,
    executionId: execution.executionId,
    query: execution.query,
    ...(execution.label ? { label: execution.label } : {}),
    parameters: { ...facts.parameters },
    window: {
      from: execution.window?.from ?? '',
      to: execution.window?.to ?? '',
      ...(facts.scope.accounts ? { accounts: [...facts.scope.accounts] } : {}),
      ...(facts.scope.regions ? { regions: [...facts.scope.regions] } : {}),
    },
    engine,
    statement: { text: facts.statement.text, parameters: [...facts.statement.parameters] },
    ...(caller ? { caller } : {}),
    times: { submittedAt: execution.submittedAt, completedAt: execution.completedAt ?? '', signedAt },
    sources: facts.sources.map((source) => {
      const found = checked.get(source.key);
      return {
        ...source,
        ...(found?.sha256 ? { sha256: found.sha256 } : {}),
        ...(found ? { verdict: found.status } : {}),
      };
    }),
    ...(check?.verdict && check.summary
      ? { integrity: { checkId: check.checkId, verdict: check.verdict, summary: check.summary } }
      : {}),
    result: { rows: facts.rows, csvSha256: facts.csvSha256 },
  };
};

export const signedEvidence = async (input: EvidenceInput, signer: EvidenceSigner): Promise<Evidence> => {
  const manifest = evidenceManifest(input);
  return { manifest, signature: await signer.sign(canonicalJson(manifest)) };
};
