/**
 * Whether a unit's Parquet file is the one its manifest recorded, checked before anything reads
 * it: its size, and a digest of its footer (the schema, every row group's place and statistics,
 * and the closing magic). A file cut short, overwritten (even keeping its size and modification
 * time) or replaced by another fails, and so does a file that is gone; the days it held are then
 * read raw for that answer, and the next compaction writes them again. Reading the footer costs
 * a few kilobytes a file, whatever the file's size.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { logger } from '../../logging/logger.js';
import type { StoreUnit } from './monthManifest.js';

const MAGIC = 'PAR1';
/** No footer of ours is near this: a larger length means the file is not what it claims. */
const MAX_FOOTER_BYTES = 64 * 1024 * 1024;

/** The SHA-256 of a Parquet file's footer and its last 8 bytes (footer length, magic), hex. */
export const footerDigest = async (file: string): Promise<string> => {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size < 12) throw new Error(`${file} is too short to be Parquet`);
    const tail = Buffer.alloc(8);
    await handle.read(tail, 0, 8, size - 8);
    const length = tail.readUInt32LE(0);
    if (tail.subarray(4).toString('latin1') !== MAGIC || length > MAX_FOOTER_BYTES || length + 12 > size) {
      throw new Error(`${file} does not end as a Parquet file`);
    }
    const footer = Buffer.alloc(length);
    await handle.read(footer, 0, length, size - 8 - length);
    return createHash('sha256').update(footer).update(tail).digest('hex');
  } finally {
    await handle.close();
  }
};

/** Whether the unit's file is there and the one recorded; a unit of an older manifest is checked by size. */
const isUnitFileIntact = async (file: string, unit: StoreUnit): Promise<boolean> => {
  try {
    const handle = await open(file, 'r');
    const { size } = await handle.stat().finally(() => handle.close());
    if (size !== unit.bytes) return false;
    return unit.footerSha256 === undefined || (await footerDigest(file)) === unit.footerSha256;
  } catch {
    return false;
  }
};

/** The units among `units` whose files are intact; each one that is not is logged once here. */
export const intactUnits = async (
  entries: readonly { readonly file: string; readonly unit: StoreUnit }[],
): Promise<Set<string>> => {
  const checked = await Promise.all(
    entries.map(async ({ file, unit }) => ({ file, intact: await isUnitFileIntact(file, unit) })),
  );
  for (const { file, intact } of checked) {
    if (!intact)
      logger.warn('a store file is not the one its manifest recorded: its days are read raw', { file });
  }
  return new Set(checked.filter((c) => c.intact).map((c) => c.file));
};
