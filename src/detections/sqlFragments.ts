/**
 * SQL text that several detections share: fixed expressions over one row of `events`, in Trino's
 * dialect (run unchanged on DuckDB with the Trino macros), never a value of the data. Regular
 * expressions read JSON text as CloudTrail writes it, with optional spaces around the colon.
 */

/** Who acted, for a summary: the sweep's display name, else the identity's ARN or principal id. */
export const ACTOR = `coalesce(principal, useridentity.arn, useridentity.principalid, 'an unknown principal')`;

/** The tail of a summary: ' (failed: <errorcode>)' for a refused call, '' for one that succeeded. */
export const FAILURE = `CASE WHEN errorcode IS NULL THEN '' ELSE concat(' (failed: ', errorcode, ')') END`;

/** A summary's verb as done or attempted: did('created', 'create') reads ' created ' or ' tried to create '. */
export const did = (done: string, attempted: string): string =>
  `CASE WHEN errorcode IS NULL THEN ' ${done} ' ELSE ' tried to ${attempted} ' END`;

/** ' called ' or ' tried to call ', for summaries that name the event. */
export const CALLED = did('called', 'call');

/**
 * The start of most summaries, "<who> called <event> on <target>": the first of `targets` (SQL
 * expressions, most often `param(…)`) that is present, or `?`.
 */
export const calledOn = (...targets: readonly string[]): string =>
  `${ACTOR},\n    ${CALLED},\n    eventname,\n    ' on ',\n    coalesce(${[...targets, "'?'"].join(', ')})`;

/** A request parameter as text; NULL when absent, an object or an array. `path` is a JSON path. */
export const param = (path: string): string => `json_extract_scalar(requestparameters, '${path}')`;

/** The account the event belongs to (the account itself); '' when the record does not say. */
export const OWN_ACCOUNT = `coalesce(recipientaccountid, useridentity.accountid, '')`;

/** The caller used long-term credentials: an IAM user's or the root user's, not a role session. */
export const LONG_TERM_CALLER = `useridentity.type IN ('IAMUser', 'Root')`;

/** The request names an IAM user (userName) other than the caller. */
export const TARGETS_ANOTHER_USER = `(${param('$.userName')} IS NOT NULL
      AND coalesce(useridentity.username, '') <> ${param('$.userName')})`;

/**
 * A regular expression, as a SQL string literal, for `"key": value` in JSON text. `key` and `value`
 * are regular expressions themselves (`"(a|b)"` keys, `"?false` values...).
 */
export const jsonPair = (key: string, value: string): string => `'"${key}"\\s*:\\s*${value}'`;

/** `value` of jsonPair: a list whose first item is a string, `["...`. */
export const STRING_LIST = String.raw`\[\s*"`;

/** `value` of jsonPair: `"*"`, or a list whose first item is `"*"`. */
export const WILDCARD = String.raw`(\[\s*)?"\*"`;

/**
 * The request holds a CIDR with prefix length 0 (every address: 0.0.0.0/0, ::/0, or any address
 * written with /0) under one of `keys`.
 */
export const cidrOfPrefixZero = (...keys: string[]): string =>
  `regexp_like(requestparameters, ${jsonPair(`(${keys.join('|')})`, '"[^"]*/0"')})`;

/** A policy document (JSON text) grants everyone: Principal "*" or an AWS principal "*". */
export const grantsEveryone = (doc: string): string =>
  `(regexp_like(${doc}, ${jsonPair('Principal', String.raw`"\*"`)})
      OR regexp_like(${doc}, ${jsonPair('AWS', String.raw`(\[[^\]]*)?"\*"`)}))`;

/**
 * A policy document names an AWS principal in another account: an account id or IAM/STS ARN left
 * once the account's own id is removed (so "<own id>" and "arn:aws:iam::<own id>:root" never count).
 */
export const grantsAnotherAccount = (doc: string): string =>
  `regexp_like(replace(${doc}, ${OWN_ACCOUNT}, ''),
      ${jsonPair('AWS', String.raw`(\[[^\]]*)?"(arn:aws[a-z-]*:(iam|sts)::)?[0-9]{12}`)})`;

/**
 * For a summary: the first outside principal of a policy document, an ARN or account id of another
 * account, else '*' when it grants everyone; NULL when it names neither. NULLIF because DuckDB's
 * regexp_extract gives '' where Trino's gives NULL.
 */
export const outsidePrincipal = (doc: string): string =>
  `coalesce(
      NULLIF(regexp_extract(replace(${doc}, ${OWN_ACCOUNT}, ''), 'arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:[^"]*'), ''),
      NULLIF(regexp_extract(replace(${doc}, ${OWN_ACCOUNT}, ''), ${jsonPair('AWS', String.raw`(\[[^\]]*)?"([0-9]{12})"`)}, 2), ''),
      CASE WHEN ${grantsEveryone(doc)} THEN '*' END)`;

/** A policy document text allows every action: `"Action": "*"` or `"Action": ["*"...`. */
export const allowsAllActions = (doc: string): string =>
  `regexp_like(${doc}, ${jsonPair('Action', WILDCARD)})`;

/**
 * For an aggregate detection's summary: ' in under a minute' or ' in N minutes', from the burst's
 * span_seconds (its first event to its last).
 */
export const IN_SPAN = `CASE WHEN span_seconds < 60 THEN ' in under a minute'
      ELSE concat(' in ', CAST(CAST(ceil(span_seconds / 60.0) AS BIGINT) AS VARCHAR), ' minutes') END`;

/** An aggregate summary's count: `CAST(<column> AS VARCHAR)`. */
export const count = (column: string): string => `CAST(${column} AS VARCHAR)`;

/** The request was refused for want of permission, whatever the service calls it. */
export const DENIED = `(errorcode IN ('AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation',
        'UnauthorizedOperation', 'Client.AccessDenied', 'UnauthorizedException', 'AuthorizationError',
        'AuthorizationErrorException', 'ForbiddenException')
      OR regexp_like(coalesce(errorcode, ''), '(AccessDenied|Unauthorized)'))`;

/** Made in the console (its pages call many read APIs at once), not by a program. */
export const FROM_CONSOLE = `(coalesce(sessioncredentialfromconsole, '') = 'true'
      OR regexp_like(lower(coalesce(useragent, '')), '(^signin\\.amazonaws\\.com$|console|^aws internal)'))`;

/**
 * A request's resources when it may name a list of them under `listKey` (a JSON array of strings)
 * or one under the other paths: an ARRAY(VARCHAR), never empty ('?' when it names none).
 */
export const namedResources = (listKey: string, ...singlePaths: readonly string[]): string =>
  `CASE WHEN json_array_length(json_extract(requestparameters, '${listKey}')) > 0
      THEN CAST(json_extract(requestparameters, '${listKey}') AS ARRAY(VARCHAR))
      ELSE ARRAY[coalesce(${[...singlePaths.map((p) => param(p)), "'?'"].join(', ')})] END`;

/** Who acted, for an aggregate detection's summary (over the burst's columns). */
export const BURST_ACTOR = `coalesce(principal, principal_arn, 'an unknown principal')`;

/** The tail of an aggregate summary: ' (refused: <errorcode>)' when the burst's first call was refused. */
export const FIRST_REFUSED = `CASE WHEN errorcode IS NULL THEN '' ELSE concat(' (the first refused: ', errorcode, ')') END`;
