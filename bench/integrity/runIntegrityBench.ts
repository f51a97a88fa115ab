/**
 * The integrity bench: the generated year (npm run bench:trail) given digests once, as CloudTrail
 * writes them (scripts/digests/writeDigests.ts, a key made for the trail), then the year's window
 * read by `gzip -dc` (the floor: every byte inflated once) and checked by the real server
 * (POST /v1/integrity-checks, polled to its end), interleaved run by run. The check must find the
 * year intact, every log file of the window valid; the goal is a check within 2x gzip -dc.
 * A third side hashes the same files as the runner on AWS does (one process, each file streamed
 * through gunzip into SHA-256, CONCURRENT_GETS at once), for the rate behind AWS's bound
 * (TRAILHOUND_INTEGRITY_MAX_BYTES there: within the runner's 15 minutes).
 *
 *   npx tsx bench/integrity/runIntegrityBench.ts --trail DIR [--runs 3]
 */
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createSigner, publicKeysJson, writeDigests } from '../../scripts/digests/writeDigests.js';
import { intOption, parseCommand } from '../../src/lib/commandLine.js';
import { CONCURRENT_GETS } from '../../src/lib/integrity/s3TrailObjects.js';
import { sha256OfGunzipped } from '../../src/lib/integrity/streamHash.js';
import { mapLimited } from '../../src/lib/mapLimited.js';
import { prepareDirs, removeDirs } from '../scan/runner/benchDirs.js';
import { startServer } from '../scan/runner/engineServer.js';
import { gunzipAll } from '../scan/runner/shellSides.js';
import { windowFiles, writeFileList } from '../scan/runner/trailFiles.js';

const GOAL = 2;

const command = parseCommand({
  usage: 'npm run bench:integrity [-- --runs 3]',
  about: `
The integrity bench: the trail of npm run bench:trail (.trailhound/bench/trail-365d; --trail DIR
elsewhere) given digests once (kept beside its logs, with digest-public-keys.json), then its
year read by gzip -dc and checked by the server (POST /v1/integrity-checks), interleaved. Exits 1
unless the check finds every log file valid. Prints medians, the ratio and the goal (at most 2x).
  --trail DIR   the generated trail (required when run directly)
  --runs N      runs of each side (default 3)`,
  options: { trail: { type: 'string' }, runs: { type: 'string' } },
});
const trail = path.resolve(command.values.trail ?? command.refuse('--trail DIR is required'));
const runs = intOption(command, 'runs', 3, 1);
if (!existsSync(path.join(trail, 'planted.json')))
  command.refuse(`${trail} holds no generated trail (planted.json): make one with npm run bench:trail`);
const { window } = JSON.parse(readFileSync(path.join(trail, 'planted.json'), 'utf8')) as {
  window: { from: string; to: string };
};
const note = (text: string) => process.stderr.write(`${text}\n`);
const keysFile = path.join(trail, 'digest-public-keys.json');

if (!existsSync(keysFile)) {
  note("writing the trail's digests (once) …");
  const started = performance.now();
  const signer = createSigner();
  const written = await writeDigests(trail, { signer, bucket: 'trailhound-bench-trail', trailName: 'bench' });
  writeFileSync(
    keysFile,
    JSON.stringify(publicKeysJson([signer], { from: '2013-01-01T00:00:00Z', to: '2099-01-01T00:00:00Z' })),
  );
  note(`  ${written.length} digests in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const files = windowFiles(trail, window);
const dirs = prepareDirs(undefined, false);
writeFileList(files, dirs.listPath);
note(
  `${files.paths.length} log files, ${(files.gzBytes / 1e6).toFixed(0)} MB gzipped, ${(files.jsonBytes / 1e6).toFixed(0)} MB of JSON`,
);

const server = await startServer(trail, {
  TRAILHOUND_CLOUDTRAIL_PUBLIC_KEYS: keysFile,
  TRAILHOUND_COMPACT: 'off',
});
const check = async (): Promise<{
  ms: number;
  summary: Record<string, Record<string, number>>;
  verdict: string;
}> => {
  const started = performance.now();
  const post = await fetch(`${server.baseUrl}/v1/integrity-checks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(window),
  });
  const { checkId } = (await post.json()) as { checkId: string };
  for (;;) {
    const answer = (await (
      await fetch(`${server.baseUrl}/v1/integrity-checks/${checkId}?limit=5`)
    ).json()) as {
      state: string;
      verdict: string;
      summary: Record<string, Record<string, number>>;
      problems: unknown[];
      error?: unknown;
    };
    if (answer.state === 'FAILED') throw new Error(`the check failed: ${JSON.stringify(answer.error)}`);
    if (answer.state === 'SUCCEEDED') {
      if (answer.verdict !== 'intact') throw new Error(`not intact: ${JSON.stringify(answer.problems)}`);
      return { ms: performance.now() - started, summary: answer.summary, verdict: answer.verdict };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** The files hashed as the AWS runner hashes S3's streams, in this process. */
const streamed = async (): Promise<number> => {
  const started = performance.now();
  await mapLimited(files.paths, CONCURRENT_GETS, (file) => sha256OfGunzipped(createReadStream(file)));
  return performance.now() - started;
};

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const gzip: number[] = [];
const checks: number[] = [];
const streams: number[] = [];
let last: Awaited<ReturnType<typeof check>> | undefined;
try {
  for (let run = 1; run <= runs; run++) {
    const floor = (await gunzipAll(dirs.listPath)).ms;
    gzip.push(floor);
    last = await check();
    checks.push(last.ms);
    streams.push(await streamed());
    note(
      `run ${run}: gzip -dc ${(floor / 1000).toFixed(1)} s, check ${(last.ms / 1000).toFixed(1)} s, streamed ${((streams.at(-1) as number) / 1000).toFixed(1)} s`,
    );
  }
} finally {
  await server.stop();
  removeDirs(dirs);
}
const logFiles = last?.summary.logFiles ?? {};
if (logFiles.valid !== files.paths.length) {
  note(`the check found ${JSON.stringify(logFiles)} of ${files.paths.length} log files`);
  process.exit(1);
}
const ratio = median(checks) / median(gzip);
const rate = files.gzBytes / (median(streams) / 1000);
/** The AWS runner's bound (AthenaConfigSchema's default), and its time limit. */
const AWS_BOUND = 10e9;
process.stdout.write(
  [
    `integrity check of ${window.from} to ${window.to}: ${files.paths.length} log files and ${JSON.stringify(last?.summary.digestFiles)} digests, verdict ${last?.verdict}`,
    `| side | median of ${runs} |`,
    '|---|---|',
    `| gzip -dc (the floor) | ${(median(gzip) / 1000).toFixed(1)} s |`,
    `| integrity check (server) | ${(median(checks) / 1000).toFixed(1)} s |`,
    `| streamed hashing, as the AWS runner (${CONCURRENT_GETS} at once, one process) | ${(median(streams) / 1000).toFixed(1)} s |`,
    `check / gzip -dc: ${ratio.toFixed(2)} (goal <= ${GOAL}: ${ratio <= GOAL ? 'met' : 'not met'}); server peak RSS ${Math.round((server.peakRssKb() ?? 0) / 1024)} MiB`,
    `streamed: ${(rate / 1e6).toFixed(1)} MB/s gzipped, so AWS's bound of ${AWS_BOUND / 1e9} GB takes ${(AWS_BOUND / rate / 60).toFixed(1)} minutes of the runner's 15 at this rate`,
    '',
  ].join('\n'),
);
