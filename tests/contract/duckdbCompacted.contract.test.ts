/** The contract suite on the embedded engine reading every day from the columnar store. */
import { duckDbTarget } from '../helpers/duckDbTarget.js';
import { defineContractSuite } from './contractSuite.js';

defineContractSuite('the embedded engine (DuckDB) on the columnar store', duckDbTarget('compacted'));
