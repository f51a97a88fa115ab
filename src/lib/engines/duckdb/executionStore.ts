/**
 * Where the embedded engine keeps executions, as Athena keeps them in S3: one JSON record, one
 * CSV and its page index per execution in the results directory, readable by the owner only and
 * readable after a restart.
 *
 * A record is written to a temporary file of its own and renamed into place, so a reader sees a
 * whole record or the one before. Changes to one execution are applied one at a time, each to the
 * record as it then stands, and an ended execution's record no longer changes: a cancel, the run's
 * start and its end can land in any order without losing a state.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { KeyedSerial } from '../../keyedSerial.js';
import { RecentMap } from '../../recentMap.js';
import { type Execution, isExecutionId, isTerminal, type ResultColumn } from '../queryEngine.js';
import {
  nodeFileSystem,
  OWNER_ONLY_DIR,
  OWNER_ONLY_FILE,
  type ResultFileSystem,
} from './resultFileSystem.js';

export interface StoredExecution extends Execution {
  readonly columns: readonly ResultColumn[];
  readonly rowCount?: number;
  readonly idempotencyKey?: string;
  /** What the Idempotency-Key was first used for: a retry must ask the same. */
  readonly requestFingerprint?: string;
  /** Where to POST the callback when it ends. */
  readonly notifyUrl?: string;
  /** For its evidence: the statement as run, the request's parameters, the accounts and regions. */
  readonly statement?: { readonly text: string; readonly parameters: readonly string[] };
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly scope?: { readonly accounts?: readonly string[]; readonly regions?: readonly string[] };
  /** A watch delivered findings from it: its results are kept the whole retention. */
  readonly retained?: true;
}

const RECORD = /^(.+)\.json$/;
const TEMPORARY = /\.tmp$/;

/** What a listing reads of an execution to filter and order it. */
type Summary = Pick<Execution, 'executionId' | 'submittedAt' | 'query' | 'label' | 'state' | 'expired'>;

const summaryOf = ({ executionId, submittedAt, query, label, state, expired }: Execution): Summary => ({
  executionId,
  submittedAt,
  query,
  ...(label === undefined ? {} : { label }),
  state,
  ...(expired ? { expired } : {}),
});

/** Newest first; two submitted in the same millisecond by id. */
const newestFirst = (a: Summary, b: Summary) =>
  b.submittedAt.localeCompare(a.submittedAt) || b.executionId.localeCompare(a.executionId);

export class ExecutionStore {
  readonly #files: ResultFileSystem;
  /** Changes to one execution, one at a time. */
  readonly #serial = new KeyedSerial();
  /**
   * Records that could not be written (a full disk): newer than the file, so they are what this
   * process answers with until a write succeeds. A restart sees the file's state, and fails it if
   * it had not ended.
   */
  readonly #unsaved = new Map<string, StoredExecution>();
  /**
   * Ended records, as last read or written: one changes only through this store (amendEnded), so
   * a result's pages do not read and parse its record for every page (the sweep's holds its
   * statement, 140 kB: 0.5 ms a page).
   */
  readonly #ended = new RecentMap<string, StoredExecution>(32);
  /** Records written so far: a read that a write overtook does not keep what it read. */
  #writes = 0;

  readonly #onEnded: ((execution: StoredExecution) => void) | undefined;
  /**
   * Every execution's summary, newest first, read from disk once (all) and kept current by every
   * write: a listing page filters these in memory and reads only its own records, so it costs
   * what the page costs however long the history. The store is its directory's only writer (one
   * server per results directory).
   */
  #index: Summary[] | undefined;

  /** `onEnded` hears each execution whose record this store moved to an end, once. */
  constructor(
    readonly dir: string,
    files: ResultFileSystem = nodeFileSystem,
    onEnded?: (execution: StoredExecution) => void,
  ) {
    this.#files = files;
    this.#onEnded = onEnded;
  }

  /** Creates the directory (owner only), and removes what a crash left half-written. */
  async init(): Promise<void> {
    await this.#files.mkdir(this.dir, { recursive: true, mode: OWNER_ONLY_DIR });
    await this.#files.chmod(this.dir, OWNER_ONLY_DIR);
    for (const name of await this.#files.readdir(this.dir)) {
      if (TEMPORARY.test(name)) await this.#files.rm(path.join(this.dir, name), { force: true });
    }
  }

  csvPath(executionId: string): string {
    return path.join(this.dir, `${executionId}.csv`);
  }

  indexPath(executionId: string): string {
    return path.join(this.dir, `${executionId}.index`);
  }

  /** The log files the execution read (SourceFile[] as JSON), for its evidence. */
  sourcesPath(executionId: string): string {
    return path.join(this.dir, `${executionId}.sources`);
  }

  /** A unique temporary name beside `target`: two writers never share one. */
  temporaryPath(target: string): string {
    return `${target}.${randomUUID()}.tmp`;
  }

