/**
 * What handlers run against: the configuration and the query engine. A runtime is made by the
 * process that serves requests and passed in: the local server is created with one, and each
 * Lambda entry is handed its container's, made on first use (src/lambda/containerRuntime.ts). Nothing holds a
 * runtime globally, so two servers in one process never share one.
 */
import type { Readable } from 'node:stream';
import type { Config } from './config.js';
import type { QueryEngine } from './engines/queryEngine.js';
import { CapabilityUnavailableError } from './errors.js';
import type { EvidenceSigner } from './evidence/evidenceSigner.js';
import type { IntegrityChecks } from './integrity/integrityChecks.js';
import type { LinkSigner } from './signing/signedLink.js';
import type { Watches } from './watches/watches.js';

/** Serving a result CSV from the local results directory: only the embedded engine has this. */
interface LocalDownloads {
  readonly signer: LinkSigner;
  /** The result's CSV as a stream, and the name to save it under. */
  openResultCsv(executionId: string): Promise<{ stream: Readable; fileName: string }>;
}

export interface Runtime {
  readonly config: Config;
  readonly engine: QueryEngine;
  readonly downloads?: LocalDownloads;
  /** Checks of the logs against CloudTrail's digests, where the runtime knows where they are. */
  readonly integrity?: IntegrityChecks;
  /** Signs executions' evidence: the local server's key, or a KMS key on AWS. */
  readonly evidence?: EvidenceSigner;
  /** Queries on a schedule whose new findings are delivered once (files locally, DynamoDB on AWS). */
  readonly watches?: Watches;
  /** What the results directory holds on disk (the embedded engine): GET /health says. */
  diskUse?(): Promise<{ readonly files: number; readonly bytes: number }>;
  /** Resolves when the background compaction under way, if any, has ended (the embedded engine). */
  compaction?(): Promise<void>;
  /** Resolves when the callbacks under way, if any, have been delivered or given up on. */
  callbacks?(): Promise<void>;
  /**
   * What a server does once it has its port: fails the executions a stopped server left behind
   * (the embedded engine). Not before: a server that cannot start must change nothing.
   */
  recover?(): Promise<void>;
  /**
   * Told the address the server listens on, once it has its port: the base of absolute links
   * (callbacks) where TRAILHOUND_PUBLIC_URL is not set.
   */
  listening?(baseUrl: string): void;
  /** Releases what the engine holds (files, native handles); the runtime is unusable after. */
  close?(): Promise<void>;
}

export type RuntimeProvider = () => Promise<Runtime>;

/** The runtime's integrity checks. @throws CapabilityUnavailableError where it has none. */
export const integrityChecksOf = (runtime: Runtime): IntegrityChecks => {
  if (runtime.integrity) return runtime.integrity;
  throw new CapabilityUnavailableError(
    'This deployment does not say where its logs and results are (TRAILHOUND_LOG_BUCKET, TRAILHOUND_RESULTS_BUCKET): integrity checks cannot run',
  );
};

/** The runtime's evidence signer. @throws CapabilityUnavailableError where it has none. */
export const evidenceSignerOf = (runtime: Runtime): EvidenceSigner => {
  if (runtime.evidence) return runtime.evidence;
  throw new CapabilityUnavailableError(
    'This deployment has no key to sign evidence with (TRAILHOUND_EVIDENCE_KMS_KEY on AWS)',
  );
};

/** The runtime's watches. @throws CapabilityUnavailableError where it has none. */
export const watchesOf = (runtime: Runtime): Watches => {
  if (runtime.watches) return runtime.watches;
  throw new CapabilityUnavailableError(
    'This deployment keeps no watches (TRAILHOUND_WATCHES_TABLE on AWS; the local server on the embedded engine has them)',
  );
};
