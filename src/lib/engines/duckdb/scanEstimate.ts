/**
 * The embedded engine's estimate of an execution: the scan it would plan now and the bytes that
 * plan would read, counted as the execution counts them (runStatement.settlePlan), so a dry run
 * says exactly what the real execution reports, for the same files.
 */
import type { DuckDBInstance } from '@duckdb/node-api';
import { planScan, type ScanPlan } from '../../store/duckdb/scanPlan.js';
import type { ExecutionRequest, ScanEstimate } from '../queryEngine.js';
import { keptPartialsOf } from './keptPartials.js';
import { applySettings, engineStatement } from './matchedEvents.js';
import { partialsAnswer, settlePlan } from './runStatement.js';

const estimateScan = async (
  instance: DuckDBInstance,
  candidate: ScanPlan,
  request: ExecutionRequest,
  kept: { readonly storeDir: string } | undefined,
): Promise<ScanEstimate> => {
  // Raw files are read whole: their sizes are the answer, and no statement need be planned.
  if (candidate.compacted.length === 0) {
    const bytesScanned = candidate.raw.reduce((sum, f) => sum + f.bytes, 0);
    return { bytesScanned, files: candidate.raw.length, days: candidate.days };
  }
  const connection = await instance.connect();
  try {
    const fromPartials = await partialsAnswer(connection, request, candidate, kept);
    if (fromPartials) {
      const { bytesScanned } = fromPartials.settled;
      return { bytesScanned, files: candidate.raw.length + candidate.compacted.length, days: candidate.days };
    }
    const { settings, sql, parameters } = engineStatement(request.statement);
    await applySettings(connection, settings);
    const { plan, bytesScanned } = await settlePlan(connection, candidate, sql, parameters, {
      forPlanning: true,
    });
    return { bytesScanned, files: plan.raw.length + plan.compacted.length, days: plan.days };
  } finally {
    connection.closeSync();
  }
};

export const estimateRequest = async (
  instance: DuckDBInstance,
  dirs: { logsDir: string; storeDir: string | undefined; keepPartials: boolean },
  request: ExecutionRequest,
): Promise<ScanEstimate> =>
  estimateScan(
    instance,
    await planScan(dirs.logsDir, dirs.storeDir, request.window),
    request,
    keptPartialsOf(dirs),
  );
