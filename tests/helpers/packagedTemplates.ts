/**
 * The stack as `serverless package` makes it offline, for three parameter sets: the defaults, an
 * existing bucket and trail, and an organization trail with KMS, data events, API keys, a resource
 * policy, tracing, callbacks and CORS. Packaging takes seconds and several test files read the
 * same templates: each is kept under node_modules/.cache, named by a hash of what the template is
 * made from (serverless.yml, deploy/, the package manifest and lockfile) and the parameters, made again
 * only when one of them changes.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageStack, stageService, TEMPLATE } from '../../scripts/packageStack.js';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation templates are free-form JSON
type Json = any;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = path.join(root, 'node_modules/.cache/trailhound-templates');

export const PARAMETER_SETS = {
  default: [],
  existingTrail: [
    '--param=existingBucket=acme-org-cloudtrail',
    '--param=createTrail=false',
    '--param=regions=eu-west-1',
  ],
  organization: [
    '--param=organizationId=o-abcdef1234',
    '--param=accounts=111122223333,444455556666',
    '--param=kmsKeyArn=arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    '--param=s3DataEvents=true',
    '--param=apiKeys=true',
    '--param=allowedVpcEndpoints=vpce-0123456789abcdef0',
    '--param=allowedCidrs=10.20.0.0/16',
    '--param=tracing=true',
    '--param=apiGatewayLogsRole=false',
    '--param=reservedConcurrency=3',
    '--param=pricePerTbUsd=6.25',
    '--param=notifyOrigins=https://hooks.example.com,https://*.tickets.example.net',
    '--param=maxBytesScanned=1073741824',
    '--param=corsOrigins=https://incidents.example.com,http://localhost:5173',
  ],
} as const;
export type ParameterSet = keyof typeof PARAMETER_SETS;

const filesUnder = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
};

/** A hash of everything the template is made from, and of the parameters. */
const keyOf = async (set: ParameterSet): Promise<string> => {
  const hash = createHash('sha256');
  const files = [
    path.join(root, 'serverless.yml'),
    path.join(root, 'package.json'),
    path.join(root, 'package-lock.json'),
    ...(await filesUnder(path.join(root, 'deploy'))),
  ].sort();
  for (const file of files) hash.update(path.relative(root, file)).update(await readFile(file));
  hash.update(JSON.stringify(PARAMETER_SETS[set]));
  return hash.digest('hex').slice(0, 24);
};

let staged: Promise<string> | undefined;

/** The packaged template of a parameter set, and the file it is in (for cfn-lint). */
export const packagedTemplate = async (set: ParameterSet): Promise<{ file: string; json: Json }> => {
  const file = path.join(CACHE, `${set}-${await keyOf(set)}.json`);
  try {
    return { file, json: JSON.parse(await readFile(file, 'utf8')) };
  } catch {
    // Not made yet, or by another process right now: made here, and put in place whole.
  }
  // A staged copy: packaging the checkout itself would empty its .serverless (npm run package's).
  staged ??= stageService();
  const out = await mkdtemp(path.join(tmpdir(), `trailhound-stack-${set}-`));
  packageStack(out, PARAMETER_SETS[set], await staged);
  const text = await readFile(path.join(out, TEMPLATE), 'utf8');
  await mkdir(CACHE, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, text);
  await rename(partial, file);
  return { file, json: JSON.parse(text) };
};

/** The staged service directory packaging uses, for a test that packages with parameters of its own. */
export const stagedService = (): Promise<string> => {
  staged ??= stageService();
  return staged;
};
