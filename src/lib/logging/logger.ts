/**
 * Structured JSON logs with Powertools Logger: one logger per process. Handlers add the keys
 * that identify their work (query name, execution id, bytes scanned), never parameter values,
 * which can be user names, keys or other things a log must not keep.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'trailhound' });
