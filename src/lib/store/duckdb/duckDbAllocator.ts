/**
 * How long DuckDB's allocator keeps the pages it frees: imported first by every entry point that
 * runs DuckDB (src/server.ts, scripts/compact.ts, bench/scan/profileQuestion.ts), since DuckDB's
 * jemalloc reads DUCKDB_JE_MALLOC_CONF once, when DuckDB is loaded. A value the user set is kept.
 *
 * DuckDB has its jemalloc hand back to the system the pages freed for a second
 * (dirty_decay_ms:1000); a compaction frees and takes again hundreds of MB a second (a Parquet
 * writer's buffers for each column, the JSON of each file), and every page taken again is a page
 * fault, costly in a virtual machine. Kept three seconds, a year's compaction on the bench's
 * machine made 0.45 to 0.6 million page faults instead of 0.9 to 1.4 million and took a fifth to
 * a quarter less time, for 0.1 to 0.2 GB more resident memory (bench/scan/README.md).
 */
process.env.DUCKDB_JE_MALLOC_CONF ??= 'dirty_decay_ms:3000,muzzy_decay_ms:3000';
