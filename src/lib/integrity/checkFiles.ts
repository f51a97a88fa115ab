/**
 * Ended integrity checks kept as files, one JSON document each, written aside and renamed into
 * place so that a reader never sees half of one.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckRecord, CheckRecords } from './integrityChecks.js';

export class CheckFiles implements CheckRecords {
  constructor(private readonly dir: string) {}

  async save(record: CheckRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, `${record.checkId}.json`);
    await writeFile(`${file}.partial`, JSON.stringify(record));
    await rename(`${file}.partial`, file);
  }

  async load(checkId: string): Promise<CheckRecord | undefined> {
    try {
      return JSON.parse(await readFile(path.join(this.dir, `${checkId}.json`), 'utf8')) as CheckRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}
