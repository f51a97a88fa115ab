/** The HTTP status an AWS SDK error carries (its `$metadata`), if it has one. */
export const httpStatusOf = (error: unknown): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;

/** Whether an S3 error says the object is not there (GetObject's NoSuchKey, HeadObject's bare 404). */
export const isAbsentObject = (error: unknown): boolean => {
  const { name } = error as { name?: string };
  return name === 'NoSuchKey' || name === 'NotFound' || httpStatusOf(error) === 404;
};
