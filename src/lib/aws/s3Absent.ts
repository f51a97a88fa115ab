/** Whether an S3 error says the object is not there (GetObject's NoSuchKey, HeadObject's bare 404). */
export const isAbsentObject = (error: unknown): boolean => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};
