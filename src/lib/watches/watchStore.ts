/**
 * Where watches and the keys they delivered are kept: files under TRAILHOUND_STATE_DIR locally
 * (fileWatchStore.ts). Every change is a read-modify-write that no other change interleaves with,
 * and the delivered keys are a set apart from the watch, each kept until it expires (`lookback`
 * plus a day: a finding older than that cannot come back into a run's window).
 */
import type { ResultValue } from '../engines/queryEngine.js';
import type { WatchDefinition } from './watchDefinition.js';

type WatchRunState = 'RUNNING' | 'SUCCEEDED' | 'FAILED';
/** What started a run: the schedule, or POST /v1/watches/{watchId}/runs. */
export type WatchRunTrigger = 'schedule' | 'request';

export interface WatchRun {
  readonly trigger: WatchRunTrigger;
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly state: WatchRunState;
  /** The execution the run started, listed in GET /v1/executions with the label watch:<watchId>. */
  readonly executionId?: string;
  readonly window?: { readonly from: string; readonly to: string };
  /** Rows the execution answered. */
  readonly findings?: number;
  /** Of them, those this watch had not delivered or held pending before. */
  readonly newFindings?: number;
  /** Findings delivered by this run: new ones and those earlier runs could not deliver. */
  readonly delivered?: number;
  /** Findings left for the next run: their delivery failed. */
  readonly pending?: number;
  /** Why the run failed (the execution, the budget, the query). */
  readonly error?: string;
  /** Why a delivery failed, after its retries. */
  readonly deliveryError?: string;
}

export type FindingRow = Readonly<Record<string, ResultValue>>;

/** A finding found but not delivered yet: sent again by the next run, even outside its window. */
interface PendingFinding {
  readonly key: string;
  readonly row: FindingRow;
  readonly executionId: string;
}

export interface WatchRecord {
  readonly watchId: string;
  readonly createdAt: string;
  /** Who made it: its runs are theirs (on AWS, executions belong to a principal). */
  readonly owner?: string;
  readonly definition: WatchDefinition;
  /** When the schedule runs it next. */
  readonly nextRunAt: string;
  /** A run under way: no other starts until it ends (or is found interrupted). */
  readonly running?: {
    readonly since: string;
    readonly trigger: WatchRunTrigger;
    readonly executionId?: string;
    readonly window?: { readonly from: string; readonly to: string };
    /** When a process began finishing it (delivering): no other does meanwhile. */
    readonly finishing?: string;
  };
  readonly lastRun?: WatchRun;
  /** Where the window of the last run that succeeded ended: a run after a failed one reaches back to it. */
  readonly coveredTo?: string;
  readonly totals: {
    readonly runs: number;
    readonly failedRuns: number;
    readonly findingsDelivered: number;
  };
  readonly pending: readonly PendingFinding[];
}

export interface WatchStore {
  /** @throws WatchLimitError when `maxWatches` watches exist already. */
  create(record: WatchRecord, maxWatches: number): Promise<void>;
  get(watchId: string): Promise<WatchRecord | undefined>;
  /** Every watch, oldest first. */
  list(): Promise<WatchRecord[]>;
  /** Removes the watch and its delivered keys; whether it was there. */
  remove(watchId: string): Promise<boolean>;
  /**
   * Applies `change` to the watch with no other change in between. `change` answering undefined
   * writes nothing. @returns the record written, or undefined (gone, or nothing to write).
   */
  update(
    watchId: string,
    change: (record: WatchRecord) => WatchRecord | undefined,
  ): Promise<WatchRecord | undefined>;
  /** Of `keys`, those the watch delivered and that have not expired. */
  delivered(watchId: string, keys: readonly string[]): Promise<ReadonlySet<string>>;
  /** Records `keys` as delivered until `expiresAt` (ms since the epoch). */
  markDelivered(watchId: string, keys: readonly string[], expiresAt: number): Promise<void>;
}
