/**
 * Where the embedded engine keeps executions, as Athena keeps them in S3: one JSON record and one
 * CSV per execution in the results directory, written atomically, readable after a restart.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Execution, isExecutionId, type ResultColumn } from '../queryEngine.js';

export interface StoredExecution extends Execution {
  readonly columns: readonly ResultColumn[];
  readonly rowCount?: number;
  readonly idempotencyKey?: string;
}

export class ExecutionStore {
  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  csvPath(executionId: string): string {
    return path.join(this.dir, `${executionId}.csv`);
  }

  #recordPath(executionId: string): string {
    return path.join(this.dir, `${executionId}.json`);
  }

  async save(execution: StoredExecution): Promise<void> {
    const target = this.#recordPath(execution.executionId);
    await writeFile(`${target}.tmp`, JSON.stringify(execution, null, 2));
    await rename(`${target}.tmp`, target);
  }

  /** The record, or undefined for an id this store never saw (ids are checked before any path is built). */
  async load(executionId: string): Promise<StoredExecution | undefined> {
    if (!isExecutionId(executionId)) return undefined;
    try {
      return JSON.parse(await readFile(this.#recordPath(executionId), 'utf8')) as StoredExecution;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async all(): Promise<StoredExecution[]> {
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    const loaded = await Promise.all(names.map((n) => this.load(n.slice(0, -'.json'.length))));
    return loaded.filter((e): e is StoredExecution => e !== undefined);
  }
}
