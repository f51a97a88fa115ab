/**
 * Where an integrity check reads a trail's files: a local copy under TRAILHOUND_LOGS_DIR, or the
 * trail's bucket. Keys are as under AWSLogs/ (see keyFromAwsLogs); a key from a digest's content
 * is untrusted text, and an implementation answers "absent" for one that would leave the trail.
 */
export interface TrailObjects {
  /** Keys of the digests delivered on these days (YYYY/MM/DD), of these accounts and regions (all when absent). */
  listDigests(scope: {
    readonly days: readonly string[];
    readonly accounts?: readonly string[] | undefined;
    readonly regions?: readonly string[] | undefined;
  }): Promise<string[]>;
  /** The digest's bytes (gzipped), or undefined when it is not there. */
  readDigest(key: string): Promise<Buffer | undefined>;
  /** The signature kept with the digest (S3 metadata; locally `<digest>.metadata.json`), if any. */
  savedSignature(key: string): Promise<string | undefined>;
  exists(key: string): Promise<boolean>;
  /** Hex SHA-256 of the object's gunzipped bytes, or undefined when it is not there. */
  hashGunzipped(key: string): Promise<string | undefined>;
}
