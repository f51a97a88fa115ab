/** The contract suite on the embedded engine reading raw log files only. */
import { duckDbTarget } from '../helpers/duckDbTarget.js';
import { defineContractSuite } from './contractSuite.js';
import { defineHardeningSuite } from './hardeningSuite.js';

defineContractSuite('the embedded engine (DuckDB) on raw files', duckDbTarget('raw'));

defineHardeningSuite('the embedded engine (DuckDB)', duckDbTarget('raw'));
