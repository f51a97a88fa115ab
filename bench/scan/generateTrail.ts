/**
 * Generates a scaled CloudTrail trail from the bundled real records, deterministically, with
 * planted events whose answers are known, for the scan bench (runScanBench.ts).
 *
 *   npx tsx bench/scan/generateTrail.ts --out DIR [--days 365] [--records-per-day 6600]
 *     [--seed 1] [--end-day 2025-12-31] [--jobs <cores>] [--accounts 111122223333,444455556666]
 *     [--regions us-east-1,eu-west-1] [--force]
 *
 * Writes DIR/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz (one file per half hour)
 * and DIR/planted.json (the expected answers). Progress goes to stderr, the summary to stdout.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dayOption, intOption, parseCommand } from '../../src/lib/commandLine.js';
import { buildPlan } from './generator/context.js';
import { GZIP_LEVEL } from './generator/dayWriter.js';
import { generateDays, type PoolTotals } from './generator/pool.js';
import { firstOrdinal, SLOTS_PER_DAY, type TrailOptions } from './generator/trailLayout.js';

/** 6,600 a day makes a year of 2.41 million records, 359 MB gzipped (measured; >= 2.3 M and 300 MB wanted). */
const DEFAULT_RECORDS_PER_DAY = 6600;

const command = parseCommand({
  usage:
    'npm run bench:trail [-- --days 365] [--records-per-day 6600] [--seed 1] [--end-day 2025-12-31] [--jobs N] [--accounts A,B] [--regions R,S] [--force]',
  about: `
Generates a scaled CloudTrail trail from the bundled real records, deterministically, with planted
events whose answers are known, for the scan bench. npm run bench:trail writes it to
.trailhound/bench/trail-365d (--out DIR elsewhere): AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD
(a file per half hour) and planted.json (the expected answers).
  --out DIR              where to write it (required when run directly)
  --days N               days of logs, ending on --end-day (default 365)
  --records-per-day N    records a day (default 6600: a year of 2.41 million, 359 MB gzipped)
  --seed S               the generator's seed (default 1)
  --end-day DAY          the last day, YYYY-MM-DD (default 2025-12-31)
  --jobs N               processes at once (default: the cores)
  --accounts A,B         12-digit account ids (default 111122223333,444455556666)
  --regions R,S          regions (default us-east-1,eu-west-1)
  --force                replace the AWSLogs folder if it exists`,
  options: {
    out: { type: 'string' },
    days: { type: 'string' },
    'records-per-day': { type: 'string' },
    seed: { type: 'string', default: '1' },
    'end-day': { type: 'string' },
    jobs: { type: 'string' },
    accounts: { type: 'string', default: '111122223333,444455556666' },
    regions: { type: 'string', default: 'us-east-1,eu-west-1' },
    force: { type: 'boolean', default: false },
  },
});
const list = (text: string) => text.split(',').filter((s) => s.length > 0);
const options: TrailOptions = {
  out: path.resolve(command.values.out ?? command.refuse('--out DIR is required')),
  days: intOption(command, 'days', 365, 1, 3660),
  recordsPerDay: intOption(command, 'records-per-day', DEFAULT_RECORDS_PER_DAY, 1),
  seed: command.values.seed,
  endDay: dayOption(command, 'end-day') ?? '2025-12-31',
  accounts: list(command.values.accounts),
  regions: list(command.values.regions),
};
const jobs = intOption(command, 'jobs', os.availableParallelism(), 1, 64);
// Values go into the records' JSON and the paths unescaped: allow only what AWS allows.
if (!options.accounts.every((a) => /^\d{12}$/.test(a)))
  command.refuse('--accounts takes 12-digit account ids');
if (!options.regions.every((r) => /^[a-z]{2,10}(-[a-z0-9]{1,20}){1,4}$/.test(r)))
  command.refuse('--regions takes region names such as us-east-1');

const awsLogs = path.join(options.out, 'AWSLogs');
if (existsSync(awsLogs)) {
  if (!command.values.force) command.refuse(`${awsLogs} exists: remove it or pass --force`);
  rmSync(awsLogs, { recursive: true, force: true });
}
mkdirSync(options.out, { recursive: true });

const started = performance.now();
const { plan, sourceRecords } = buildPlan(options);
// Indented for reading, but each row (an array of scalars) on one line.
const plantedJson = JSON.stringify(
  { generator: { ...options, out: undefined }, ...plan.answers },
  null,
  2,
).replace(/\[\n\s+([^[\]{}]*?)\n\s+\]/g, (_, inner: string) => `[${inner.replace(/,\n\s+/g, ', ')}]`);
writeFileSync(path.join(options.out, 'planted.json'), `${plantedJson}\n`);

const totalFiles = options.days * SLOTS_PER_DAY;
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const seconds = () => (performance.now() - started) / 1000;
let lastReport = 0;
const progress = (t: PoolTotals) => {
  if (seconds() - lastReport < 3 && t.files < totalFiles) return;
  lastReport = seconds();
  process.stderr.write(
    `files ${t.files}/${totalFiles} (${Math.floor((100 * t.files) / totalFiles)}%), ${mb(t.gzBytes)} MB gzipped written, ${seconds().toFixed(1)} s\n`,
  );
};

const first = firstOrdinal(options);
const ordinals = Array.from({ length: options.days }, (_, i) => first + i);
const totals = await generateDays(options, ordinals, jobs, progress);
const wall = seconds();
const peakKb = [process.resourceUsage().maxRSS, ...totals.childMaxRssKb];
console.log(
  [
    `trail: ${options.out} (${options.days} days to ${options.endDay}, seed ${options.seed}, ${sourceRecords} source records)`,
    `files: ${totals.files}`,
    `records: ${totals.records} (${options.recordsPerDay} a day + ${totals.records - options.recordsPerDay * options.days} planted)`,
    `gzipped bytes: ${totals.gzBytes} (${mb(totals.gzBytes)} MB, gzip level ${GZIP_LEVEL})`,
    `JSON bytes: ${totals.jsonBytes} (${mb(totals.jsonBytes)} MB)`,
    `wall: ${wall.toFixed(1)} s with ${jobs} process(es): ${mb(totals.gzBytes / wall)} MB/s gzipped, ${mb(totals.jsonBytes / wall)} MB/s JSON`,
    `peak RSS: parent ${Math.round((peakKb[0] ?? 0) / 1024)} MiB, children ${totals.childMaxRssKb.map((k) => `${Math.round(k / 1024)} MiB`).join(', ')}`,
    `planted answers: ${path.join(options.out, 'planted.json')}`,
  ].join('\n'),
);