  #recordPath(executionId: string): string {
    return path.join(this.dir, `${executionId}.json`);
  }

  /** Puts the execution's summary in the index, where its order says. */
  #indexed(execution: Execution) {
    if (!this.#index) return;
    const summary = summaryOf(execution);
    const at = this.#index.findIndex((s) => s.executionId === execution.executionId);
    if (at >= 0) this.#index[at] = summary;
    else {
      const before = this.#index.findIndex((s) => newestFirst(summary, s) < 0);
      this.#index.splice(before < 0 ? this.#index.length : before, 0, summary);
    }
  }

  async #write(execution: StoredExecution): Promise<void> {
    // Indexed as it is answered: written, or kept unsaved when the disk refuses it.
    this.#indexed(execution);
    const target = this.#recordPath(execution.executionId);
    const temporary = this.temporaryPath(target);
    try {
      await this.#files.writeFile(temporary, JSON.stringify(execution, null, 2), {
        mode: OWNER_ONLY_FILE,
        flag: 'wx',
      });
      await this.#files.rename(temporary, target);
      this.#unsaved.delete(execution.executionId);
      this.#writes += 1;
      this.#remember(execution);
    } catch (error) {
      this.#unsaved.set(execution.executionId, execution);
      await this.#files.rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  /** Saves a new execution's first record. */
  create(execution: StoredExecution): Promise<void> {
    return this.#serial.run(execution.executionId, () => this.#write(execution));
  }

  /**
   * Applies `change` to the record as it stands and saves the result, unless the execution has
   * ended (an ended record never changes) or `change` returns undefined. @returns the record now.
   */
  update(
    executionId: string,
    change: (current: StoredExecution) => StoredExecution | undefined,
  ): Promise<StoredExecution | undefined> {
    return this.#change(executionId, (current) => !isTerminal(current.state), change);
  }

  /**
   * Applies `change` to an ended execution's record: what happens to it after its end (its results
   * expired, kept for a watch). @returns the record now.
   */
  amendEnded(
    executionId: string,
    change: (current: StoredExecution) => StoredExecution | undefined,
  ): Promise<StoredExecution | undefined> {
    return this.#change(executionId, (current) => isTerminal(current.state), change);
  }

  /** Applies `change` to the record as it stands, where `applies` to it, after every change queued before. */
  #change(
    executionId: string,
    applies: (current: StoredExecution) => boolean,
    change: (current: StoredExecution) => StoredExecution | undefined,
  ): Promise<StoredExecution | undefined> {
    return this.#serial.run(executionId, async () => {
      const current = await this.load(executionId);
      if (!current || !applies(current)) return current;
      const next = change(current);
      if (!next) return current;
      try {
        await this.#write(next);
      } finally {
        // Ended even when the record could not be written (it is kept unsaved, and answered).
        if (isTerminal(next.state) && !isTerminal(current.state)) this.#onEnded?.(next);
      }
      return next;
    });
  }

  #remember(execution: StoredExecution): void {
    if (isTerminal(execution.state)) this.#ended.set(execution.executionId, execution);
    else this.#ended.delete(execution.executionId);
  }

  /** The record, or undefined for an id this store never saw (ids are checked before any path is built). */
  load(executionId: string): Promise<StoredExecution | undefined> {
    return this.#read(executionId, true);
  }

  /** The record; an ended one read from its file is kept if `remember` (not so for a listing's). */
  async #read(executionId: string, remember: boolean): Promise<StoredExecution | undefined> {
    if (!isExecutionId(executionId)) return undefined;
    const known = this.#unsaved.get(executionId) ?? this.#ended.get(executionId);
    if (known) return known;
    const writes = this.#writes;
    try {
      const read = JSON.parse(
        (await this.#files.readFile(this.#recordPath(executionId))).toString('utf8'),
      ) as StoredExecution;
      if (remember && this.#writes === writes) this.#remember(read);
      return read;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Every execution, read from disk; the listing's index is made from them. */
  async all(): Promise<StoredExecution[]> {
    const ids = (await this.#files.readdir(this.dir)).flatMap((name) => RECORD.exec(name)?.[1] ?? []);
    const loaded = (await Promise.all(ids.map((id) => this.#read(id, false)))).filter(
      (e): e is StoredExecution => e !== undefined,
    );
    this.#index = loaded.map(summaryOf).sort(newestFirst);
    return loaded;
  }

  /** The first `limit` executions `matches` keeps, newest first: `limit` records read, however long the history. */
  async page(
    matches: (summary: Summary) => boolean,
    limit: number,
  ): Promise<{ readonly executions: StoredExecution[]; readonly more: boolean }> {
    if (!this.#index) await this.all();
    const chosen = (this.#index ?? []).filter(matches);
    const records = await Promise.all(chosen.slice(0, limit).map((s) => this.#read(s.executionId, false)));
    return {
      executions: records.filter((e): e is StoredExecution => e !== undefined),
      more: chosen.length > limit,
    };
  }
}
