/**
 * Watches on the local server: one JSON file per watch and one of its delivered keys, under
 * TRAILHOUND_STATE_DIR/watches. Each file is replaced whole (written aside, then renamed over), so
 * a crash leaves the old file or the new one, never half of either. Changes are serialised in
 * this process, and the directory is held by one process (see processLock.ts) from its first change:
 * a server that never makes a watch never takes it.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EngineUnavailableError, WatchLimitError } from '../errors.js';
import { KeyedSerial } from '../keyedSerial.js';
import { LockHeldError, lockFile } from '../processLock.js';
import type { WatchRecord, WatchStore } from './watchStore.js';

const RECORD = /^([0-9a-f-]{36})\.json$/;

const readJson = async <T>(file: string): Promise<T | undefined> => {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

let sequence = 0;
/** Writes `value` to `file` whole: aside first, then renamed over it. */
const replaceFile = async (file: string, value: unknown): Promise<void> => {
  sequence += 1;
  const aside = `${file}.${process.pid}.${sequence}.tmp`;
  await writeFile(aside, `${JSON.stringify(value)}\n`, { mode: 0o600 });
  await rename(aside, file);
};

export class FileWatchStore implements WatchStore {
  /** Each watch's changes (and, under '', creations and removals), one at a time. */
  readonly #serial = new KeyedSerial();

  #held: Promise<() => Promise<void>> | undefined;

  constructor(private readonly dir: string) {}

  /** Takes the directory for this process before its first change; another live holder refuses. */
  #own(): Promise<unknown> {
    this.#held ??= mkdir(this.dir, { recursive: true, mode: 0o700 })
      .then(() => lockFile(path.join(this.dir, 'owner.lock')))
      .catch((error: unknown) => {
        this.#held = undefined;
        if (!(error instanceof LockHeldError)) throw error;
        throw new EngineUnavailableError(
          `The watches in ${this.dir} belong to another trailhound server (process ${error.pid}): stop it, or give this one a directory of its own (TRAILHOUND_STATE_DIR)`,
        );
      });
    return this.#held;
  }

  /** Gives the directory up, if this process held it. */
  async close(): Promise<void> {
    const held = this.#held;
    this.#held = undefined;
    if (held) await (await held.catch(() => async () => undefined))();
  }

  #recordFile(watchId: string) {
    return path.join(this.dir, `${watchId}.json`);
  }

  #keysFile(watchId: string) {
    return path.join(this.dir, `${watchId}.delivered.json`);
  }

  async #ids(): Promise<string[]> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    return names.flatMap((name) => RECORD.exec(name)?.[1] ?? []);
  }

  create(record: WatchRecord, maxWatches: number): Promise<void> {
    return this.#serial.run('', async () => {
      await this.#own();
      if ((await this.#ids()).length >= maxWatches) throw new WatchLimitError(maxWatches);
      await replaceFile(this.#recordFile(record.watchId), record);
    });
  }

  get(watchId: string): Promise<WatchRecord | undefined> {
    return readJson<WatchRecord>(this.#recordFile(watchId));
  }

  async list(): Promise<WatchRecord[]> {
    const records = await Promise.all((await this.#ids()).map((id) => this.get(id)));
    return records
      .filter((r): r is WatchRecord => r !== undefined)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.watchId.localeCompare(b.watchId));
  }

  remove(watchId: string): Promise<boolean> {
    return this.#serial.run('', () =>
      this.#serial.run(watchId, async () => {
        await this.#own();
        const existed = (await this.get(watchId)) !== undefined;
        await rm(this.#recordFile(watchId), { force: true });
        await rm(this.#keysFile(watchId), { force: true });
        return existed;
      }),
    );
  }

  update(
    watchId: string,
    change: (record: WatchRecord) => WatchRecord | undefined,
  ): Promise<WatchRecord | undefined> {
    return this.#serial.run(watchId, async () => {
      const record = await this.get(watchId);
      const changed = record ? change(record) : undefined;
      if (changed) await this.#own();
      if (changed) await replaceFile(this.#recordFile(watchId), changed);
      return changed;
    });
  }

  async #keys(watchId: string, now: number): Promise<Record<string, number>> {
    const all = (await readJson<Record<string, number>>(this.#keysFile(watchId))) ?? {};
    return Object.fromEntries(Object.entries(all).filter(([, expiresAt]) => expiresAt > now));
  }

  async delivered(watchId: string, keys: readonly string[]): Promise<ReadonlySet<string>> {
    const known = await this.#keys(watchId, Date.now());
    return new Set(keys.filter((key) => key in known));
  }

  markDelivered(watchId: string, keys: readonly string[], expiresAt: number): Promise<void> {
    return this.#serial.run(watchId, async () => {
      // Not for a watch deleted meanwhile: its keys went with it.
      if ((await this.get(watchId)) === undefined) return;
      await this.#own();
      const known = await this.#keys(watchId, Date.now());
      for (const key of keys) known[key] = Math.max(known[key] ?? 0, expiresAt);
      await replaceFile(this.#keysFile(watchId), known);
    });
  }
}
