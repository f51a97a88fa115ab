/** The help texts: the program's, with its exit codes, and each command's, whose first line is its usage. */
import type { CommandName } from './args.js';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:3000';

const FORMATS = `  -f, --format F          table, json, csv, ndjson or markdown; default: table when stdout
                          is a terminal, ndjson when it is not
                            table     aligned columns (long cells cut to fit on a terminal)
                            json      one document {execution, columns, rows}
                            csv       a header row, then the rows, as the API's CSV file
                            ndjson    one JSON object a row
                            markdown  a summary line and a table (printed at the end: the
                                      summary counts the rows)`;

const ENDPOINT = `  --endpoint URL          the API: $TRAILHOUND_ENDPOINT, else ${DEFAULT_ENDPOINT}
  --timeout SECONDS       the longest wait for any one answer (default 60; smoke: 30)
  -h, --help              this help`;

export const COMMAND_HELP: Record<CommandName, string> = {
  queries: `Usage: trailhound queries [--endpoint URL]

Lists the named queries: each one's name and what it answers.

${ENDPOINT}`,

  ask: `Usage: trailhound ask QUERY --from ISO [--to ISO] [--param NAME=VALUE]... [--label L]
           [--account A]... [--region R]... [--format F] [--endpoint URL]

Starts the query over the window, waits for it to end, and prints every row of its answer,
page by page as they arrive. While it runs, a terminal's stderr shows one line with its state,
the seconds elapsed and the bytes scanned.

  -p, --param NAME=VALUE  a parameter of the query, once for each; typed as the query's JSON
                          Schema says: a number, true or false, or a list written a,b,c
  --from ISO              start of the window, included (e.g. 2023-07-10T00:00:00Z)
  --to ISO                end of the window, excluded (default: now)
  --label L               the case the execution belongs to, such as INC-1234: 1 to 128
                          letters, digits and . _ : / # -
  --account A             only this account (once for each)
  --region R              only this region (once for each)
${FORMATS}
${ENDPOINT}

Example:
  trailhound ask principal-activity --param userName=bert-jan \\
    --from 2023-07-10T00:00:00Z --to 2023-07-11T00:00:00Z --format csv > /tmp/bert-jan.csv`,

  status: `Usage: trailhound status ID [--format table|json] [--endpoint URL]

Prints an execution's query, state, window, times, statistics and, if it failed, its error.
ID is the execution's id, whole or its first 8 characters or more (looked up among the 2,000
newest executions). Exits 4 when the execution ended FAILED or CANCELLED.

  -f, --format F          table (one field a line, the default) or json (the API's document)
${ENDPOINT}`,

  results: `Usage: trailhound results ID [--format F] [--endpoint URL]

Prints every row of an execution, waiting first if it is still running. ID is whole or its first
8 characters or more.

${FORMATS}
${ENDPOINT}`,

  csv: `Usage: trailhound csv ID [--endpoint URL]

Writes the execution's CSV file to stdout, as downloaded from the signed link the API redirects
to (a header row, every value quoted, cells that a spreadsheet would run as a formula prefixed
with '). Waits first if the execution is still running. ID is whole or its first 8 characters or
more.

${ENDPOINT}`,

  'verify-evidence': `Usage: trailhound verify-evidence FILE [--csv RESULT.csv] [--public-key PEM | --endpoint URL]

Checks evidence saved from GET /v1/executions/{id}/evidence: that its manifest is the one signed,
with the public key given (--public-key, a PEM file) or served by the API
(GET /v1/evidence/public-key at --endpoint), and, with --csv, that the file is the execution's
result (its SHA-256 is the manifest's). Prints what the evidence states and exits 0 when all of
it holds; prints why and exits 1 when any of it does not.

  --csv FILE              the CSV downloaded with trailhound csv ID (or GET …/csv)
  --public-key FILE       the public key, PEM; without it the API's is fetched
${ENDPOINT}

Example:
  curl -s localhost:3000/v1/executions/$ID/evidence > evidence.json
  trailhound csv $ID > result.csv
  trailhound verify-evidence evidence.json --csv result.csv`,

  watches: `Usage: trailhound watches ACTION [ID|QUERY] [--format table|json] [--endpoint URL]
       ACTION: list, show ID, delete ID, run ID, or create QUERY --every DURATION --notify URL
         [--notify-format F] [--routing-key-secret NAME] [--lookback DURATION] [--param NAME=VALUE]...
         [--label L] [--account A]... [--region R]... [--max-bytes-scanned N]

Watches run a query on a schedule and deliver each new finding once (README.md, "Watches").
  list                    every watch: id, label, query, how often, next run, last run
  show ID                 one watch: its definition, next and last run, delivery error, totals
  create QUERY            makes one; prints it as show does
  delete ID               removes it and the keys it delivered
  run ID                  runs it now; prints the execution it started

  --every DURATION        how often: an ISO 8601 duration, PT5M to P1D
  --lookback DURATION     how far back each run looks (default: every plus PT30M)
  --notify URL            where findings go (its origin must be allowed by the server)
  --notify-format F       trailhound (default), pagerduty, slack or jira
  --routing-key-secret N  pagerduty: the secret holding the routing key
  -p, --param NAME=VALUE  a parameter of the query, typed as ask types it
  --label L               what the watch is for
  --account A, --region R only these (once for each)
  --max-bytes-scanned N   each run is refused, FAILED, over this estimate
  -f, --format F          table (the default) or json (the API's documents)
${ENDPOINT}

Example:
  trailhound watches create sweep --every PT15M --notify https://hooks.example.com/soc --label soc-sweep`,

  smoke: `Usage: trailhound smoke [--endpoint URL] [--timeout SECONDS]

Checks a deployment (or a local server) end to end, a line for each check with its time: health,
the query catalog, the OpenAPI document, a dry run, one small execution over the last hour
(activity-timeline, labelled trailhound-smoke) with its first page and its CSV link fetched, and
a second execution cancelled. Each answer's shape is checked, not only its status. Exits 0 when
every check passed, 1 when any failed (each failure says why).

${ENDPOINT}

Example, after a deploy (signed with your AWS credentials):
  trailhound smoke --endpoint https://abc123.execute-api.us-east-1.amazonaws.com/prod`,
};

