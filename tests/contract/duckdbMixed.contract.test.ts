/** The contract suite on the embedded engine reading compacted days beside raw files. */
import { duckDbTarget } from '../helpers/duckDbTarget.js';
import { defineContractSuite } from './contractSuite.js';

defineContractSuite('the embedded engine (DuckDB) on compacted and raw days', duckDbTarget('mixed'));
