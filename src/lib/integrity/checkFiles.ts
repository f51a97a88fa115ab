/**
 * Integrity checks kept as files, one JSON document each, written aside and put in place so that a
 * reader never sees half of one: `<id>.json` its progress, replaced as it moves; `<id>.ended.json`
 * its end, made once (a hard link fails where the file exists), so the first end stands and a
 * progress save landing after it changes nothing a reader sees.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckRecord, CheckRecords } from './integrityChecks.js';

export class CheckFiles implements CheckRecords {
  constructor(private readonly dir: string) {}

  async #written(record: CheckRecord): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const partial = path.join(this.dir, `${record.checkId}.${randomUUID()}.partial`);
    await writeFile(partial, JSON.stringify(record));
    return partial;
  }

  async save(record: CheckRecord): Promise<void> {
    const partial = await this.#written(record);
    try {
      await rename(partial, path.join(this.dir, `${record.checkId}.json`));
    } finally {
      await rm(partial, { force: true });
    }
  }

  async end(record: CheckRecord): Promise<boolean> {
    const target = path.join(this.dir, `${record.checkId}.ended.json`);
    const partial = await this.#written(record);
    try {
      await link(partial, target);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      // A file system without hard links: created only where none is, written in place.
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') {
        return writeFile(target, JSON.stringify(record), { flag: 'wx' }).then(
          () => true,
          (failure: NodeJS.ErrnoException) => {
            if (failure.code === 'EEXIST') return false;
            throw failure;
          },
        );
      }
      throw error;
    } finally {
      await rm(partial, { force: true });
    }
  }

  /**
   * Removes what a process stopped while writing left behind (a record written aside, never put in
   * place). Only for the one process that writes here, when it starts.
   */
  async removePartials(): Promise<number> {
    const names = await readdir(this.dir).catch(() => []);
    const partials = names.filter((name) => name.endsWith('.partial'));
    for (const name of partials) await rm(path.join(this.dir, name), { force: true });
    return partials.length;
  }

  async #read(name: string): Promise<CheckRecord | undefined> {
    try {
      return JSON.parse(await readFile(path.join(this.dir, name), 'utf8')) as CheckRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async load(checkId: string): Promise<CheckRecord | undefined> {
    return (await this.#read(`${checkId}.ended.json`)) ?? (await this.#read(`${checkId}.json`));
  }
}
