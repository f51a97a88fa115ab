/**
 * `trailhound verify-evidence FILE [--csv RESULT.csv] [--public-key PEM | --endpoint URL]`: checks
 * saved evidence and, when given, the CSV it describes (src/lib/evidence/verifyEvidence.ts).
 * Exits 0 when all of it holds, 1 with the reason when any of it does not.
 */
import { readFile } from 'node:fs/promises';
import { verifyEvidence } from '../../lib/evidence/verifyEvidence.js';
import type { ApiClient } from '../apiClient.js';
import type { Command } from '../args.js';
import { EXIT_CODES, type ExitCode, UsageError } from '../errors.js';
import { type Terminal, writeTo } from '../output.js';

type VerifyEvidenceCommand = Extract<Command, { name: 'verify-evidence' }>;

const readGiven = async (file: string, what: string): Promise<Buffer> => {
  try {
    return await readFile(file);
  } catch (error) {
    throw new UsageError(
      `Cannot read ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      'verify-evidence',
    );
  }
};

export const verifyEvidenceCommand = async (
  command: VerifyEvidenceCommand,
  api: ApiClient,
  terminal: Terminal,
): Promise<ExitCode> => {
  const text = (await readGiven(command.file, 'the evidence file')).toString('utf8');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    await writeTo(terminal.stderr, `trailhound: evidence does not hold: ${command.file} is not JSON\n`);
    return EXIT_CODES.checkFailed;
  }
  const csv = command.csv === undefined ? undefined : await readGiven(command.csv, 'the CSV');
  const publicKey = command.publicKey
    ? (await readGiven(command.publicKey, 'the public key')).toString('utf8')
    : String((await api.get('/v1/evidence/public-key')).body);
  const verdict = verifyEvidence(document, publicKey, csv);
  if (!verdict.ok) {
    await writeTo(terminal.stderr, `trailhound: evidence does not hold: ${verdict.reason}\n`);
    return EXIT_CODES.checkFailed;
  }
  await writeTo(terminal.stdout, `${verdict.summary}\n`);
  return EXIT_CODES.ok;
};
