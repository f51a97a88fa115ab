/**
 * The Glue table's columns, derived from the one CloudTrail schema: what the deployment's
 * AWS::Glue::Table declares, so Athena reads the logs with the columns DuckDB reads them with.
 */
import { CLOUDTRAIL_FIELDS, columnName, hiveType, PARTITION_COLUMNS } from './cloudtrailTable.js';

export interface GlueColumn {
  readonly Name: string;
  readonly Type: string;
}

export const glueColumns = (): GlueColumn[] =>
  CLOUDTRAIL_FIELDS.map((field) => ({ Name: columnName(field), Type: hiveType(field.type) }));

export const gluePartitionKeys = (): GlueColumn[] =>
  PARTITION_COLUMNS.map((name) => ({ Name: name, Type: 'string' }));