export const PROGRAM_HELP = `Usage: trailhound COMMAND [options]

Named, validated, cost-bounded questions about AWS CloudTrail logs, asked of a trailhound API.

Commands:
  queries                       list the named queries
  ask QUERY --from ISO ...      run a query and print its rows
  status ID                     an execution's state, statistics and error
  results ID                    every row of an execution
  csv ID                        an execution's CSV file, to stdout
  smoke                         check a deployment end to end (exit 0 or 1)
  verify-evidence FILE          check an execution's signed evidence, and its CSV (exit 0 or 1)
  watches ACTION                list, show, create, delete or run watches (queries on a schedule)
  help COMMAND                  a command's options (as COMMAND --help)

Every command takes --endpoint URL: default $TRAILHOUND_ENDPOINT, else ${DEFAULT_ENDPOINT} (npm
start), and --timeout SECONDS, the longest wait for any one answer. An
https://<id>.execute-api.<region>.amazonaws.com/<stage> endpoint is signed with SigV4 (service
execute-api, the host's region) with credentials from the AWS SDK's default chain: AWS_PROFILE,
AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, SSO, a role.

Exit codes:
  0  success
  1  an unexpected error (a bug: please report it); for smoke, a check that failed
  2  usage: unknown command or option, missing argument, bad --param or --format; or no AWS
     credentials for an AWS endpoint
  3  the API refused the request (4xx): each field it names is printed
  4  the execution ended FAILED or CANCELLED: its error is printed
  5  the endpoint is unreachable, too slow, or answered 5xx or something that is not the API's
     answer (one line says which)

Example:
  trailhound ask principal-activity --param userName=bert-jan \\
    --from 2023-07-10T00:00:00Z --to 2023-07-11T00:00:00Z`;

/** A command's usage line(s): its help up to the first blank line. */
export const usageOf = (command: CommandName | undefined): string =>
  command === undefined
    ? 'Usage: trailhound COMMAND [options]   (trailhound --help lists the commands)'
    : `${COMMAND_HELP[command].split('\n\n')[0]}\n(trailhound ${command} --help for more)`;
