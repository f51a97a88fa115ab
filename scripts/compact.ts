/**
 * `npm run compact [-- --from YYYY-MM-DD] [--to YYYY-MM-DD]`: compacts the closed days of
 * TRAILHOUND_LOGS_DIR into the columnar store at TRAILHOUND_STORE_DIR (Parquet, zstd, a file per
 * account, region and month; a month under way gets a file per pass
 * until it is over). Days already compacted from the raw files as they are now are skipped; a day
 * whose files changed is written again. Prints progress (days done of
 * total, MB/s of raw logs, time left) and a summary; exits 1 if any day failed.
 */
import { availableParallelism } from 'node:os';
import { dayOption, parseCommand } from '../src/lib/commandLine.js';
import { loadDuckDbConfig } from '../src/lib/config.js';
import { StoreLockedError } from '../src/lib/store/duckdb/compactionLock.js';
import { type CompactionProgress, compactStore } from '../src/lib/store/duckdb/compactStore.js';

const command = parseCommand({
  usage: 'npm run compact [-- --from YYYY-MM-DD] [--to YYYY-MM-DD]',
  about: `
Compacts the closed days of TRAILHOUND_LOGS_DIR (default: the bundled sample) into the columnar
store at TRAILHOUND_STORE_DIR (default .trailhound/store): Parquet, a file per account, region and
month. Days already compacted from the raw files as they are now are skipped; a day whose files
changed, or whose store file fails its check, is written again.
  --from DAY   the first day to compact (default: the first day of the logs)
  --to DAY     the last day to compact (default: the last closed day)
Exits 0 when every day is compacted, 1 if any failed, 2 for a bad option.`,
  options: { from: { type: 'string' }, to: { type: 'string' } },
});
const from = dayOption(command, 'from');
const to = dayOption(command, 'to');
if (from && to && from > to) command.refuse(`--from ${from} is after --to ${to}`);
const config = (() => {
  try {
    return loadDuckDbConfig(process.env);
  } catch (error) {
    return command.refuse((error as Error).message);
  }
})();
const asDay = (day: string | undefined) => day?.replaceAll('-', '/');

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const duration = (ms: number) =>
  ms >= 60_000
    ? `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
    : `${(ms / 1000).toFixed(1)} s`;
const progressLine = (p: CompactionProgress) =>
  `${p.done}/${p.total} days  ${mb(p.rawBytes)} MB at ${(p.rawBytes / 1e6 / Math.max(p.elapsedMs / 1000, 0.001)).toFixed(1)} MB/s` +
  `${p.remainingMs === undefined ? '' : `, ${duration(p.remainingMs)} left`}  (${p.day})`;

// On a terminal one line is rewritten in place; piped, every day is a line of its own.
const interactive = process.stderr.isTTY;
console.error(`compacting ${config.TRAILHOUND_LOGS_DIR} into ${config.TRAILHOUND_STORE_DIR}`);
const compaction = compactStore({
  logsDir: config.TRAILHOUND_LOGS_DIR,
  storeDir: config.TRAILHOUND_STORE_DIR,
  from: asDay(from),
  to: asDay(to),
  threads: availableParallelism(),
  longestExecutionMs: config.TRAILHOUND_EXECUTION_TIMEOUT_SECONDS * 1000,
  onProgress: (p) =>
    process.stderr.write(interactive ? `\r\x1b[K${progressLine(p)}` : `${progressLine(p)}\n`),
});
const summary = await compaction.catch((error: unknown) => {
  if (!(error instanceof StoreLockedError)) throw error;
  console.error(error.message);
  process.exit(1);
});
if (interactive && summary.built + summary.failed.length > 0) process.stderr.write('\n');
const ratio =
  summary.rawBytes > 0 ? ` (${(summary.parquetBytes / summary.rawBytes).toFixed(2)} of the raw)` : '';
console.log(
  `${summary.days} closed days: ${summary.built} compacted, ${summary.current} already current, ${summary.failed.length} failed; ` +
    `${mb(summary.rawBytes)} MB of logs into ${mb(summary.parquetBytes)} MB of Parquet${ratio}, ${summary.rows} rows, in ${duration(summary.elapsedMs)}`,
);
for (const failure of summary.failed) console.error(`failed: ${failure.day}: ${failure.error}`);
process.exit(summary.failed.length > 0 ? 1 : 0);
