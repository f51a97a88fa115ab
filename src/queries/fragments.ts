/**
 * SQL text shared by several templates: fixed expressions only, never a value. Each is written
 * in Trino's dialect against a row of `events` (the window's rows of cloudtrail_logs).
 */

/**
 * Who acted, the same way in every query: IAM users by name, assumed roles as role/session,
 * root as `root`, AWS services by service name, anything else by its ARN or principal id.
 */
export const PRINCIPAL = `CASE useridentity.type
      WHEN 'IAMUser' THEN useridentity.username
      WHEN 'AssumedRole' THEN concat(
        coalesce(useridentity.sessioncontext.sessionissuer.username, regexp_extract(useridentity.arn, 'assumed-role/([^/]+)/', 1)),
        '/', regexp_extract(useridentity.arn, '[^/]+$'))
      WHEN 'Root' THEN 'root'
      WHEN 'AWSService' THEN useridentity.invokedby
      ELSE coalesce(useridentity.username, useridentity.arn, useridentity.principalid, useridentity.invokedby)
    END`;

/** The columns every event-listing query starts with, in this order. */
export const EVENT_COLUMNS_SQL = `eventtime,
    eventid,
    eventsource,
    eventname,
    ${PRINCIPAL} AS principal,
    useridentity.type AS principal_type,
    useridentity.arn AS principal_arn,
    useridentity.accesskeyid AS access_key_id,
    sourceipaddress AS source_ip,
    awsregion AS region,
    account,
    errorcode AS error_code,
    errormessage AS error_message`;

export const EVENT_COLUMNS = [
  { name: 'eventtime', type: 'varchar' },
  { name: 'eventid', type: 'varchar' },
  { name: 'eventsource', type: 'varchar' },
  { name: 'eventname', type: 'varchar' },
  { name: 'principal', type: 'varchar' },
  { name: 'principal_type', type: 'varchar' },
  { name: 'principal_arn', type: 'varchar' },
  { name: 'access_key_id', type: 'varchar' },
  { name: 'source_ip', type: 'varchar' },
  { name: 'region', type: 'varchar' },
  { name: 'account', type: 'varchar' },
  { name: 'error_code', type: 'varchar' },
  { name: 'error_message', type: 'varchar' },
] as const;

/** Columns that follow EVENT_COLUMNS where a query lists what each call did. */
export const DETAIL_COLUMNS_SQL = `readonly = 'true' AS read_only,
    useragent AS user_agent,
    requestparameters AS request_parameters`;

export const DETAIL_COLUMNS = [
  { name: 'read_only', type: 'boolean' },
  { name: 'user_agent', type: 'varchar' },
  { name: 'request_parameters', type: 'varchar' },
] as const;

/** A row's principal is `value` (a params column): IAM user name, identity ARN, or role ARN. */
export const principalMatches = (
  value: string,
) => `(useridentity.username = ${value} OR useridentity.arn = ${value}
         OR useridentity.sessioncontext.sessionissuer.arn = ${value})`;
