/**
 * Callbacks not yet delivered, kept on disk beside the results: each one written before its first
 * try and removed once it is delivered or given up on, so that one whose retries a restart cut
 * short is tried again when the server starts (same delivery id: a receiver that got it drops the
 * duplicate). One small JSON file per execution, readable by the owner only, as the results are.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { isExecutionId } from '../engines/queryEngine.js';
import { logger } from '../logging/logger.js';
import type { EndedExecution } from './callbackNotifier.js';

const PendingSchema = z.object({
  execution: z.looseObject({ executionId: z.string(), state: z.string() }),
  notifyUrl: z.string(),
  rowCount: z.number().optional(),
});

export class PendingCallbacks {
  constructor(readonly dir: string) {}

  #file(executionId: string): string {
    if (!isExecutionId(executionId)) throw new Error(`Not an execution id: ${executionId}`);
    return path.join(this.dir, `${executionId}.json`);
  }

  /** Keeps a callback to deliver, whole or not at all (written aside, then renamed). */
  async save(ended: EndedExecution): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.#file(ended.execution.executionId);
    const partial = `${file}.${process.pid}.tmp`;
    await writeFile(partial, JSON.stringify(ended), { mode: 0o600 });
    await rename(partial, file);
  }

  async remove(executionId: string): Promise<void> {
    await rm(this.#file(executionId), { force: true });
  }

  /** Every callback still to deliver; a file that cannot be read is logged and left for a person. */
  async all(): Promise<EndedExecution[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const found: EndedExecution[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      try {
        const parsed = PendingSchema.parse(JSON.parse(await readFile(path.join(this.dir, name), 'utf8')));
        // Written by save() from an EndedExecution: checked for what delivery reads, kept whole.
        found.push(parsed as unknown as EndedExecution);
      } catch (error) {
        logger.error('a pending callback could not be read', { file: name, error: error as Error });
      }
    }
    return found;
  }
}
