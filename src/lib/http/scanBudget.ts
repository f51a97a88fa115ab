/**
 * What bounds a start's scan, checked before anything starts: the budget (a request's
 * maxBytesScanned, else the deployment's), else the workgroup's scan cutoff. POST /v1/executions
 * and a watch's runs check the same way.
 */
import type { RequestLimits } from '../config.js';
import type { ExecutionRequest, QueryEngine, ScanEstimate } from '../engines/queryEngine.js';
import { logger } from '../logging/logger.js';
import { BudgetExceededError } from './httpErrors.js';

/** Athena bills at least 10 MB for a query, however little it scans. */
const MIN_BILLED_BYTES = 10_000_000;

/** The estimate with what it would cost at `pricePerTb` USD per TB (10^12 bytes), 10 MB at least. */
export const withCost = (estimate: ScanEstimate, pricePerTb: number) => ({
  ...estimate,
  costUsd: Number(((Math.max(estimate.bytesScanned, MIN_BILLED_BYTES) / 1e12) * pricePerTb).toFixed(8)),
});

/**
 * The estimate a start needs, checked against what bounds it: the budget (an estimate is then
 * required, and a start without one is refused), else the workgroup's scan cutoff (best effort:
 * when the window is too large to list, Athena's cutoff still stands guard). None when neither
 * applies: the embedded engine then counts the bytes as it starts.
 * @throws BudgetExceededError when the estimate is over the budget or the cutoff.
 */
export const estimateBeforeStart = async (
  engine: QueryEngine,
  request: ExecutionRequest,
  budget: number | undefined,
  config: RequestLimits,
): Promise<ScanEstimate | undefined> => {
  const cutoff = config.TRAILHOUND_SCAN_CUTOFF_BYTES;
  if (budget === undefined && cutoff === undefined) return undefined;
  let estimate: ScanEstimate;
  try {
    estimate = await engine.estimate(request);
  } catch (error) {
    if (budget !== undefined) throw error;
    logger.warn('no estimate before start; the scan cutoff still applies', { error: error as Error });
    return undefined;
  }
  const limit =
    budget !== undefined
      ? { bytes: budget, kind: 'budget' as const }
      : { bytes: cutoff ?? Infinity, kind: 'cutoff' as const };
  if (estimate.bytesScanned > limit.bytes) {
    throw new BudgetExceededError(withCost(estimate, config.TRAILHOUND_PRICE_PER_TB_USD), limit);
  }
  return estimate;
};
