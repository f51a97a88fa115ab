/**
 * What a log file's key says: its account, region, day directory and, from its name, when it was
 * delivered (`<account>_CloudTrail_<region>_<YYYYMMDDTHHMM>Z_<id>.json.gz`, to the minute).
 */
const LOG_KEY =
  /^AWSLogs\/(?:o-[a-z0-9]{10,32}\/)?(?<account>\d{12})\/CloudTrail\/(?<region>[a-z0-9-]+)\/(?<day>\d{4}\/\d{2}\/\d{2})\/(?<name>[^/]+)$/;
const DELIVERED = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^/]*$/;

export interface LogKeyParts {
  readonly account: string;
  readonly region: string;
  /** YYYY/MM/DD */
  readonly day: string;
  readonly deliveredMs: number | undefined;
}

export const logKeyParts = (key: string): LogKeyParts | undefined => {
  const g = LOG_KEY.exec(key)?.groups;
  if (!g) return undefined;
  const t = DELIVERED.exec(g.name as string);
  return {
    account: g.account as string,
    region: g.region as string,
    day: g.day as string,
    deliveredMs: t
      ? Date.UTC(
          +(t[1] as string),
          +(t[2] as string) - 1,
          +(t[3] as string),
          +(t[4] as string),
          +(t[5] as string),
        )
      : undefined,
  };
};
