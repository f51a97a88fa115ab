/**
 * The CloudTrail table, defined once. The embedded engine reads the log files with these columns
 * and the Glue table for Athena is generated from them, so one SQL text runs on both.
 *
 * It follows AWS's table for CloudTrail logs in Athena (docs.aws.amazon.com/athena/latest/ug/
 * create-cloudtrail-table-partition-projection.html): lower-case column names, request and
 * response bodies kept as JSON text in STRING columns, userIdentity as a struct. Field names are
 * spelled as the JSON keys of a CloudTrail record; column names are their lower-case forms.
 */

export type FieldType =
  | { readonly kind: 'string' }
  /** An object or any JSON value, kept as its JSON text (STRING in Glue). */
  | { readonly kind: 'json' }
  | { readonly kind: 'struct'; readonly fields: readonly Field[] }
  | { readonly kind: 'array'; readonly of: FieldType }
  | { readonly kind: 'map' };

export interface Field {
  /** The key in the CloudTrail JSON record. */
  readonly key: string;
  readonly type: FieldType;
}

const string = { kind: 'string' } as const;
const json = { kind: 'json' } as const;
const struct = (fields: Record<string, FieldType>): FieldType => ({
  kind: 'struct',
  fields: Object.entries(fields).map(([key, type]) => ({ key, type })),
});
const arrayOf = (of: FieldType): FieldType => ({ kind: 'array', of });

const sessionIssuer = struct({
  type: string,
  principalId: string,
  arn: string,
  accountId: string,
  userName: string,
});

export const CLOUDTRAIL_FIELDS: readonly Field[] = Object.entries({
  eventVersion: string,
  userIdentity: struct({
    type: string,
    principalId: string,
    arn: string,
    accountId: string,
    invokedBy: string,
    accessKeyId: string,
    userName: string,
    onBehalfOf: struct({ userId: string, identityStoreArn: string }),
    sessionContext: struct({
      attributes: struct({ mfaAuthenticated: string, creationDate: string }),
      sessionIssuer,
      sourceIdentity: string,
      ec2RoleDelivery: string,
      webIdFederationData: struct({ federatedProvider: string, attributes: { kind: 'map' } }),
    }),
  }),
  eventTime: string,
  eventSource: string,
  eventName: string,
  awsRegion: string,
  sourceIPAddress: string,
  userAgent: string,
  errorCode: string,
  errorMessage: string,
  requestParameters: json,
  responseElements: json,
  additionalEventData: json,
  requestID: string,
  eventID: string,
  readOnly: string,
  resources: arrayOf(struct({ ARN: string, accountId: string, type: string })),
  eventType: string,
  apiVersion: string,
  recipientAccountId: string,
  serviceEventDetails: json,
  sharedEventID: string,
  vpcEndpointId: string,
  vpcEndpointAccountId: string,
  eventCategory: string,
  addendum: struct({
    reason: string,
    updatedFields: string,
    originalRequestID: string,
    originalEventID: string,
  }),
  sessionCredentialFromConsole: string,
  edgeDeviceDetails: json,
  tlsDetails: struct({ tlsVersion: string, cipherSuite: string, clientProvidedHostHeader: string }),
}).map(([key, type]) => ({ key, type }));

/**
 * Partition columns, in the order of the S3 layout AWSLogs/[o-org/]<account>/CloudTrail/<region>/<yyyy/MM/dd>.
 * `day` keeps the slashes of the key so that a projected partition is the key prefix itself.
 */
export const PARTITION_COLUMNS = ['account', 'region', 'day'] as const;

export const TABLE_NAME = 'cloudtrail_logs';
/** The same columns, compacted into Parquet (on AWS: one Glue table per format, same schema). */
export const PARQUET_TABLE_NAME = 'cloudtrail_parquet';

export const columnName = (field: Field): string => field.key.toLowerCase();

/** The Hive type of a field, as a Glue table column declares it. */
export const hiveType = (type: FieldType): string => {
  switch (type.kind) {
    case 'string':
    case 'json':
      return 'string';
    case 'map':
      return 'map<string,string>';
    case 'array':
      return `array<${hiveType(type.of)}>`;
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.key.toLowerCase()}:${hiveType(f.type)}`).join(',')}>`;
  }
};

/** The DuckDB type used to read a field from the JSON file (keys as spelled in the record). */
export const duckDbType = (type: FieldType): string => {
  switch (type.kind) {
    case 'string':
      return 'VARCHAR';
    case 'json':
      return 'JSON';
    case 'map':
      return 'MAP(VARCHAR, VARCHAR)';
    case 'array':
      return `${duckDbType(type.of)}[]`;
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `"${f.key}" ${duckDbType(f.type)}`).join(', ')})`;
  }
};
